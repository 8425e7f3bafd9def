// Federated sign-in into a user pool in a real browser (Debian chromium through playwright-core): the hosted login page
// shows the provider's button, the browser signs in at a local OpenID Connect provider (npm oidc-provider with its
// development interactions, on 127.0.0.1), comes back through /oauth2/idpresponse, and the client's code is exchanged by
// openid-client; the ID token names the federated user <ProviderName>_<sub> and carries its identities. The same through
// a SAML IdP stand-in: the broker's AuthnRequest (HTTP-Redirect), a response signed by xml-crypto (an XML-DSig
// implementation independent of the broker's) posted by the browser to /saml2/idpresponse with the sealed RelayState.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import Provider from 'oidc-provider';
import * as oidc from 'openid-client';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { SignedXml } from 'xml-crypto';
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
  await ctx.saml?.stop();
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

/**
 * A SAML IdP stand-in on 127.0.0.1: its /sso reads the broker's AuthnRequest (HTTP-Redirect binding) and answers with a
 * form that posts a response, signed by xml-crypto, to the request's ACS with the RelayState unchanged.
 */
async function startSamlStandIn() {
  const dir = mkdtempSync(join(tmpdir(), 'compat-saml-fed-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    '-subj', '/CN=idp.example.com', '-days', '2'], { stdio: 'ignore' });
  const key = readFileSync(join(dir, 'key.pem'), 'utf8');
  const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  rmSync(dir, { recursive: true, force: true });
  const entityId = 'https://idp.example.com/metadata';
  const state = { nameId: null, requests: [] };
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const request = inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest') ?? '', 'base64')).toString('utf8');
    state.requests.push(request);
    const acs = /AssertionConsumerServiceURL="([^"]+)"/.exec(request)[1];
    const audience = /<saml:Issuer>([^<]+)<\/saml:Issuer>/.exec(request)[1];
    const inResponseTo = /ID="([^"]+)"/.exec(request)[1];
    const body = Buffer.from(signedResponse({ key, cert, entityId, acs, audience, inResponseTo, nameId: state.nameId })).toString('base64');
    const escape = (s) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!DOCTYPE html><title>IdP</title><form method="post" action="${escape(acs)}">
<input type="hidden" name="SAMLResponse" value="${body}"><input type="hidden" name="RelayState" value="${escape(url.searchParams.get('RelayState') ?? '')}">
<button type="submit">Continue</button></form><script>document.forms[0].submit()</script>`);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const sso = `http://127.0.0.1:${server.address().port}/sso`;
  const certificate = cert.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const metadata = `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${entityId}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${certificate}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${sso}"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`;
  return { metadata, state, stop: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }) };
}

function signedResponse({ key, cert, entityId, acs, audience, inResponseTo, nameId }) {
  const iso = (date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const now = new Date();
  const later = iso(new Date(now.getTime() + 5 * 60_000));
  const id = `_a${randomUUID().replaceAll('-', '')}`;
  const xml = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r${randomUUID().replaceAll('-', '')}" Version="2.0" IssueInstant="${iso(now)}" Destination="${acs}" InResponseTo="${inResponseTo}">`
    + `<saml:Issuer>${entityId}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>`
    + `<saml:Assertion ID="${id}" Version="2.0" IssueInstant="${iso(now)}"><saml:Issuer>${entityId}</saml:Issuer>`
    + `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">${nameId}</saml:NameID>`
    + `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData Recipient="${acs}" NotOnOrAfter="${later}" InResponseTo="${inResponseTo}"/></saml:SubjectConfirmation></saml:Subject>`
    + `<saml:Conditions NotBefore="${iso(new Date(now.getTime() - 60_000))}" NotOnOrAfter="${later}"><saml:AudienceRestriction><saml:Audience>${audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions>`
    + `<saml:AuthnStatement AuthnInstant="${iso(now)}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`
    + `<saml:AttributeStatement><saml:Attribute Name="mail"><saml:AttributeValue>${nameId}@corp.example.com</saml:AttributeValue></saml:Attribute></saml:AttributeStatement>`
    + '</saml:Assertion></samlp:Response>';
  const assertion = "//*[local-name(.)='Assertion']";
  const signer = new SignedXml({
    privateKey: key, publicCert: cert, signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  signer.addReference({
    xpath: assertion, digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
  });
  signer.computeSignature(xml, { location: { reference: `${assertion}/*[local-name(.)='Issuer']`, action: 'after' } });
  return signer.getSignedXml();
}

test('SAML sign-in: the provider button, the AuthnRequest to an IdP stand-in, its signed response posted to the ACS, code exchange, ID token of <Provider>_<NameID>',
  { timeout: TEST_TIMEOUT }, async () => {
    ctx.saml = await startSamlStandIn();
    const idp = userPools(ctx.broker);
    const pool = await idp.send(new CreateUserPoolCommand({ PoolName: uniqueName('samlfed') }));
    const userPoolId = pool.UserPool.Id;
    const prefix = `saml-${Math.random().toString(36).slice(2, 10)}`;
    await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: userPoolId, Domain: prefix }));
    const origin = `http://${prefix}.auth.localhost:${ctx.broker.port}`;
    await idp.send(new CreateIdentityProviderCommand({
      UserPoolId: userPoolId, ProviderName: 'CorpSaml', ProviderType: 'SAML', ProviderDetails: { MetadataFile: ctx.saml.metadata },
      AttributeMapping: { email: 'mail' },
    }));
    const client = await idp.send(new CreateUserPoolClientCommand({
      UserPoolId: userPoolId, ClientName: 'web', GenerateSecret: true, CallbackURLs: [ctx.callback.url], AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email'], AllowedOAuthFlowsUserPoolClient: true, SupportedIdentityProviders: ['COGNITO', 'CorpSaml'],
    }));
    const clientId = client.UserPoolClient.ClientId;
    const discovery = await (await fetch(`${ctx.broker.url}/${userPoolId}/.well-known/openid-configuration`)).json();
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const query = new URLSearchParams({
      client_id: clientId, response_type: 'code', redirect_uri: ctx.callback.url, scope: 'openid email', state,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    });
    ctx.saml.state.nameId = uniqueName('employee').toLowerCase();

    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    try {
      await page.goto(`${origin}/login?${query}`);
      await Promise.all([page.waitForURL((u) => u.href.startsWith(ctx.callback.url)), page.getByRole('link', { name: 'CorpSaml' }).click()]);

      assert.match(ctx.saml.state.requests.at(-1), new RegExp(`<saml:Issuer>urn:amazon:cognito:sp:${userPoolId}</saml:Issuer>`));
      const callback = new URL(page.url());
      assert.equal(callback.searchParams.get('state'), state);
      const config = new oidc.Configuration(
        { issuer: discovery.issuer, token_endpoint: `${origin}/oauth2/token`, jwks_uri: discovery.jwks_uri },
        clientId, client.UserPoolClient.ClientSecret);
      config[oidc.customFetch] = domainFetch;
      oidc.allowInsecureRequests(config);
      const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, idTokenExpected: true });
      const jwks = await (await fetch(discovery.jwks_uri)).json();
      const { payload } = await jwtVerify(tokens.id_token, createLocalJWKSet(jwks), { issuer: discovery.issuer, audience: clientId });
      assert.equal(payload['cognito:username'], `CorpSaml_${ctx.saml.state.nameId}`);
      assert.equal(payload.email, `${ctx.saml.state.nameId}@corp.example.com`);
      const identities = typeof payload.identities === 'string' ? JSON.parse(payload.identities) : payload.identities;
      assert.equal(identities[0].providerType, 'SAML');
      assert.equal(identities[0].userId, ctx.saml.state.nameId);
    } finally {
      await context.close();
    }
  });
