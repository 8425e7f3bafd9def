// Signed operations refuse requests without a signature, with an unknown access key, or with a
// wrong secret; the unsigned operations need no signature.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CreateIdentityPoolCommand, ListIdentityPoolsCommand } from '@aws-sdk/client-cognito-identity';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { assertJsonError, cognito, expectAwsError, iam, postJson, sts } from '../lib/clients.js';
import { uniqueName, useBroker } from '../lib/fixtures.js';

const ctx = useBroker();
const unknownKey = () => ({ accessKeyId: 'AKIDUNKNOWN000000000', secretAccessKey: 'x'.repeat(40) });
const wrongSecret = () => ({ accessKeyId: ctx.broker.adminCredentials.accessKeyId, secretAccessKey: 'y'.repeat(40) });

test('no signature: MissingAuthenticationTokenException', async () => {
  const reply = await postJson(ctx.broker, 'AWSCognitoIdentityService.ListIdentityPools', { MaxResults: 10 });
  assertJsonError(reply, { type: 'MissingAuthenticationTokenException' });
  const create = await postJson(ctx.broker, 'AWSCognitoIdentityService.CreateIdentityPool',
    { IdentityPoolName: uniqueName('unsigned'), AllowUnauthenticatedIdentities: true });
  assertJsonError(create, { type: 'MissingAuthenticationTokenException' });
});

test('unknown access key: UnrecognizedClientException', async () => {
  await expectAwsError(cognito(ctx.broker, unknownKey()).send(new ListIdentityPoolsCommand({ MaxResults: 10 })),
    { name: 'UnrecognizedClientException', status: 400 });
});

test('wrong secret: InvalidSignatureException, and nothing is created', async () => {
  const IdentityPoolName = uniqueName('forged');
  await expectAwsError(cognito(ctx.broker, wrongSecret()).send(new CreateIdentityPoolCommand({
    IdentityPoolName, AllowUnauthenticatedIdentities: true,
  })), { name: 'InvalidSignatureException', status: 400 });
  const all = await ctx.cognito.send(new ListIdentityPoolsCommand({ MaxResults: 60 }));
  assert.ok(!all.IdentityPools.some((p) => p.IdentityPoolName === IdentityPoolName));
});

test('a body changed after signing: InvalidSignatureException', async () => {
  const signed = await postJson(ctx.broker, 'AWSCognitoIdentityService.ListIdentityPools', { MaxResults: 10 },
    { sign: ctx.broker.adminCredentials });
  assert.equal(signed.status, 200, `correctly signed raw request works: ${signed.text}`);
  // Same signed headers, different body: sign one body, send another.
  const reply = await postJson(ctx.broker, 'AWSCognitoIdentityService.ListIdentityPools', { MaxResults: 11 },
    { sign: ctx.broker.adminCredentials, tamperBody: '{"MaxResults":12}' });
  assertJsonError(reply, { type: 'InvalidSignatureException' });
});

test('a signature dated outside the 15 minute skew is refused', async () => {
  const reply = await postJson(ctx.broker, 'AWSCognitoIdentityService.ListIdentityPools', { MaxResults: 10 },
    { sign: ctx.broker.adminCredentials, signingDate: new Date(Date.now() - 60 * 60_000) });
  // AWS's wording: "Signature expired: <signed> is now earlier than <now - 15 min> (<now> - 15 min.)".
  assertJsonError(reply, { type: 'InvalidSignatureException', message: /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/ });
});

test('IAM refuses unknown keys and wrong secrets', async () => {
  await expectAwsError(iam(ctx.broker, unknownKey()).send(new GetRoleCommand({ RoleName: 'DemoAuthenticatedRole' })),
    { name: 'InvalidClientTokenId', status: 403 });
  await expectAwsError(iam(ctx.broker, wrongSecret()).send(new GetRoleCommand({ RoleName: 'DemoAuthenticatedRole' })),
    { name: 'SignatureDoesNotMatch', status: 403 });
});

test('STS GetCallerIdentity with admin keys that are not temporary credentials, or a bad session token, is refused', async () => {
  await expectAwsError(sts(ctx.broker, { ...unknownKey(), sessionToken: 'bogus' }).send(new GetCallerIdentityCommand({})),
    { name: 'InvalidClientTokenId', status: 403 });
});
