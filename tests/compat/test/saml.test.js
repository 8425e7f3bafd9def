// SAML 2.0 logins through the AWS SDK for JavaScript v3: the IdP registered with the IAM client (CreateSAMLProvider and
// friends), a pool listing it in SamlProviderARNs, and the enhanced flow with an xmlsec1-signed SAMLResponse.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import {
  CreateIdentityPoolCommand, GetCredentialsForIdentityCommand, GetIdCommand, SetIdentityPoolRolesCommand,
} from '@aws-sdk/client-cognito-identity';
import {
  CreateSAMLProviderCommand, DeleteSAMLProviderCommand, GetSAMLProviderCommand, ListSAMLProvidersCommand, UpdateSAMLProviderCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ACCOUNT_ID } from '../lib/broker.js';
import { anonymousCognito, expectAwsError, fromCognitoCredentials, sts } from '../lib/clients.js';
import { cognitoTrust, createRole, uniqueName, useBroker } from '../lib/fixtures.js';
import { startSamlIdp } from '../lib/saml.js';

const idp = startSamlIdp();
after(() => idp.stop());

let providerArn;
let poolId;
let authRole;
const ctx = useBroker({}, async () => {
  const Name = uniqueName('CorpIdP');
  providerArn = (await ctx.iam.send(new CreateSAMLProviderCommand({ Name, SAMLMetadataDocument: idp.metadata }))).SAMLProviderArn;
  const pool = await ctx.cognito.send(new CreateIdentityPoolCommand({
    IdentityPoolName: uniqueName('saml'), AllowUnauthenticatedIdentities: false, SamlProviderARNs: [providerArn],
  }));
  poolId = pool.IdentityPoolId;
  authRole = await createRole(ctx.iam, uniqueName('SamlAuth'), cognitoTrust(poolId, 'authenticated'));
  await ctx.cognito.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: poolId, Roles: { authenticated: authRole.Arn } }));
});

test('CreateSAMLProvider, GetSAMLProvider, ListSAMLProviders, UpdateSAMLProvider through the IAM client', async () => {
  assert.match(providerArn, new RegExp(`^arn:aws:iam::${ACCOUNT_ID}:saml-provider/CorpIdP_`));
  const got = await ctx.iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: providerArn }));
  assert.equal(got.SAMLMetadataDocument, idp.metadata);
  assert.ok(got.CreateDate instanceof Date && got.ValidUntil instanceof Date && got.ValidUntil > got.CreateDate);
  const list = await ctx.iam.send(new ListSAMLProvidersCommand({}));
  assert.ok(list.SAMLProviderList.some((p) => p.Arn === providerArn));
  const updated = await ctx.iam.send(new UpdateSAMLProviderCommand({ SAMLProviderArn: providerArn, SAMLMetadataDocument: idp.metadata }));
  assert.equal(updated.SAMLProviderArn, providerArn);
});

test('malformed metadata is InvalidInput, a deleted provider is NoSuchEntity', async () => {
  await expectAwsError(ctx.iam.send(new CreateSAMLProviderCommand({ Name: uniqueName('Bad'), SAMLMetadataDocument: `<x>${' '.repeat(1000)}</x>` })),
    { name: 'InvalidInputException', status: 400 });
  const Name = uniqueName('Gone');
  const { SAMLProviderArn } = await ctx.iam.send(new CreateSAMLProviderCommand({ Name, SAMLMetadataDocument: idp.metadata }));
  await ctx.iam.send(new DeleteSAMLProviderCommand({ SAMLProviderArn }));
  await expectAwsError(ctx.iam.send(new GetSAMLProviderCommand({ SAMLProviderArn })), { name: 'NoSuchEntityException', status: 404 });
});

test('one SAMLResponse serves GetId and then GetCredentialsForIdentity for the authenticated role', async () => {
  const client = anonymousCognito(ctx.broker);
  const Logins = { [providerArn]: idp.response({ nameId: 'alice@example.com', providerArn, roleArn: authRole.Arn }) };
  const { IdentityId } = await client.send(new GetIdCommand({ IdentityPoolId: poolId, Logins }));
  const out = await client.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins }));
  assert.equal(out.IdentityId, IdentityId);
  assert.match(out.Credentials.AccessKeyId, /^ASIA/);
  const who = await sts(ctx.broker, fromCognitoCredentials(out.Credentials)).send(new GetCallerIdentityCommand({}));
  assert.match(who.Arn, new RegExp(`:assumed-role/${authRole.RoleName}/`));

  const again = idp.response({ nameId: 'alice@example.com', providerArn, roleArn: authRole.Arn });
  const second = await client.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { [providerArn]: again } }));
  assert.equal(second.IdentityId, IdentityId, 'a new response for the same NameID is the same identity');
});

test('a response for the wrong audience is NotAuthorizedException', async () => {
  const client = anonymousCognito(ctx.broker);
  const Logins = { [providerArn]: idp.response({ nameId: 'bob@example.com', providerArn, roleArn: authRole.Arn, audience: 'urn:example:other' }) };
  await expectAwsError(client.send(new GetIdCommand({ IdentityPoolId: poolId, Logins })), { name: 'NotAuthorizedException', status: 400 });
});

// Issue 17's hostile-input catalogue (docs/hostile-input.md), through the SDK: each refused, none a 5xx.
test('a response signed by the attacker, with the attacker certificate in KeyInfo, is NotAuthorizedException', async () => {
  const client = anonymousCognito(ctx.broker);
  const keyInfo = `<ds:KeyInfo><ds:X509Data><ds:X509Certificate>${idp.attackerCertificate}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>`;
  const Logins = { [providerArn]: idp.response({
    nameId: 'mallory@example.com', providerArn, roleArn: authRole.Arn, byAttacker: true,
    edit: (xml) => xml.replace('</ds:SignatureValue>', `</ds:SignatureValue>${keyInfo}`),
  }) };
  await expectAwsError(client.send(new GetIdCommand({ IdentityPoolId: poolId, Logins })), { name: 'NotAuthorizedException', status: 400 });
});

test('a response whose unsigned Response element has ID="" is NotAuthorizedException, not a 500', async () => {
  const client = anonymousCognito(ctx.broker);
  const Logins = { [providerArn]: idp.response({
    nameId: 'alice@example.com', providerArn, roleArn: authRole.Arn, edit: (xml) => xml.replace(/(<samlp:Response [^>]*?)ID="[^"]*"/, '$1ID=""'),
  }) };
  await expectAwsError(client.send(new GetIdCommand({ IdentityPoolId: poolId, Logins })), { name: 'NotAuthorizedException', status: 400 });
});

test('a response with Version="1.1" on the unsigned Response is NotAuthorizedException', async () => {
  const client = anonymousCognito(ctx.broker);
  const Logins = { [providerArn]: idp.response({
    nameId: 'alice@example.com', providerArn, roleArn: authRole.Arn, edit: (xml) => xml.replace(/(<samlp:Response [^>]*?)Version="2.0"/, '$1Version="1.1"'),
  }) };
  await expectAwsError(client.send(new GetIdCommand({ IdentityPoolId: poolId, Logins })), { name: 'NotAuthorizedException', status: 400 });
});
