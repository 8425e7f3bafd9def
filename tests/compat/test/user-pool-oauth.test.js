// A user pool's domain and its OAuth 2.0 / OpenID Connect endpoints as a standard relying party uses them: npm
// openid-client discovers the pool on its domain (<prefix>.auth.localhost, reached over 127.0.0.1 with the Host header),
// runs a client_credentials grant against a resource server, and exchanges a code obtained by signing in on the hosted
// /login page (PKCE S256, state, nonce); then userInfo, refresh, revocation and /logout. The hostile cases check that
// nothing is redirected to an unregistered URI and that codes are single-use and bound to their client and verifier.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as client from 'openid-client';
import {
  CreateResourceServerCommand, CreateUserPoolClientCommand, CreateUserPoolCommand, CreateUserPoolDomainCommand,
  DeleteUserPoolCommand, DescribeUserPoolCommand, DescribeUserPoolDomainCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { useBroker, uniqueName } from '../lib/fixtures.js';
import { expectAwsError, userPools } from '../lib/clients.js';
import { createUser, PASSWORD } from '../lib/user-pool-users.js';
import { CookieJar, domainFetch } from '../lib/pool-domain.js';

const CALLBACK = 'http://localhost:3000/callback';
const SIGNED_OUT = 'http://localhost:3000/signed-out';
let userPoolId;
let prefix;
let web;
let m2m;

const ctx = useBroker({}, async (c) => {
  const idp = userPools(c.broker);
  userPoolId = (await idp.send(new CreateUserPoolCommand({ PoolName: uniqueName('oauth') }))).UserPool.Id;
  prefix = `app-${userPoolId.split('_')[1].toLowerCase()}`;
  await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: userPoolId, Domain: prefix }));
  await idp.send(new CreateResourceServerCommand({
    UserPoolId: userPoolId, Identifier: 'https://api.example.com', Name: 'api',
    Scopes: [{ ScopeName: 'read', ScopeDescription: 'Read' }, { ScopeName: 'write', ScopeDescription: 'Write' }],
  }));
  web = (await idp.send(new CreateUserPoolClientCommand({
    UserPoolId: userPoolId, ClientName: 'web', AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['code'],
    AllowedOAuthScopes: ['openid', 'email', 'profile'], CallbackURLs: [CALLBACK], LogoutURLs: [SIGNED_OUT],
    SupportedIdentityProviders: ['COGNITO'],
  }))).UserPoolClient;
  m2m = (await idp.send(new CreateUserPoolClientCommand({
    UserPoolId: userPoolId, ClientName: 'm2m', GenerateSecret: true, AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['client_credentials'], AllowedOAuthScopes: ['https://api.example.com/read'],
  }))).UserPoolClient;
});

const origin = () => `http://${prefix}.auth.localhost:${ctx.broker.port}`;
const options = { execute: [client.allowInsecureRequests], [client.customFetch]: domainFetch };
const discover = (clientId, metadata, auth) =>
  client.discovery(new URL(`${origin()}/.well-known/openid-configuration`), clientId, metadata, auth, options);
const payload = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());

/** Signs in on the hosted /login page the authorize redirect leads to; returns the callback URL (with code and state). */
async function signInThroughHostedPage(authorizeUrl, username, jar = new CookieJar()) {
  const authorize = jar.take(await domainFetch(authorizeUrl, { headers: { cookie: jar.header() } }));
  assert.equal(authorize.status, 302);
  const location = authorize.headers.get('location');
  if (location.startsWith(CALLBACK)) return { callback: new URL(location), jar };
  assert.match(location, /^\/login\?/);
  const page = jar.take(await domainFetch(origin() + location, { headers: { cookie: jar.header() } }));
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())[1];
  const posted = jar.take(await domainFetch(origin() + location, {
    method: 'POST', headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, username, password: PASSWORD }).toString(),
  }));
  if (posted.status !== 302) assert.fail(`${posted.status} ${await posted.text()}`);
  return { callback: new URL(posted.headers.get('location')), jar };
}

async function codeFlow(config, username, extra = {}) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: CALLBACK, scope: 'openid email', state, nonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', ...extra,
  });
  const { callback, jar } = await signInThroughHostedPage(url, username);
  return { callback, jar, verifier, state, nonce };
}

test('DescribeUserPoolDomain and DescribeUserPool name the domain; a taken prefix and a second domain are refused; the pool cannot be deleted while it has one', async () => {
  const idp = userPools(ctx.broker);
  const described = await idp.send(new DescribeUserPoolDomainCommand({ Domain: prefix }));
  assert.equal(described.DomainDescription.UserPoolId, userPoolId);
  assert.equal(described.DomainDescription.Status, 'ACTIVE');
  assert.equal((await idp.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }))).UserPool.Domain, prefix);
  assert.deepEqual((await idp.send(new DescribeUserPoolDomainCommand({ Domain: 'nobody-has-this' }))).DomainDescription, {});
  const other = (await idp.send(new CreateUserPoolCommand({ PoolName: uniqueName('other') }))).UserPool.Id;
  await expectAwsError(idp.send(new CreateUserPoolDomainCommand({ UserPoolId: other, Domain: prefix })), { name: 'InvalidParameterException' });
  await expectAwsError(idp.send(new CreateUserPoolDomainCommand({ UserPoolId: userPoolId, Domain: `${prefix}-2` })), { name: 'InvalidParameterException' });
  await expectAwsError(idp.send(new DeleteUserPoolCommand({ UserPoolId: userPoolId })), { name: 'InvalidParameterException' });
});

test('openid-client discovers the pool on its domain: the pool issuer, the endpoints on the domain', async () => {
  const config = await discover(web.ClientId, undefined, client.None());
  const metadata = config.serverMetadata();
  assert.equal(metadata.issuer, `${ctx.broker.url}/${userPoolId}`);
  assert.equal(metadata.authorization_endpoint, `${origin()}/oauth2/authorize`);
  assert.equal(metadata.token_endpoint, `${origin()}/oauth2/token`);
  assert.equal(metadata.userinfo_endpoint, `${origin()}/oauth2/userInfo`);
  assert.deepEqual(metadata.code_challenge_methods_supported, ['S256']);
  const unknown = await domainFetch(`http://nobody.auth.localhost:${ctx.broker.port}/.well-known/openid-configuration`);
  assert.equal(unknown.status, 404);
});

test('client_credentials with HTTP basic and with post: an access token with the resource-server scope; a wrong secret is invalid_client either way', async () => {
  for (const auth of [client.ClientSecretBasic(m2m.ClientSecret), client.ClientSecretPost(m2m.ClientSecret)]) {
    const config = await discover(m2m.ClientId, undefined, auth);
    const tokens = await client.clientCredentialsGrant(config, { scope: 'https://api.example.com/read' });
    const claims = payload(tokens.access_token);
    assert.equal(claims.scope, 'https://api.example.com/read');
    assert.equal(claims.client_id, m2m.ClientId);
    assert.equal(claims.sub, m2m.ClientId);
    assert.equal(tokens.id_token, undefined);
  }

  // RFC 6749 §5.2: after HTTP basic, 401 with a Basic challenge; after post, 400. Both invalid_client.
  const basic = await discover(m2m.ClientId, undefined, client.ClientSecretBasic('wrong-secret'));
  await assert.rejects(client.clientCredentialsGrant(basic, { scope: 'https://api.example.com/read' }),
    (e) => e.status === 401 && e.cause[0].scheme === 'basic');
  const post = await discover(m2m.ClientId, undefined, client.ClientSecretPost('wrong-secret'));
  await assert.rejects(client.clientCredentialsGrant(post, { scope: 'https://api.example.com/read' }),
    (e) => e.error === 'invalid_client' && e.status === 400);

  const config = await discover(m2m.ClientId, undefined, client.ClientSecretBasic(m2m.ClientSecret));
  await assert.rejects(client.clientCredentialsGrant(config, { scope: 'https://api.example.com/write' }), (e) => e.error === 'invalid_scope');
});

test('the code flow through the hosted page: openid-client exchanges the code (PKCE, state, nonce), reads userInfo, refreshes and revokes', async () => {
  const username = await createUser(ctx.broker, userPoolId, { attributes: { email: 'oauth@example.com', email_verified: 'true' } });
  const config = await discover(web.ClientId, undefined, client.None());
  const { callback, jar, verifier, state, nonce } = await codeFlow(config, username);
  assert.equal(callback.searchParams.get('state'), state);
  assert.ok(jar.has('cognito'));

  const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
  const id = tokens.claims();
  assert.equal(id.aud, web.ClientId);
  assert.equal(id.nonce, nonce);
  assert.equal(id['cognito:username'], username);
  assert.equal(payload(tokens.access_token).scope, 'openid email');

  const info = await client.fetchUserInfo(config, tokens.access_token, id.sub);
  assert.equal(info.email, 'oauth@example.com');
  assert.equal(info.username, username);

  const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
  assert.equal(payload(refreshed.access_token).scope, 'openid email');
  assert.equal(refreshed.claims().sub, id.sub);

  await client.tokenRevocation(config, tokens.refresh_token);
  await assert.rejects(client.refreshTokenGrant(config, tokens.refresh_token), (e) => e.error === 'invalid_grant');
  const revokedInfo = await domainFetch(`${origin()}/oauth2/userInfo`, { headers: { authorization: `Bearer ${refreshed.access_token}` } });
  assert.equal(revokedInfo.status, 401);

  // The hosted session signs the user in again at once (SSO), until /logout ends it.
  const again = await domainFetch(client.buildAuthorizationUrl(config, {
    redirect_uri: CALLBACK, scope: 'openid', code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  }), { headers: { cookie: jar.header() } });
  assert.equal(again.status, 302);
  assert.ok(again.headers.get('location').startsWith(`${CALLBACK}?code=`));
  const logout = jar.take(await domainFetch(`${origin()}/logout?client_id=${web.ClientId}&logout_uri=${encodeURIComponent(SIGNED_OUT)}`,
    { headers: { cookie: jar.header() } }));
  assert.equal(logout.status, 302);
  assert.equal(logout.headers.get('location'), SIGNED_OUT);
  assert.equal(jar.has('cognito'), false);
});

test('hostile: a reused code, a wrong PKCE verifier and a code redeemed by another client are invalid_grant', async () => {
  const username = await createUser(ctx.broker, userPoolId);
  const config = await discover(web.ClientId, undefined, client.None());
  const first = await codeFlow(config, username);
  await client.authorizationCodeGrant(config, first.callback, { pkceCodeVerifier: first.verifier, expectedState: first.state, expectedNonce: first.nonce });
  await assert.rejects(client.authorizationCodeGrant(config, first.callback,
    { pkceCodeVerifier: first.verifier, expectedState: first.state, expectedNonce: first.nonce }), (e) => e.error === 'invalid_grant');

  const second = await codeFlow(config, username);
  await assert.rejects(client.authorizationCodeGrant(config, second.callback,
    { pkceCodeVerifier: client.randomPKCECodeVerifier(), expectedState: second.state }), (e) => e.error === 'invalid_grant');

  const third = await codeFlow(config, username);
  const form = new URLSearchParams({
    grant_type: 'authorization_code', code: third.callback.searchParams.get('code'), redirect_uri: CALLBACK, code_verifier: third.verifier,
  });
  const stolen = await domainFetch(`${origin()}/oauth2/token`, {
    method: 'POST', body: form.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${m2m.ClientId}:${m2m.ClientSecret}`).toString('base64')}` },
  });
  assert.equal(stolen.status, 400);
  assert.equal((await stolen.json()).error, 'invalid_grant');
});

test('hostile: an unregistered redirect_uri, an unknown client and a logout_uri not in the list are error pages, never redirects', async () => {
  const base = `${origin()}/oauth2/authorize?response_type=code&scope=openid&code_challenge=${'a'.repeat(43)}&code_challenge_method=S256`;
  for (const url of [
    `${base}&client_id=${web.ClientId}&redirect_uri=${encodeURIComponent('https://evil.example/callback')}`,
    `${base}&client_id=${web.ClientId}&redirect_uri=${encodeURIComponent(`${CALLBACK}/`)}`,
    `${base}&client_id=nosuchclient&redirect_uri=${encodeURIComponent(CALLBACK)}`,
    `${origin()}/logout?client_id=${web.ClientId}&logout_uri=${encodeURIComponent('https://evil.example/')}`,
    `${origin()}/logout?client_id=${web.ClientId}&logout_uri=${encodeURIComponent(`${SIGNED_OUT}?next=https://evil.example/`)}`,
  ]) {
    const response = await domainFetch(url);
    assert.equal(response.status, 400, url);
    assert.equal(response.headers.get('location'), null, url);
  }

  const noPkce = await domainFetch(`${origin()}/oauth2/authorize?response_type=code&scope=openid&client_id=${web.ClientId}&redirect_uri=${encodeURIComponent(CALLBACK)}&state=s1`);
  assert.equal(noPkce.status, 302);
  const location = new URL(noPkce.headers.get('location'));
  assert.equal(location.searchParams.get('error'), 'invalid_request');
  assert.equal(location.searchParams.get('state'), 's1');
});
