// Sign in with Apple into a user pool, end to end in a real browser (Debian chromium through playwright-core): the hosted
// login page's Apple button, a loopback Apple stand-in that answers /auth/authorize the way Apple does for
// response_mode=form_post (a page that posts code, state and, on the first sign-in only, the user's name to the
// broker's /oauth2/idpresponse from another site), and redeems the code at /auth/token only with a client-secret JWT
// that the stand-in verifies as Apple would (ES256 with the pool provider's key, iss = team id, sub = client id,
// aud = https://appleid.apple.com), checking the PKCE verifier too. Its ID token is signed with jose. The app's code
// is exchanged by openid-client and the pool's ID token carries the name Apple posted once.
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import * as oidc from 'openid-client';
import { SignJWT, createLocalJWKSet, decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import {
  CreateIdentityProviderCommand, CreateUserPoolClientCommand, CreateUserPoolCommand, CreateUserPoolDomainCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startBroker } from '../lib/broker.js';
import { userPools } from '../lib/clients.js';
import { uniqueName } from '../lib/fixtures.js';
import { domainFetch, launchChromium, startCallbackServer } from '../lib/hosted-ui.js';

const TEST_TIMEOUT = 120_000;
const APPLE = { clientId: 'com.example.compat.web', teamId: 'TEAM123456', keyId: 'KEY7654321' };
const ctx = {};

const htmlEscape = (s) => String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The Apple stand-in. `clientKey` is the public half of the P-256 key the pool's provider holds (Apple keeps the
 * developer's public key). Options per authorization: `next.user` (the JSON Apple posts on a first sign-in, or null),
 * `next.tamperState`. Records each token request's verdict in `tokenRequests`.
 */
async function startApple(clientKey) {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'apple-standin-1', alg: 'RS256', use: 'sig' };
  const codes = new Map(); // code -> { nonce, challenge, redirectUri, sub }
  const state = { next: { user: null, tamperState: false, sub: null }, tokenRequests: [], authorizeQueries: [] };
  let issuer = '';

  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname === '/auth/keys') return json(res, 200, { keys: [jwk] });
    if (url.pathname === '/auth/authorize') return authorize(url, res);
    if (url.pathname === '/auth/token' && req.method === 'POST') return token(await readForm(req), res);
    return res.writeHead(404).end();
  });

  function authorize(url, res) {
    const q = url.searchParams;
    state.authorizeQueries.push(Object.fromEntries(q));
    // Apple: response_mode=form_post is required when name or email is asked for.
    if (q.get('response_mode') !== 'form_post' || q.get('response_type') !== 'code' || q.get('client_id') !== APPLE.clientId
      || q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge') || !q.get('nonce') || !q.get('state')) {
      return res.writeHead(400, { 'content-type': 'text/plain' }).end('invalid_request');
    }
    const code = `c${randomBytes(16).toString('hex')}.0.apple`;
    const sub = state.next.sub ?? `001234.${randomBytes(8).toString('hex')}.0123`;
    codes.set(code, { nonce: q.get('nonce'), challenge: q.get('code_challenge'), redirectUri: q.get('redirect_uri'), sub });
    const fields = { code, state: state.next.tamperState ? `${q.get('state')}x` : q.get('state') };
    if (state.next.user) fields.user = JSON.stringify(state.next.user);
    const inputs = Object.entries(fields).map(([k, v]) => `<input type="hidden" name="${k}" value="${htmlEscape(v)}">`).join('');
    // Apple's form_post page: a form to the redirect_uri, submitted by script as soon as it loads.
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!DOCTYPE html><title>Apple</title>
<form method="post" action="${htmlEscape(q.get('redirect_uri'))}">${inputs}<button type="submit">Continue</button></form>
<script>document.forms[0].submit()</script>`);
  }

  async function token(form, res) {
    const verdict = { grant: form.get('grant_type'), secretOk: false, pkceOk: false };
    state.tokenRequests.push(verdict);
    const entry = codes.get(form.get('code'));
    codes.delete(form.get('code'));
    if (form.get('grant_type') !== 'authorization_code' || !entry || form.get('client_id') !== APPLE.clientId
      || form.get('redirect_uri') !== entry.redirectUri) {
      return json(res, 400, { error: 'invalid_grant' });
    }
    try {
      const secret = form.get('client_secret') ?? '';
      const header = decodeProtectedHeader(secret);
      const { payload } = await jwtVerify(secret, clientKey, {
        algorithms: ['ES256'], issuer: APPLE.teamId, subject: APPLE.clientId, audience: 'https://appleid.apple.com', maxTokenAge: '1 day',
      });
      verdict.secretOk = header.kid === APPLE.keyId && typeof payload.exp === 'number';
    } catch (e) {
      verdict.secretError = e.code ?? e.message;
    }
    if (!verdict.secretOk) return json(res, 400, { error: 'invalid_client' });
    const challenge = createHash('sha256').update(form.get('code_verifier') ?? '').digest('base64url');
    verdict.pkceOk = challenge === entry.challenge;
    if (!verdict.pkceOk) return json(res, 400, { error: 'invalid_grant' });
    const now = Math.floor(Date.now() / 1000);
    const idToken = await new SignJWT({
      nonce: entry.nonce, nonce_supported: true, email: `${entry.sub}@privaterelay.appleid.com`, email_verified: 'true',
      is_private_email: 'true', auth_time: now,
    }).setProtectedHeader({ alg: 'RS256', kid: jwk.kid })
      .setIssuer(issuer).setAudience(APPLE.clientId).setSubject(entry.sub).setIssuedAt(now).setExpirationTime(now + 600)
      .sign(privateKey);
    return json(res, 200, {
      access_token: `a${randomBytes(16).toString('hex')}.0.apple`, token_type: 'Bearer', expires_in: 3600,
      refresh_token: `r${randomBytes(16).toString('hex')}.0.apple`, id_token: idToken,
    });
  }

  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${server.address().port}`;
  return {
    issuer,
    state,
    env: () => ({
      Broker__Providers__Apple__AuthorizeUrl: `${issuer}/auth/authorize`,
      Broker__Providers__Apple__TokenUrl: `${issuer}/auth/token`,
      Broker__Providers__Apple__JwksUrl: `${issuer}/auth/keys`,
      Broker__Providers__Apple__Issuer: issuer,
    }),
    stop: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

function readForm(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

function json(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

before(async () => {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  ctx.clientPrivatePem = privateKey.export({ type: 'pkcs8', format: 'pem' });
  ctx.apple = await startApple(publicKey);
  ctx.callback = await startCallbackServer();
  ctx.broker = await startBroker({ env: ctx.apple.env() });
  ctx.browser = await launchChromium();

  const idp = userPools(ctx.broker);
  const pool = await idp.send(new CreateUserPoolCommand({ PoolName: uniqueName('apple') }));
  ctx.userPoolId = pool.UserPool.Id;
  const prefix = `apple-${Math.random().toString(36).slice(2, 10)}`;
  await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: ctx.userPoolId, Domain: prefix }));
  ctx.origin = `http://${prefix}.auth.localhost:${ctx.broker.port}`;
  await idp.send(new CreateIdentityProviderCommand({
    UserPoolId: ctx.userPoolId, ProviderName: 'SignInWithApple', ProviderType: 'SignInWithApple',
    ProviderDetails: {
      client_id: APPLE.clientId, team_id: APPLE.teamId, key_id: APPLE.keyId, private_key: ctx.clientPrivatePem, authorize_scopes: 'name email',
    },
    AttributeMapping: { email: 'email', given_name: 'firstName', family_name: 'lastName', name: 'name' },
  }));
  const client = await idp.send(new CreateUserPoolClientCommand({
    UserPoolId: ctx.userPoolId, ClientName: 'web', GenerateSecret: true, CallbackURLs: [ctx.callback.url], AllowedOAuthFlows: ['code'],
    AllowedOAuthScopes: ['openid', 'email', 'profile'], AllowedOAuthFlowsUserPoolClient: true,
    SupportedIdentityProviders: ['COGNITO', 'SignInWithApple'],
  }));
  ctx.clientId = client.UserPoolClient.ClientId;
  ctx.clientSecret = client.UserPoolClient.ClientSecret;
  ctx.discovery = await (await fetch(`${ctx.broker.url}/${ctx.userPoolId}/.well-known/openid-configuration`)).json();
});

after(async () => {
  await ctx.browser?.close();
  await ctx.broker?.stop();
  await ctx.apple?.stop();
  await ctx.callback?.stop();
});

/** One browser sign-in through the Apple button; returns the page's final URL and the app's request parameters. */
async function signInWithApple({ user, sub, tamperState = false }) {
  ctx.apple.state.next = { user, sub, tamperState };
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const query = new URLSearchParams({
    client_id: ctx.clientId, response_type: 'code', redirect_uri: ctx.callback.url, scope: 'openid email profile', state, nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  });
  const context = await ctx.browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  try {
    await page.goto(`${ctx.origin}/login?${query}`);
    const button = page.getByRole('link', { name: 'SignInWithApple' });
    // Cognito's classic page styles the social providers' buttons with socialButton-customizable.
    assert.match(await button.getAttribute('class'), /socialButton-customizable/);
    // Through the stand-in's auto-posting page and back; the app's callback, or the broker's own error page.
    const settled = tamperState
      ? page.waitForURL((u) => u.href.startsWith(`${ctx.origin}/oauth2/idpresponse`), { waitUntil: 'load' })
      : page.waitForURL((u) => u.href.startsWith(ctx.callback.url));
    await Promise.all([settled, button.click()]);
    return { url: page.url(), body: await page.content(), verifier, state, nonce };
  } finally {
    await context.close();
  }
}

async function redeem({ url, verifier, state, nonce }) {
  const config = new oidc.Configuration(
    { issuer: ctx.discovery.issuer, token_endpoint: `${ctx.origin}/oauth2/token`, jwks_uri: ctx.discovery.jwks_uri },
    ctx.clientId, ctx.clientSecret);
  config[oidc.customFetch] = domainFetch;
  oidc.allowInsecureRequests(config);
  const tokens = await oidc.authorizationCodeGrant(config, new URL(url), {
    pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true,
  });
  const jwks = await (await fetch(ctx.discovery.jwks_uri)).json();
  const { payload } = await jwtVerify(tokens.id_token, createLocalJWKSet(jwks), { issuer: ctx.discovery.issuer, audience: ctx.clientId });
  return payload;
}

test('Sign in with Apple with response_mode=form_post: the cross-site post returns to the broker, the ES256 client secret redeems the code, '
  + 'the name posted on the first sign-in is kept', { timeout: TEST_TIMEOUT }, async () => {
  const sub = `001234.${randomUUID().replaceAll('-', '')}.0123`;
  const first = await signInWithApple({ user: { name: { firstName: 'Ada', lastName: 'Appleseed' }, email: `${sub}@privaterelay.appleid.com` }, sub });
  const asked = ctx.apple.state.authorizeQueries.at(-1);
  assert.equal(asked.response_mode, 'form_post');
  assert.equal(asked.scope, 'name email');
  assert.equal(asked.redirect_uri, `${ctx.origin}/oauth2/idpresponse`);
  const verdict = ctx.apple.state.tokenRequests.at(-1);
  assert.deepEqual({ secretOk: verdict.secretOk, pkceOk: verdict.pkceOk }, { secretOk: true, pkceOk: true }, JSON.stringify(verdict));

  const claims = await redeem(first);
  assert.equal(claims['cognito:username'], `SignInWithApple_${sub}`);
  assert.equal(claims.email, `${sub}@privaterelay.appleid.com`, 'the email is the signed ID token\'s');
  assert.equal(claims.given_name, 'Ada');
  assert.equal(claims.family_name, 'Appleseed');
  assert.equal(claims.name, 'Ada Appleseed');
  const identities = typeof claims.identities === 'string' ? JSON.parse(claims.identities) : claims.identities;
  assert.equal(identities[0].providerType, 'SignInWithApple');
  assert.equal(identities[0].userId, sub);

  // Apple posts the name on the first authorization only: a later sign-in without it keeps the name the pool stored.
  const again = await signInWithApple({ user: null, sub });
  const later = await redeem(again);
  assert.equal(later['cognito:username'], `SignInWithApple_${sub}`);
  assert.equal(later.given_name, 'Ada');
  assert.equal(later.name, 'Ada Appleseed');
});

test('a form_post whose state is not this browser\'s is refused on the broker\'s page, never redirected to the app', { timeout: TEST_TIMEOUT }, async () => {
  const hitsBefore = ctx.callback.hits.length;
  const tokenRequestsBefore = ctx.apple.state.tokenRequests.length;
  const refused = await signInWithApple({ user: { name: { firstName: 'Eve' } }, sub: null, tamperState: true });
  assert.ok(refused.url.startsWith(`${ctx.origin}/oauth2/idpresponse`), refused.url);
  assert.doesNotMatch(refused.body, /code=/);
  assert.equal(ctx.callback.hits.length, hitsBefore, 'the app was not called');
  assert.equal(ctx.apple.state.tokenRequests.length, tokenRequestsBefore, 'the code was never redeemed');
});
