// Basic (classic) flow: GetOpenIdToken, then STS AssumeRoleWithWebIdentity with the SDK; and the
// refusal when AllowClassicFlow is false.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GetIdCommand, GetOpenIdTokenCommand } from '@aws-sdk/client-cognito-identity';
import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ACCOUNT_ID } from '../lib/broker.js';
import { anonymousCognito, expectAwsError, sts } from '../lib/clients.js';
import { cognitoTrust, createOidcPool, createRole, uniqueName, useBroker } from '../lib/fixtures.js';

let client;
const ctx = useBroker({ withIdp: true }, async () => { client = anonymousCognito(ctx.broker); });

const openIdToken = async (poolId, sub) => {
  const Logins = { [ctx.idp.providerKey]: await ctx.idp.mint({ sub }) };
  const { IdentityId } = await client.send(new GetIdCommand({ IdentityPoolId: poolId, Logins }));
  return { IdentityId, ...(await client.send(new GetOpenIdTokenCommand({ IdentityId, Logins }))) };
};

test('AllowClassicFlow true: GetOpenIdToken + AssumeRoleWithWebIdentity gives working credentials', async () => {
  const pool = await createOidcPool(ctx, { classicFlow: true });
  const role = await createRole(ctx.iam, uniqueName('Classic'), cognitoTrust(pool.poolId, 'authenticated'));
  const { IdentityId, Token } = await openIdToken(pool.poolId, 'classic-user');
  const out = await sts(ctx.broker).send(new AssumeRoleWithWebIdentityCommand({
    RoleArn: role.Arn, RoleSessionName: 'classic-session', WebIdentityToken: Token, DurationSeconds: 900,
  }));
  assert.match(out.Credentials.AccessKeyId, /^ASIA/);
  assert.ok(out.Credentials.SecretAccessKey && out.Credentials.SessionToken);
  const lifetime = out.Credentials.Expiration.getTime() - Date.now();
  assert.ok(lifetime > 800_000 && lifetime <= 905_000, `DurationSeconds 900 honoured, got ${lifetime} ms`);
  assert.equal(out.AssumedRoleUser.Arn, `arn:aws:sts::${ACCOUNT_ID}:assumed-role/${role.RoleName}/classic-session`);
  assert.equal(out.SubjectFromWebIdentityToken, IdentityId);
  assert.equal(out.Audience, pool.poolId);

  const who = await sts(ctx.broker, {
    accessKeyId: out.Credentials.AccessKeyId,
    secretAccessKey: out.Credentials.SecretAccessKey,
    sessionToken: out.Credentials.SessionToken,
  }).send(new GetCallerIdentityCommand({}));
  assert.equal(who.Arn, out.AssumedRoleUser.Arn);
  assert.equal(who.Account, ACCOUNT_ID);
});

test('a role whose trust names another pool cannot be assumed with the token', async () => {
  const pool = await createOidcPool(ctx, { classicFlow: true });
  const role = await createRole(ctx.iam, uniqueName('OtherPool'),
    cognitoTrust('us-east-1:00000000-0000-0000-0000-000000000000', 'authenticated'));
  const { Token } = await openIdToken(pool.poolId, 'classic-user-2');
  await expectAwsError(sts(ctx.broker).send(new AssumeRoleWithWebIdentityCommand({
    RoleArn: role.Arn, RoleSessionName: 'wrong-pool', WebIdentityToken: Token,
  })), { name: 'AccessDenied', status: 403 });
});

test('AllowClassicFlow false: GetOpenIdToken is InvalidParameterException', async () => {
  const pool = await createOidcPool(ctx, { classicFlow: false });
  const Logins = { [ctx.idp.providerKey]: await ctx.idp.mint({ sub: 'enhanced-only' }) };
  const { IdentityId } = await client.send(new GetIdCommand({ IdentityPoolId: pool.poolId, Logins }));
  await expectAwsError(client.send(new GetOpenIdTokenCommand({ IdentityId, Logins })), {
    name: 'InvalidParameterException', status: 400, message: 'Basic (classic) flow is not enabled, please use enhanced flow.',
  });
});

test('AllowClassicFlow never set: GetOpenIdToken works (as observed on AWS)', async () => {
  const pool = await createOidcPool(ctx);
  const { Token } = await openIdToken(pool.poolId, 'unset-classic');
  assert.equal(Token.split('.').length, 3);
});
