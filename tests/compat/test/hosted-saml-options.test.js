// The SAML provider options of a user pool through the broker's pool domain, with Node as browser and as the SAML IdP
// stand-in, using implementations independent of the broker's .NET code: node:crypto verifies the broker's
// HTTP-Redirect signatures (RequestSigningAlgorithm rsa-sha256, SAML Bindings §3.4.4.1) with the certificate of the SP
// metadata and signs the IdP's LogoutResponse; node:crypto builds the XML Encryption of the assertion (AES-256-GCM
// content, RSA-OAEP key transport) to the metadata's encryption certificate (EncryptedResponses); xml-crypto signs the
// assertion inside. IDPSignout: /logout → the IdP's SingleLogoutService → /saml2/logout → the client's logout_uri.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  X509Certificate, createCipheriv, createSign, publicEncrypt, randomBytes, randomUUID, constants, verify,
} from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { SignedXml } from 'xml-crypto';
import {
  CreateIdentityProviderCommand, CreateUserPoolClientCommand, CreateUserPoolCommand, CreateUserPoolDomainCommand,
  DescribeIdentityProviderCommand, GetSigningCertificateCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startBroker } from '../lib/broker.js';
import { userPools } from '../lib/clients.js';
import { uniqueName } from '../lib/fixtures.js';
import { domainFetch } from '../lib/hosted-ui.js';

const TEST_TIMEOUT = 120_000;
const ENTITY_ID = 'https://idp.example.com/metadata';
const SSO = 'https://idp.example.com/sso';
const SLO = 'https://idp.example.com/slo';
const CALLBACK = 'http://127.0.0.1:9/callback';
const SIGNED_OUT = 'http://127.0.0.1:9/signed-out';
const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const ctx = {};

const iso = (date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');
const pem = (base64) => `-----BEGIN CERTIFICATE-----\n${base64.match(/.{1,64}/g).join('\n')}\n-----END CERTIFICATE-----\n`;

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'compat-saml-opt-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    '-subj', '/CN=idp.example.com', '-days', '2'], { stdio: 'ignore' });
  ctx.key = readFileSync(join(dir, 'key.pem'), 'utf8');
  ctx.cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  rmSync(dir, { recursive: true, force: true });
  ctx.broker = await startBroker();
});

after(async () => {
  await ctx.broker?.stop();
});

function metadata() {
  const certificate = ctx.cert.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  return `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${ENTITY_ID}">
  <md:IDPSSODescriptor WantAuthnRequestsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${certificate}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${SLO}"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${SSO}"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`;
}

/** The raw query of a redirect and the octets its signature covers (everything before &Signature=). */
function redirectParts(location) {
  const raw = new URL(location).search.slice(1);
  const params = new URLSearchParams(raw);
  return { raw, params, signed: raw.slice(0, raw.indexOf('&Signature=')), signature: Buffer.from(params.get('Signature'), 'base64') };
}

/** A response whose assertion xml-crypto signs, the assertion then encrypted by node:crypto (AES-256-GCM, RSA-OAEP). */
function encryptedResponse({ acs, audience, inResponseTo, nameId, encryptionCert, tamper = false }) {
  const now = new Date();
  const later = iso(new Date(now.getTime() + 5 * 60_000));
  const id = `_a${randomUUID().replaceAll('-', '')}`;
  const xml = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r${randomUUID().replaceAll('-', '')}" Version="2.0" IssueInstant="${iso(now)}" Destination="${acs}" InResponseTo="${inResponseTo}">`
    + `<saml:Issuer>${ENTITY_ID}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>`
    + `<saml:Assertion ID="${id}" Version="2.0" IssueInstant="${iso(now)}"><saml:Issuer>${ENTITY_ID}</saml:Issuer>`
    + `<saml:Subject><saml:NameID>${nameId}</saml:NameID>`
    + `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData Recipient="${acs}" NotOnOrAfter="${later}" InResponseTo="${inResponseTo}"/></saml:SubjectConfirmation></saml:Subject>`
    + `<saml:Conditions NotBefore="${iso(new Date(now.getTime() - 60_000))}" NotOnOrAfter="${later}"><saml:AudienceRestriction><saml:Audience>${audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions>`
    + `<saml:AuthnStatement AuthnInstant="${iso(now)}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`
    + '</saml:Assertion></samlp:Response>';
  const assertion = "//*[local-name(.)='Assertion']";
  const signer = new SignedXml({
    privateKey: ctx.key, publicCert: ctx.cert, signatureAlgorithm: RSA_SHA256, canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  signer.addReference({
    xpath: assertion, digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
  });
  signer.computeSignature(xml, { location: { reference: `${assertion}/*[local-name(.)='Issuer']`, action: 'after' } });
  const signed = signer.getSignedXml();
  const start = signed.indexOf('<saml:Assertion');
  const end = signed.indexOf('</saml:Assertion>') + '</saml:Assertion>'.length;
  // The plaintext relies on the Response's xmlns:saml, as an element encrypted in place does.
  const plain = Buffer.from(signed.slice(start, end), 'utf8');
  const key = randomBytes(32);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  const content = Buffer.concat([iv, body, cipher.getAuthTag()]);
  if (tamper) content[20] ^= 1;
  const wrapped = publicEncrypt({ key: encryptionCert, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, key);
  const encrypted = '<saml:EncryptedAssertion><xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" Type="http://www.w3.org/2001/04/xmlenc#Element">'
    + '<xenc:EncryptionMethod Algorithm="http://www.w3.org/2009/xmlenc11#aes256-gcm"/>'
    + '<ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><xenc:EncryptedKey><xenc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p"/>'
    + `<xenc:CipherData><xenc:CipherValue>${wrapped.toString('base64')}</xenc:CipherValue></xenc:CipherData></xenc:EncryptedKey></ds:KeyInfo>`
    + `<xenc:CipherData><xenc:CipherValue>${content.toString('base64')}</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData></saml:EncryptedAssertion>`;
  return signed.slice(0, start) + encrypted + signed.slice(end);
}

test('RequestSigningAlgorithm, EncryptedResponses and IDPSignout: node:crypto verifies the signed AuthnRequest and LogoutRequest, encrypts the assertion, and the sign-out completes at the logout_uri',
  { timeout: TEST_TIMEOUT }, async () => {
    const idp = userPools(ctx.broker);
    const userPoolId = (await idp.send(new CreateUserPoolCommand({ PoolName: uniqueName('samlopt') }))).UserPool.Id;
    const prefix = `samlopt-${Math.random().toString(36).slice(2, 10)}`;
    await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: userPoolId, Domain: prefix }));
    const origin = `http://${prefix}.auth.localhost:${ctx.broker.port}`;
    await idp.send(new CreateIdentityProviderCommand({
      UserPoolId: userPoolId, ProviderName: 'Corp', ProviderType: 'SAML',
      ProviderDetails: { MetadataFile: metadata(), RequestSigningAlgorithm: 'rsa-sha256', EncryptedResponses: 'true', IDPSignout: 'true' },
    }));
    const clientId = (await idp.send(new CreateUserPoolClientCommand({
      UserPoolId: userPoolId, ClientName: 'web', CallbackURLs: [CALLBACK], LogoutURLs: [SIGNED_OUT], AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid'], AllowedOAuthFlowsUserPoolClient: true, SupportedIdentityProviders: ['Corp'],
    }))).UserPoolClient.ClientId;

    const spMetadata = await (await domainFetch(`${origin}/saml2/metadata`)).text();
    assert.match(spMetadata, /AuthnRequestsSigned="true"/);
    const certificateOf = (use) => pem(new RegExp(`<md:KeyDescriptor use="${use}">.*?<ds:X509Certificate>([^<]+)<`, 's').exec(spMetadata)[1]);
    const signingCert = new X509Certificate(certificateOf('signing'));
    const encryptionCert = new X509Certificate(certificateOf('encryption'));

    // The signed AuthnRequest: node:crypto verifies the query signature with the metadata's signing certificate.
    const authorize = await domainFetch(`${origin}/oauth2/authorize?${new URLSearchParams({
      response_type: 'code', client_id: clientId, redirect_uri: CALLBACK, scope: 'openid', identity_provider: 'Corp',
      code_challenge: 'LSjjq9yHynDDsPzxeHQrF1AOduaqt9dSpOPAWt16lOg', code_challenge_method: 'S256',
    })}`);
    assert.equal(authorize.status, 302);
    const sso = redirectParts(authorize.headers.get('location'));
    assert.equal(sso.params.get('SigAlg'), RSA_SHA256);
    assert.equal(verify('RSA-SHA256', Buffer.from(sso.signed), signingCert.publicKey, sso.signature), true);
    const tampered = sso.signed.replace('RelayState=', 'RelayState=x');
    assert.equal(verify('RSA-SHA256', Buffer.from(tampered), signingCert.publicKey, sso.signature), false);
    const request = inflateRawSync(Buffer.from(sso.params.get('SAMLRequest'), 'base64')).toString('utf8');
    const inResponseTo = /ID="([^"]+)"/.exec(request)[1];
    const acs = /AssertionConsumerServiceURL="([^"]+)"/.exec(request)[1];
    const audience = `urn:amazon:cognito:sp:${userPoolId}`;
    const post = (xml) => domainFetch(`${origin}/saml2/idpresponse`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ SAMLResponse: Buffer.from(xml).toString('base64'), RelayState: sso.params.get('RelayState') }),
    });

    // A changed ciphertext (the GCM tag fails) is refused; the encrypted, signed assertion signs in.
    const bad = await post(encryptedResponse({ acs, audience, inResponseTo, nameId: 'mallory', encryptionCert: encryptionCert.publicKey, tamper: true }));
    assert.equal(new URL(bad.headers.get('location')).searchParams.get('error'), 'access_denied');
    const nameId = uniqueName('employee').toLowerCase();
    const good = await post(encryptedResponse({ acs, audience, inResponseTo, nameId, encryptionCert: encryptionCert.publicKey }));
    assert.equal(good.status, 302, await good.text());
    assert.ok(new URL(good.headers.get('location')).searchParams.get('code'), good.headers.get('location'));
    const cookie = good.headers.getSetCookie().find((c) => c.startsWith('cognito=')).split(';')[0];

    // IDPSignout: the signed LogoutRequest to the IdP's SingleLogoutService.
    const logout = await domainFetch(`${origin}/logout?${new URLSearchParams({ client_id: clientId, logout_uri: SIGNED_OUT })}`, { headers: { cookie } });
    assert.equal(logout.status, 302);
    const slo = redirectParts(logout.headers.get('location'));
    assert.equal(logout.headers.get('location').startsWith(`${SLO}?`), true);
    assert.equal(verify('RSA-SHA256', Buffer.from(slo.signed), signingCert.publicKey, slo.signature), true);
    const logoutRequest = inflateRawSync(Buffer.from(slo.params.get('SAMLRequest'), 'base64')).toString('utf8');
    assert.match(logoutRequest, new RegExp(`<saml:NameID>${nameId}</saml:NameID>`));
    const requestId = /ID="([^"]+)"/.exec(logoutRequest)[1];

    // The IdP's LogoutResponse by HTTP-Redirect, signed by node:crypto.
    const logoutResponse = (answering) => `<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_lr${randomUUID().replaceAll('-', '')}" Version="2.0" IssueInstant="${iso(new Date())}" Destination="${origin}/saml2/logout" InResponseTo="${answering}">`
      + `<saml:Issuer>${ENTITY_ID}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:LogoutResponse>`;
    const signedQuery = (xml) => {
      const octets = `SAMLResponse=${encodeURIComponent(deflateRawSync(Buffer.from(xml)).toString('base64'))}`
        + `&RelayState=${encodeURIComponent(slo.params.get('RelayState'))}&SigAlg=${encodeURIComponent(RSA_SHA256)}`;
      const signature = createSign('RSA-SHA256').update(octets).sign(ctx.key);
      return `${octets}&Signature=${encodeURIComponent(signature.toString('base64'))}`;
    };
    const wrong = await domainFetch(`${origin}/saml2/logout?${signedQuery(logoutResponse('_someone-else'))}`);
    assert.equal(wrong.status, 400);
    assert.equal(wrong.headers.get('location'), null);
    const back = await domainFetch(`${origin}/saml2/logout?${signedQuery(logoutResponse(requestId))}`);
    assert.equal(back.status, 302, await back.text());
    assert.equal(back.headers.get('location'), SIGNED_OUT);
  });

test('GetSigningCertificate and DescribeIdentityProvider (SDK v3) give the pool\'s own certificates, and an IdP-initiated LogoutRequest signed by node:crypto ends the hosted session with a LogoutResponse node:crypto verifies',
  { timeout: TEST_TIMEOUT }, async () => {
    const idp = userPools(ctx.broker);
    const userPoolId = (await idp.send(new CreateUserPoolCommand({ PoolName: uniqueName('samlslo') }))).UserPool.Id;
    const otherPoolId = (await idp.send(new CreateUserPoolCommand({ PoolName: uniqueName('samlslo2') }))).UserPool.Id;
    const prefix = `samlslo-${Math.random().toString(36).slice(2, 10)}`;
    await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: userPoolId, Domain: prefix }));
    const origin = `http://${prefix}.auth.localhost:${ctx.broker.port}`;
    await idp.send(new CreateIdentityProviderCommand({
      UserPoolId: userPoolId, ProviderName: 'Corp', ProviderType: 'SAML',
      ProviderDetails: { MetadataFile: metadata(), EncryptedResponses: 'true', IDPSignout: 'true' },
    }));
    const clientId = (await idp.send(new CreateUserPoolClientCommand({
      UserPoolId: userPoolId, ClientName: 'web', CallbackURLs: [CALLBACK], AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid'], AllowedOAuthFlowsUserPoolClient: true, SupportedIdentityProviders: ['Corp'],
    }))).UserPoolClient.ClientId;

    const spMetadata = await (await domainFetch(`${origin}/saml2/metadata`)).text();
    const certificateIn = (use) => new RegExp(`<md:KeyDescriptor use="${use}">.*?<ds:X509Certificate>([^<]+)<`, 's').exec(spMetadata)[1];
    const { Certificate } = await idp.send(new GetSigningCertificateCommand({ UserPoolId: userPoolId }));
    assert.equal(Certificate, certificateIn('signing'), 'GetSigningCertificate is the metadata\'s signing certificate');
    const other = await idp.send(new GetSigningCertificateCommand({ UserPoolId: otherPoolId }));
    assert.notEqual(other.Certificate, Certificate, 'each pool has its own');
    const described = (await idp.send(new DescribeIdentityProviderCommand({ UserPoolId: userPoolId, ProviderName: 'Corp' }))).IdentityProvider;
    assert.equal(described.ProviderDetails.ActiveEncryptionCertificate, certificateIn('encryption'));
    const signingCert = new X509Certificate(pem(Certificate));
    const encryptionCert = new X509Certificate(pem(described.ProviderDetails.ActiveEncryptionCertificate));

    const query = new URLSearchParams({
      response_type: 'code', client_id: clientId, redirect_uri: CALLBACK, scope: 'openid',
      code_challenge: 'LSjjq9yHynDDsPzxeHQrF1AOduaqt9dSpOPAWt16lOg', code_challenge_method: 'S256',
    });
    const authorize = await domainFetch(`${origin}/oauth2/authorize?${query}&identity_provider=Corp`);
    const sso = { params: new URL(authorize.headers.get('location')).searchParams };
    const request = inflateRawSync(Buffer.from(sso.params.get('SAMLRequest'), 'base64')).toString('utf8');
    const nameId = uniqueName('slo').toLowerCase();
    const good = await domainFetch(`${origin}/saml2/idpresponse`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        SAMLResponse: Buffer.from(encryptedResponse({
          acs: /AssertionConsumerServiceURL="([^"]+)"/.exec(request)[1], audience: `urn:amazon:cognito:sp:${userPoolId}`,
          inResponseTo: /ID="([^"]+)"/.exec(request)[1], nameId, encryptionCert: encryptionCert.publicKey,
        })).toString('base64'),
        RelayState: sso.params.get('RelayState'),
      }),
    });
    assert.equal(good.status, 302, await good.text());
    const cookie = good.headers.getSetCookie().find((c) => c.startsWith('cognito=')).split(';')[0];
    const signedIn = async () => (await domainFetch(`${origin}/oauth2/authorize?${query}`, { headers: { cookie } })).headers.get('location').startsWith(CALLBACK);
    assert.equal(await signedIn(), true);

    // The IdP's LogoutRequest by HTTP-Redirect, its query signed by node:crypto with the IdP's key.
    const requestId = `_slo${randomUUID().replaceAll('-', '')}`;
    const logoutRequest = `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${requestId}" Version="2.0" IssueInstant="${iso(new Date())}" Destination="${origin}/saml2/logout">`
      + `<saml:Issuer>${ENTITY_ID}</saml:Issuer><saml:NameID>${nameId}</saml:NameID></samlp:LogoutRequest>`;
    const octets = `SAMLRequest=${encodeURIComponent(deflateRawSync(Buffer.from(logoutRequest)).toString('base64'))}`
      + `&RelayState=idp-state&SigAlg=${encodeURIComponent(RSA_SHA256)}`;
    const signature = createSign('RSA-SHA256').update(octets).sign(ctx.key).toString('base64');
    const forged = await domainFetch(`${origin}/saml2/logout?${octets.replace('idp-state', 'other')}&Signature=${encodeURIComponent(signature)}`);
    assert.equal(forged.status, 400);
    assert.equal(await signedIn(), true, 'a refused request ends nothing');

    const answer = await domainFetch(`${origin}/saml2/logout?${octets}&Signature=${encodeURIComponent(signature)}`);
    assert.equal(answer.status, 302, await answer.text());
    assert.equal(answer.headers.get('location').startsWith(`${SLO}?`), true);
    const slo = redirectParts(answer.headers.get('location'));
    assert.equal(verify('RSA-SHA256', Buffer.from(slo.signed), signingCert.publicKey, slo.signature), true);
    const response = inflateRawSync(Buffer.from(slo.params.get('SAMLResponse'), 'base64')).toString('utf8');
    assert.match(response, new RegExp(`InResponseTo="${requestId}"`));
    assert.match(response, /urn:oasis:names:tc:SAML:2\.0:status:Success/);
    assert.equal(slo.params.get('RelayState'), 'idp-state');
    assert.equal(await signedIn(), false, 'the hosted session ended');
  });
