// The hosted UI in a real browser (Debian chromium through playwright-core) on a pool's domain <prefix>.auth.localhost:
// the OAuth 2.0 code flow end to end (sign up on the hosted page, the code from the test's SMTP server, confirm, sign
// in, the redirect with a code to a loopback callback, the token exchange by openid-client, the ID token verified with
// jose, identity-pool credentials with it), TOTP set-up from the QR code, branding seen in a screenshot, and the hostile
// cases: CSRF, script in the branding CSS, the username and the attributes, an unregistered redirect_uri.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as oidc from 'openid-client';
import { createLocalJWKSet, jwtVerify } from 'jose';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import * as OTPAuth from 'otpauth';
import {
  AdminCreateUserCommand, AdminSetUserPasswordCommand, CreateUserPoolClientCommand, CreateUserPoolCommand, CreateUserPoolDomainCommand,
  SetUICustomizationCommand, SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CreateIdentityPoolCommand, GetCredentialsForIdentityCommand, GetIdCommand, SetIdentityPoolRolesCommand } from '@aws-sdk/client-cognito-identity';
import { startBroker } from '../lib/broker.js';
import { anonymousCognito, cognito, expectAwsError, iam, userPools } from '../lib/clients.js';
import { cognitoTrust, createRole, uniqueName } from '../lib/fixtures.js';
import { codeIn, startMailSink } from '../lib/amplify-harness.js';
import { domainFetch, launchChromium, pixelAt, resultsDir, solidPng, startCallbackServer } from '../lib/hosted-ui.js';

const PASSWORD = 'Hosted-Passw0rd!';
const BANNER = [255, 102, 0];
const TEST_TIMEOUT = 120_000;
const ctx = {};

/** A pool with a domain and an OAuth client (with a secret) whose callback is the loopback server. */
async function hostedPool(name, { mfa } = {}) {
  const idp = userPools(ctx.broker);
  const pool = await idp.send(new CreateUserPoolCommand({ PoolName: uniqueName(name), AutoVerifiedAttributes: ['email'] }));
  const userPoolId = pool.UserPool.Id;
  if (mfa) {
    await idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: userPoolId, MfaConfiguration: mfa, SoftwareTokenMfaConfiguration: { Enabled: true } }));
  }

  const client = await idp.send(new CreateUserPoolClientCommand({
    UserPoolId: userPoolId, ClientName: 'web', GenerateSecret: true, CallbackURLs: [ctx.callback.url], AllowedOAuthFlows: ['code'],
    AllowedOAuthScopes: ['openid', 'email', 'profile'], AllowedOAuthFlowsUserPoolClient: true, SupportedIdentityProviders: ['COGNITO'],
  }));
  const prefix = `${name}-${Math.random().toString(36).slice(2, 10)}`;
  await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: userPoolId, Domain: prefix }));
  const discovery = await (await fetch(`${ctx.broker.url}/${userPoolId}/.well-known/openid-configuration`)).json();
  return {
    userPoolId,
    clientId: client.UserPoolClient.ClientId,
    clientSecret: client.UserPoolClient.ClientSecret,
    origin: `http://${prefix}.auth.localhost:${ctx.broker.port}`,
    issuer: discovery.issuer,
    jwksUri: discovery.jwks_uri,
  };
}

/** The authorize URL of a code flow with PKCE, state and nonce, and what the token exchange must check. */
async function authorization(site) {
  const verifier = oidc.randomPKCECodeVerifier();
  const flow = { verifier, state: oidc.randomState(), nonce: oidc.randomNonce() };
  const query = new URLSearchParams({
    client_id: site.clientId, response_type: 'code', redirect_uri: ctx.callback.url, scope: 'openid email profile', state: flow.state,
    nonce: flow.nonce, code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  });
  return { ...flow, url: `${site.origin}/oauth2/authorize?${query}` };
}

/** openid-client against the pool's domain endpoints (reached on loopback with the domain's Host). */
function oidcClient(site) {
  const config = new oidc.Configuration(
    { issuer: site.issuer, token_endpoint: `${site.origin}/oauth2/token`, jwks_uri: site.jwksUri },
    site.clientId, site.clientSecret);
  config[oidc.customFetch] = domainFetch;
  oidc.allowInsecureRequests(config);
  return config;
}

async function newPage() {
  const context = await ctx.browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.setDefaultNavigationTimeout(15_000);
  // Any script running on a hosted page (an alert from injected markup) fails the test.
  page.on('dialog', async (dialog) => { ctx.dialogs.push(dialog.message()); await dialog.dismiss(); });
  return page;
}

before(async () => {
  ctx.dialogs = [];
  ctx.mail = await startMailSink();
  ctx.callback = await startCallbackServer();
  ctx.broker = await startBroker({
    env: {
      Broker__Mail__Smtp__Host: '127.0.0.1',
      Broker__Mail__Smtp__Port: String(ctx.mail.port),
      Broker__Mail__Smtp__From: 'no-reply@broker.test',
      Broker__Mail__Smtp__UseTls: 'false',
    },
  });
  ctx.browser = await launchChromium();
});

after(async () => {
  await ctx.browser?.close();
  await ctx.broker?.stop();
  await ctx.callback?.stop();
  await ctx.mail?.stop();
});

test('code flow: sign up on the hosted page, confirm with the mailed code, sign in, exchange the code, verify the ID token, get credentials',
  { timeout: TEST_TIMEOUT }, async () => {
    const site = await hostedPool('codeflow');
    const flow = await authorization(site);
    const page = await newPage();
    try {
      await page.goto(flow.url);
      assert.match(new URL(page.url()).pathname, /^\/login$/, 'authorize sends the browser to the hosted sign-in page');
      await Promise.all([page.waitForURL(/\/signup\?/), page.getByRole('link', { name: 'Need an account? Sign up' }).click()]);

      const username = uniqueName('alice').toLowerCase();
      const email = `${username}@example.com`;
      const since = ctx.mail.messages.length;
      await page.getByLabel('Username').fill(username);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByLabel('Email').fill(email);
      await Promise.all([page.waitForURL(/\/confirm\?/), page.getByRole('button', { name: 'Sign up' }).click()]);

      const code = codeIn(await ctx.mail.nextMail(email, since));
      await page.getByLabel('Verification code').fill(code);
      // As Cognito's hosted UI: the confirmed sign-up is signed in and sent to the client with a code, no second password.
      await Promise.all([page.waitForURL((u) => u.href.startsWith(ctx.callback.url)), page.getByRole('button', { name: 'Confirm account' }).click()]);
      assert.ok((await page.context().cookies(site.origin)).some((c) => c.name === 'cognito'), 'the hosted session started');
      assert.ok(!(await page.context().cookies(`${site.origin}/confirm`)).some((c) => c.name === 'cognito-signup'), 'the sign-up ticket is spent');

      const callback = new URL(page.url());
      assert.equal(callback.searchParams.get('state'), flow.state);
      assert.ok(callback.searchParams.get('code'), 'the redirect carries an authorization code');

      const tokens = await oidc.authorizationCodeGrant(oidcClient(site), callback, {
        pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce, idTokenExpected: true,
      });
      assert.equal(tokens.token_type.toLowerCase(), 'bearer');
      const jwks = await (await fetch(site.jwksUri)).json();
      const { payload } = await jwtVerify(tokens.id_token, createLocalJWKSet(jwks), { issuer: site.issuer, audience: site.clientId });
      assert.equal(payload['cognito:username'], username);
      assert.equal(payload.email, email);
      assert.equal(payload.nonce, flow.nonce);
      assert.equal(payload.token_use, 'id');

      const providerName = site.issuer.replace(/^https?:\/\//, '');
      const identity = cognito(ctx.broker);
      const idPool = await identity.send(new CreateIdentityPoolCommand({
        IdentityPoolName: uniqueName('hosted'), AllowUnauthenticatedIdentities: false,
        CognitoIdentityProviders: [{ ProviderName: providerName, ClientId: site.clientId }],
      }));
      const role = await createRole(iam(ctx.broker), uniqueName('Hosted'), cognitoTrust(idPool.IdentityPoolId, 'authenticated'));
      await identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: idPool.IdentityPoolId, Roles: { authenticated: role.Arn } }));
      const logins = { [providerName]: tokens.id_token };
      const { IdentityId } = await anonymousCognito(ctx.broker).send(new GetIdCommand({ IdentityPoolId: idPool.IdentityPoolId, Logins: logins }));
      const credentials = await anonymousCognito(ctx.broker).send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins }));
      assert.ok(credentials.Credentials.AccessKeyId && credentials.Credentials.SecretKey && credentials.Credentials.SessionToken);

      await assert.rejects(oidc.authorizationCodeGrant(oidcClient(site), callback, {
        pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce,
      }), (e) => e.error === 'invalid_grant', 'the code is used once');

      // A later sign-in in a fresh browser, keyboard only: Tab from the username to the password, Enter submits.
      const again = await newPage();
      try {
        const second = await authorization(site);
        await again.goto(second.url);
        await again.getByLabel('Username').fill(username);
        await again.keyboard.press('Tab');
        await again.keyboard.type(PASSWORD);
        await Promise.all([again.waitForURL((u) => u.href.startsWith(ctx.callback.url)), again.keyboard.press('Enter')]);
        assert.equal(new URL(again.url()).searchParams.get('state'), second.state);
      } finally {
        await again.context().close();
      }
      assert.deepEqual(ctx.dialogs, []);
    } finally {
      await page.context().close();
    }
  });

test('a confirmation in another browser than the sign-up signs nobody in: the login page, as before', { timeout: TEST_TIMEOUT }, async () => {
  const site = await hostedPool('otherbrowser');
  const flow = await authorization(site);
  const signUpPage = await newPage();
  const confirmPage = await newPage();
  try {
    const username = uniqueName('bob').toLowerCase();
    const email = `${username}@example.com`;
    const since = ctx.mail.messages.length;
    await signUpPage.goto(flow.url.replace('/oauth2/authorize', '/signup'));
    await signUpPage.getByLabel('Username').fill(username);
    await signUpPage.getByLabel('Password').fill(PASSWORD);
    await signUpPage.getByLabel('Email').fill(email);
    await Promise.all([signUpPage.waitForURL(/\/confirm\?/), signUpPage.getByRole('button', { name: 'Sign up' }).click()]);
    const confirmUrl = signUpPage.url();

    // The code reaches another browser (no sign-up ticket there): the account is confirmed, nobody is signed in.
    await confirmPage.goto(confirmUrl);
    await confirmPage.getByLabel('Verification code').fill(codeIn(await ctx.mail.nextMail(email, since)));
    await Promise.all([confirmPage.waitForURL(/\/login\?.*info=confirmed/), confirmPage.getByRole('button', { name: 'Confirm account' }).click()]);
    assert.match(await confirmPage.locator('#info').innerText(), /confirmed/);
    assert.ok(!(await confirmPage.context().cookies(site.origin)).some((c) => c.name === 'cognito'), 'no hosted session');
  } finally {
    await signUpPage.context().close();
    await confirmPage.context().close();
  }
});

test('implicit flow: Chromium signs in, the fragment carries the tokens and the state, the ID token verifies against the pool JWKS',
  { timeout: TEST_TIMEOUT }, async () => {
    const idp = userPools(ctx.broker);
    const userPoolId = (await idp.send(new CreateUserPoolCommand({ PoolName: uniqueName('implicit') }))).UserPool.Id;
    const clientId = (await idp.send(new CreateUserPoolClientCommand({
      UserPoolId: userPoolId, ClientName: 'spa', CallbackURLs: [ctx.callback.url], AllowedOAuthFlows: ['implicit'],
      AllowedOAuthScopes: ['openid', 'email'], AllowedOAuthFlowsUserPoolClient: true, SupportedIdentityProviders: ['COGNITO'],
    }))).UserPoolClient.ClientId;
    const prefix = `implicit-${Math.random().toString(36).slice(2, 10)}`;
    await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: userPoolId, Domain: prefix }));
    const username = uniqueName('ivy').toLowerCase();
    await idp.send(new AdminCreateUserCommand({
      UserPoolId: userPoolId, Username: username, MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }, { Name: 'email_verified', Value: 'true' }],
    }));
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: username, Password: PASSWORD, Permanent: true }));
    const discovery = await (await fetch(`${ctx.broker.url}/${userPoolId}/.well-known/openid-configuration`)).json();

    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const query = new URLSearchParams({
      client_id: clientId, response_type: 'token', redirect_uri: ctx.callback.url, scope: 'openid email', state, nonce,
    });
    const page = await newPage();
    try {
      await page.goto(`http://${prefix}.auth.localhost:${ctx.broker.port}/oauth2/authorize?${query}`);
      await page.getByLabel('Username').fill(username);
      await page.getByLabel('Password').fill(PASSWORD);
      await Promise.all([page.waitForURL((u) => u.href.startsWith(ctx.callback.url)), page.getByRole('button', { name: 'Sign in' }).click()]);

      const landed = new URL(page.url());
      assert.equal(landed.search, '', 'nothing in the query: the tokens never reach a server log');
      const fragment = new URLSearchParams(landed.hash.slice(1));
      assert.equal(fragment.get('state'), state);
      assert.equal(fragment.get('token_type').toLowerCase(), 'bearer');
      assert.ok(Number(fragment.get('expires_in')) > 0, `expires_in ${fragment.get('expires_in')}`);
      assert.equal(fragment.get('code'), null);
      assert.equal(fragment.get('refresh_token'), null, 'no refresh token in the implicit grant (RFC 6749 §4.2.2)');

      const jwks = createLocalJWKSet(await (await fetch(discovery.jwks_uri)).json());
      const { payload: id } = await jwtVerify(fragment.get('id_token'), jwks, { issuer: discovery.issuer, audience: clientId });
      assert.equal(id['cognito:username'], username);
      assert.equal(id.nonce, nonce);
      assert.equal(id.token_use, 'id');
      const { payload: access } = await jwtVerify(fragment.get('access_token'), jwks, { issuer: discovery.issuer });
      assert.equal(access.client_id, clientId);
      assert.equal(access.token_use, 'access');
      assert.deepEqual(access.scope.split(' ').sort(), ['email', 'openid']);
      assert.deepEqual(ctx.dialogs, []);
    } finally {
      await page.context().close();
    }
  });

test('TOTP set-up through the QR page: the QR decodes to the secret shown, and its codes sign in now and next time', { timeout: TEST_TIMEOUT }, async () => {
  const site = await hostedPool('totp', { mfa: 'ON' });
  const idp = userPools(ctx.broker);
  const username = uniqueName('bob').toLowerCase();
  await idp.send(new AdminCreateUserCommand({ UserPoolId: site.userPoolId, Username: username, MessageAction: 'SUPPRESS' }));
  await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: site.userPoolId, Username: username, Password: PASSWORD, Permanent: true }));
  const page = await newPage();
  try {
    await page.goto((await authorization(site)).url);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#qr').waitFor();

    const shot = PNG.sync.read(await page.locator('#qr').screenshot());
    const decoded = jsQR(new Uint8ClampedArray(shot.data), shot.width, shot.height);
    assert.ok(decoded, 'the QR code on the page decodes');
    const otpauth = new URL(decoded.data);
    assert.equal(otpauth.protocol, 'otpauth:');
    const secret = otpauth.searchParams.get('secret');
    assert.equal(secret, (await page.locator('#secret').innerText()).trim(), 'the QR carries the secret shown as text');

    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
    await page.getByLabel('Verification code').fill(totp.generate());
    await Promise.all([page.waitForURL((u) => u.href.startsWith(ctx.callback.url)), page.getByRole('button', { name: 'Continue' }).click()]);
    assert.ok(new URL(page.url()).searchParams.get('code'));

    // Next sign-in, in a new browser (no session cookie): the software token's code is asked for. The next step's
    // code, since this step's was used once already.
    const again = await newPage();
    try {
      await again.goto((await authorization(site)).url);
      await again.getByLabel('Username').fill(username);
      await again.getByLabel('Password').fill(PASSWORD);
      await Promise.all([again.waitForURL(/\/login\?/), again.getByRole('button', { name: 'Sign in' }).click()]);
      await again.getByLabel('Verification code').fill(totp.generate({ timestamp: Date.now() + 30_000 }));
      await Promise.all([again.waitForURL((u) => u.href.startsWith(ctx.callback.url)), again.getByRole('button', { name: 'Sign in' }).click()]);
    } finally {
      await again.context().close();
    }
  } finally {
    await page.context().close();
  }
});

test('branding: the pool CSS and logo are visible on the login page, in a screenshot kept with the test results', { timeout: TEST_TIMEOUT }, async () => {
  const site = await hostedPool('brand');
  await userPools(ctx.broker).send(new SetUICustomizationCommand({
    UserPoolId: site.userPoolId, ClientId: 'ALL',
    CSS: `.banner-customizable { background-color: rgb(${BANNER.join(', ')}); padding: 12px; }\n.submitButton-customizable { background-color: #0a66c2; color: #ffffff; }`,
    ImageFile: solidPng(120, 40, [0, 128, 0]),
  }));
  const page = await newPage();
  try {
    await page.goto((await authorization(site)).url);
    await page.locator('#logo').waitFor();
    assert.ok(await page.locator('#logo').evaluate((img) => img.complete && img.naturalWidth === 120), 'the logo loads from the domain');
    const shot = await page.screenshot({ fullPage: true });
    writeFileSync(join(resultsDir(), 'hosted-ui-branding.png'), shot);
    const banner = await page.locator('.banner-customizable').boundingBox();
    assert.deepEqual(pixelAt(shot, banner.x + 3, banner.y + 3), BANNER, 'the banner has the branding colour');
    const logo = await page.locator('#logo').boundingBox();
    assert.deepEqual(pixelAt(shot, logo.x + logo.width / 2, logo.y + logo.height / 2), [0, 128, 0], 'the logo is drawn');
  } finally {
    await page.context().close();
  }
});

test('hostile: missing, forged and swapped CSRF tokens are refused; script in the branding CSS is refused', { timeout: TEST_TIMEOUT }, async () => {
  const site = await hostedPool('csrf');
  const page = await newPage();
  try {
    const { url } = await authorization(site);
    await page.goto(url);
    // The browser's form without its token: the server refuses it (403) and does not sign in.
    await page.locator('input[name=_csrf]').evaluate((input) => input.remove());
    await page.getByLabel('Username').fill('nobody');
    await page.getByLabel('Password').fill(PASSWORD);
    const [missing] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Sign in' }).click()]);
    assert.equal(missing.status(), 403);
    assert.match(await page.locator('#error').innerText(), /session has expired/);

    await page.goto(url);
    await page.locator('input[name=_csrf]').evaluate((input) => { input.value = 'forged'; });
    await page.getByLabel('Username').fill('nobody');
    await page.getByLabel('Password').fill(PASSWORD);
    const [forged] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Sign in' }).click()]);
    assert.equal(forged.status(), 403);

    // A token taken from the page, posted from elsewhere without the browser's cookie (what a cross-site form sends
    // under SameSite=Lax): refused.
    await page.goto(url);
    const token = await page.locator('input[name=_csrf]').inputValue();
    const crossSite = await domainFetch(`${url.replace('/oauth2/authorize', '/login')}`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: token, username: 'nobody', password: PASSWORD }).toString(),
    });
    assert.equal(crossSite.status, 403);
  } finally {
    await page.context().close();
  }

  await expectAwsError(userPools(ctx.broker).send(new SetUICustomizationCommand({
    UserPoolId: site.userPoolId, CSS: '.banner-customizable { color: red; }</style><script>alert(1)</script>',
  })), { name: 'InvalidParameterException' });
  await expectAwsError(userPools(ctx.broker).send(new SetUICustomizationCommand({
    UserPoolId: site.userPoolId, CSS: '.banner-customizable { background-color: url(javascript:alert(1)); }',
  })), { name: 'InvalidParameterException' });
});

test('hostile: script in the username and in attributes is shown inert; an unregistered redirect_uri is never followed', { timeout: TEST_TIMEOUT }, async () => {
  const site = await hostedPool('inert');
  const page = await newPage();
  try {
    const { url } = await authorization(site);
    await page.goto(url.replace('/oauth2/authorize', '/signup'));
    const username = '<script>alert(1)</script>';
    const email = '"><img src=x onerror=alert(2)>@example.com';
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill('weak');
    await page.getByLabel('Email').fill(email);
    // The browser would refuse that email itself; an attacker's request would not, so its own check is switched off.
    await page.locator('form').evaluate((form) => { form.noValidate = true; });
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.locator('#error').waitFor();
    assert.equal(await page.getByLabel('Username').inputValue(), username, 'the username comes back as text');
    assert.equal(await page.getByLabel('Email').inputValue(), email, 'the attribute comes back as text');
    assert.equal(await page.locator('script, img[src=x]').count(), 0);

    await page.goto(url.replace('/oauth2/authorize', '/login'));
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#error').waitFor();
    assert.equal(await page.getByLabel('Username').inputValue(), username);
    assert.equal(await page.locator('script').count(), 0);

    const evil = url.replace(encodeURIComponent(ctx.callback.url), encodeURIComponent('https://evil.example/steal'));
    const shown = await page.goto(evil.replace('/oauth2/authorize', '/login'));
    assert.equal(shown.status(), 400);
    assert.equal(new URL(page.url()).host, new URL(site.origin).host, 'the browser stays on the domain');
    assert.equal(await page.locator('form').count(), 0);
    assert.deepEqual(ctx.dialogs, [], 'no script ran');
  } finally {
    await page.context().close();
  }
});
