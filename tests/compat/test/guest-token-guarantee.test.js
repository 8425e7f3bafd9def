// The guest-token guarantee: a role that trusts the broker's own OIDC provider ARN with
// "<issuer>:aud = <poolId>" cannot be assumed with a guest token (aud "<poolId>:unauthenticated"),
// but can with an authenticated identity's token.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GetIdCommand, GetOpenIdTokenCommand } from '@aws-sdk/client-cognito-identity';
import { CreateOpenIDConnectProviderCommand } from '@aws-sdk/client-iam';
import { AssumeRoleWithWebIdentityCommand } from '@aws-sdk/client-sts';
import { anonymousCognito, expectAwsError, sts } from '../lib/clients.js';
import { createOidcPool, createRole, oidcTrust, uniqueName, useBroker } from '../lib/fixtures.js';

let pool;
let role;
let client;
const ctx = useBroker({ withIdp: true }, async () => {
  pool = await createOidcPool(ctx, { allowGuests: true, classicFlow: true });
  client = anonymousCognito(ctx.broker);
  // Register the broker as an IAM OIDC provider like an operator would for real AWS; the broker may
  // already know itself, in which case EntityAlreadyExists is fine. Both audiences are registered so that
  // only the role's aud condition decides.
  try {
    await ctx.iam.send(new CreateOpenIDConnectProviderCommand({
      Url: ctx.broker.url, ClientIDList: [pool.poolId, `${pool.poolId}:unauthenticated`],
    }));
  } catch (err) {
    if (err.name !== 'EntityAlreadyExistsException') throw err;
  }
  role = await createRole(ctx.iam, uniqueName('BrokerOidc'), oidcTrust(ctx.broker.oidcProviderArn, { aud: pool.poolId }));
});

const assume = (token) => sts(ctx.broker).send(new AssumeRoleWithWebIdentityCommand({
  RoleArn: role.Arn, RoleSessionName: 'guarantee', WebIdentityToken: token,
}));

test('a guest token cannot assume a role trusted for "<issuer>:aud = <poolId>"', async () => {
  const { IdentityId } = await client.send(new GetIdCommand({ IdentityPoolId: pool.poolId }));
  const { Token } = await client.send(new GetOpenIdTokenCommand({ IdentityId }));
  await expectAwsError(assume(Token), { name: 'AccessDenied', status: 403 });
});

test('an authenticated token can assume the same role', async () => {
  const Logins = { [ctx.idp.providerKey]: await ctx.idp.mint({ sub: 'trusted-user' }) };
  const { IdentityId } = await client.send(new GetIdCommand({ IdentityPoolId: pool.poolId, Logins }));
  const { Token } = await client.send(new GetOpenIdTokenCommand({ IdentityId, Logins }));
  const out = await assume(Token);
  assert.match(out.Credentials.AccessKeyId, /^ASIA/);
  assert.equal(out.SubjectFromWebIdentityToken, IdentityId);
  assert.match(out.AssumedRoleUser.Arn, new RegExp(`:assumed-role/${role.RoleName}/guarantee$`));
});

test('a role with a sub condition admits only that identity', async () => {
  const Logins = { [ctx.idp.providerKey]: await ctx.idp.mint({ sub: 'only-me' }) };
  const { IdentityId } = await client.send(new GetIdCommand({ IdentityPoolId: pool.poolId, Logins }));
  const subRole = await createRole(ctx.iam, uniqueName('SubOnly'),
    oidcTrust(ctx.broker.oidcProviderArn, { aud: pool.poolId, sub: IdentityId }));
  const tokenOf = async (sub) => {
    const l = { [ctx.idp.providerKey]: await ctx.idp.mint({ sub }) };
    const { IdentityId: id } = await client.send(new GetIdCommand({ IdentityPoolId: pool.poolId, Logins: l }));
    return (await client.send(new GetOpenIdTokenCommand({ IdentityId: id, Logins: l }))).Token;
  };
  const send = (token) => sts(ctx.broker).send(new AssumeRoleWithWebIdentityCommand({
    RoleArn: subRole.Arn, RoleSessionName: 'sub', WebIdentityToken: token,
  }));
  assert.match((await send(await tokenOf('only-me'))).Credentials.AccessKeyId, /^ASIA/);
  await expectAwsError(send(await tokenOf('someone-else')), { name: 'AccessDenied', status: 403 });
});
