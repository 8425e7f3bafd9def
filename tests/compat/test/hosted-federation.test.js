// Federated sign-in into a user pool in a real browser (Debian chromium through playwright-core): the hosted login page
// shows the provider's button, the browser signs in at a local OpenID Connect provider (npm oidc-provider with its
// development interactions, on 127.0.0.1), comes back through /oauth2/idpresponse, and the client's code is exchanged by
// openid-client; the ID token names the federated user <ProviderName>_<sub> and carries its identities.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import Provider from 'oidc-provider';
import * as oidc from 'openid-client';
import { createLocalJWKSet, jwtVerify } from 'jose';
import {
  CreateIdentityProviderCommand, CreateUserPoolClientCommand, CreateUserPoolCommand, CreateUserPoolDomainCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startBroker } from '../lib/broker.js';
import { userPools } from '../lib/clients.js';
import { uniqueName } from '../lib/fixtures.js';
import { domainFetch, launchChromium, startCallbackServer } from '../lib/hosted-ui.js';

const TEST_TIMEOUT = 120_000;
const IDP_CLIENT = { id: 'broker', secret: 'broker-secret-for-the-test-idp-0123456789' };
const ctx = {};

/** oidc-provider on 127.0.0.1 with its development login and consent pages; any login name is an account whose sub it is. */
async function startOidcIdp(redirectUri) {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: IDP_CLIENT.id, client_secret: IDP_CLIENT.secret, redirect_uris: [redirectUri], response_types: ['code'],
      grant_types: ['authorization_code'], token_endpoint_auth_method: 'client_secret_post',
    }],
    claims: { openid: ['sub'], email: ['email'] },
    findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub, email: `${sub}@idp.example.com` }) }),
    // The broker reads the provider's ID token (not its userinfo), so the scope's claims go into the ID token.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
  });
  server.on('request', provider.callback());
  return { issuer, stop: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }) };
}

before(async () => {
  ctx.callback = await startCallbackServer();
  ctx.broker = await startBroker();
  ctx.browser = await launchChromium();
});

after(async () => {
  await ctx.browser?.close();
  await ctx.idp?.stop();
  await ctx.broker?.stop();
  await ctx.callback?.stop();
});

test('federated sign-in: the provider button on the hosted page, sign-in at a local OIDC provider, code exchange, ID token of <Provider>_<sub>',
  { timeout: TEST_TIMEOUT }, async () => {
    const idp = userPools(ctx.broker);
    const pool = await idp.send(new CreateUserPoolCommand({ PoolName: uniqueName('federated') }));
    const userPoolId = pool.UserPool.Id;
    const prefix = `fed-${Math.random().toString(36).slice(2, 10)}`;
    await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: userPoolId, Domain: prefix }));
    const origin = `http://${prefix}.auth.localhost:${ctx.broker.port}`;
    ctx.idp = await startOidcIdp(`${origin}/oauth2/idpresponse`);
    await idp.send(new CreateIdentityProviderCommand({
      UserPoolId: userPoolId, ProviderName: 'LocalIdP', ProviderType: 'OIDC',
      ProviderDetails: {
        client_id: IDP_CLIENT.id, client_secret: IDP_CLIENT.secret, attributes_request_method: 'GET', oidc_issuer: ctx.idp.issuer,
        authorize_scopes: 'openid email',
      },
      AttributeMapping: { email: 'email' },
    }));
    const client = await idp.send(new CreateUserPoolClientCommand({
      UserPoolId: userPoolId, ClientName: 'web', GenerateSecret: true, CallbackURLs: [ctx.callback.url], AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email'], AllowedOAuthFlowsUserPoolClient: true, SupportedIdentityProviders: ['COGNITO', 'LocalIdP'],
    }));
    const clientId = client.UserPoolClient.ClientId;
    const discovery = await (await fetch(`${ctx.broker.url}/${userPoolId}/.well-known/openid-configuration`)).json();

    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const query = new URLSearchParams({
      client_id: clientId, response_type: 'code', redirect_uri: ctx.callback.url, scope: 'openid email', state, nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    });

    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    try {
      await page.goto(`${origin}/login?${query}`);
      const button = page.getByRole('link', { name: 'LocalIdP' });
      assert.match(await button.getAttribute('class'), /idpButton-customizable/);
      // Keyboard: the button is reached by Tab and followed with Enter.
      await button.focus();
      await Promise.all([page.waitForURL((u) => u.href.startsWith(ctx.idp.issuer)), page.keyboard.press('Enter')]);

      const sub = uniqueName('fed').toLowerCase();
      await page.locator('input[name="login"]').fill(sub);
      await page.locator('input[name="password"]').fill('any-password');
      await page.locator('button[type="submit"]').click();
      // The development consent page, then back to the broker's /oauth2/idpresponse and on to the client.
      await page.locator('button[type="submit"]').click();
      await page.waitForURL((u) => u.href.startsWith(ctx.callback.url));

      const callback = new URL(page.url());
      assert.equal(callback.searchParams.get('state'), state);
      const config = new oidc.Configuration(
        { issuer: discovery.issuer, token_endpoint: `${origin}/oauth2/token`, jwks_uri: discovery.jwks_uri },
        clientId, client.UserPoolClient.ClientSecret);
      config[oidc.customFetch] = domainFetch;
      oidc.allowInsecureRequests(config);
      const tokens = await oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true,
      });
      const jwks = await (await fetch(discovery.jwks_uri)).json();
      const { payload } = await jwtVerify(tokens.id_token, createLocalJWKSet(jwks), { issuer: discovery.issuer, audience: clientId });
      assert.equal(payload['cognito:username'], `LocalIdP_${sub}`);
      assert.equal(payload.email, `${sub}@idp.example.com`);
      const identities = typeof payload.identities === 'string' ? JSON.parse(payload.identities) : payload.identities;
      assert.equal(identities.length, 1);
      assert.equal(identities[0].userId, sub);
      assert.equal(identities[0].providerName, 'LocalIdP');
      assert.equal(identities[0].providerType, 'OIDC');
    } finally {
      await context.close();
    }
  });
