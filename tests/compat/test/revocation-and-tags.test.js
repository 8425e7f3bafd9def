// Issue 17: session revocation through the admin API, seen by the real SDK (credentials stop working with AWS's
// expired-token error, the identity mints again), and identity-pool tags through TagResource, UntagResource,
// ListTagsForResource, DescribeIdentityPool and the AWS CLI, usable as aws:ResourceTag in a caller's policy.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CreateIdentityPoolCommand, DescribeIdentityPoolCommand, GetCredentialsForIdentityCommand, GetIdCommand, ListTagsForResourceCommand,
  SetIdentityPoolRolesCommand, TagResourceCommand, UntagResourceCommand, UpdateIdentityPoolCommand,
} from '@aws-sdk/client-cognito-identity';
import { PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ACCOUNT_ID, REGION } from '../lib/broker.js';
import { awsCli, cliSkip } from '../lib/aws-cli.js';
import { adminApi, anonymousCognito, cognito, expectAwsError, fromCognitoCredentials, sts } from '../lib/clients.js';
import { cognitoTrust, createRole, uniqueName, useBroker } from '../lib/fixtures.js';

const ctx = useBroker();
const arnOf = (poolId) => `arn:aws:cognito-identity:${REGION}:${ACCOUNT_ID}:identitypool/${poolId}`;

async function guestPool(tags) {
  const pool = await ctx.cognito.send(new CreateIdentityPoolCommand({
    IdentityPoolName: uniqueName('revoke'), AllowUnauthenticatedIdentities: true, IdentityPoolTags: tags,
  }));
  const role = await createRole(ctx.iam, uniqueName('guest').slice(0, 40), cognitoTrust(pool.IdentityPoolId));
  await ctx.cognito.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: pool.IdentityPoolId, Roles: { unauthenticated: role.Arn } }));
  return { poolId: pool.IdentityPoolId, role };
}

async function guestCredentials(poolId, identityId) {
  const client = anonymousCognito(ctx.broker);
  const id = identityId ?? (await client.send(new GetIdCommand({ IdentityPoolId: poolId }))).IdentityId;
  const out = await client.send(new GetCredentialsForIdentityCommand({ IdentityId: id }));
  return { identityId: id, credentials: fromCognitoCredentials(out.Credentials) };
}

test('revoked credentials fail at STS with the expired-token error; the identity mints again; the revocation is listed and deleted', async () => {
  const { poolId } = await guestPool();
  const { identityId, credentials } = await guestCredentials(poolId);
  const other = await guestCredentials(poolId);
  assert.match((await sts(ctx.broker, credentials).send(new GetCallerIdentityCommand({}))).Arn, /:assumed-role\//);

  const made = await adminApi(ctx.broker, 'POST', '/admin/api/revocations', { IdentityPoolId: poolId, IdentityId: identityId });
  assert.equal(made.status, 200, JSON.stringify(made.json));
  const { RevocationId, AwsRolePolicy } = made.json.Revocation;
  assert.match(JSON.parse(AwsRolePolicy).Statement[0].Condition.DateLessThan['aws:TokenIssueTime'], /^\d{4}-\d\d-\d\dT/);

  await expectAwsError(sts(ctx.broker, credentials).send(new GetCallerIdentityCommand({})),
    { name: 'ExpiredToken', status: 403, message: 'The security token included in the request is expired' });
  await expectAwsError(cognito(ctx.broker, credentials).send(new DescribeIdentityPoolCommand({ IdentityPoolId: poolId })),
    { name: 'ExpiredTokenException', status: 400 });
  assert.ok((await sts(ctx.broker, other.credentials).send(new GetCallerIdentityCommand({}))).Arn, 'another identity of the pool is not in scope');

  const again = await guestCredentials(poolId, identityId);
  assert.match((await sts(ctx.broker, again.credentials).send(new GetCallerIdentityCommand({}))).Arn, /:assumed-role\//);

  const listed = await adminApi(ctx.broker, 'GET', '/admin/api/revocations');
  assert.ok(listed.json.Revocations.some((r) => r.RevocationId === RevocationId));
  assert.equal((await adminApi(ctx.broker, 'DELETE', `/admin/api/revocations/${RevocationId}`)).status, 200);
  assert.equal((await adminApi(ctx.broker, 'DELETE', `/admin/api/revocations/${RevocationId}`)).status, 400);

  const poolWide = await adminApi(ctx.broker, 'POST', '/admin/api/revocations', { IdentityPoolId: poolId });
  assert.equal(poolWide.status, 200);
  await expectAwsError(sts(ctx.broker, again.credentials).send(new GetCallerIdentityCommand({})), { name: 'ExpiredToken', status: 403 });
  await expectAwsError(sts(ctx.broker, other.credentials).send(new GetCallerIdentityCommand({})), { name: 'ExpiredToken', status: 403 });
});

test('TagResource, UntagResource and ListTagsForResource change the tags DescribeIdentityPool returns, with AWS limits', async () => {
  const { poolId } = await guestPool({ team: 'identity' });
  const ResourceArn = arnOf(poolId);

  await ctx.cognito.send(new TagResourceCommand({ ResourceArn, Tags: { env: 'dev', 'cost center': '42' } }));
  await ctx.cognito.send(new UntagResourceCommand({ ResourceArn, TagKeys: ['team', 'absent'] }));
  const { Tags } = await ctx.cognito.send(new ListTagsForResourceCommand({ ResourceArn }));
  const described = await ctx.cognito.send(new DescribeIdentityPoolCommand({ IdentityPoolId: poolId }));
  assert.deepEqual(Tags, { env: 'dev', 'cost center': '42' });
  assert.deepEqual(described.IdentityPoolTags, Tags);

  const fortyNine = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`k${i}`, 'v']));
  await expectAwsError(ctx.cognito.send(new TagResourceCommand({ ResourceArn, Tags: fortyNine })), { name: 'InvalidParameterException' });
  await expectAwsError(ctx.cognito.send(new TagResourceCommand({ ResourceArn, Tags: { 'aws:owner': 'x' } })), { name: 'InvalidParameterException' });
  await expectAwsError(ctx.cognito.send(new TagResourceCommand({ ResourceArn, Tags: { 'bad<key>': 'x' } })), { name: 'InvalidParameterException' });
  await expectAwsError(ctx.cognito.send(new TagResourceCommand({ ResourceArn, Tags: { ['k'.repeat(129)]: 'x' } })), { name: 'ValidationException' });
  await expectAwsError(ctx.cognito.send(new UpdateIdentityPoolCommand({
    IdentityPoolId: poolId, IdentityPoolName: described.IdentityPoolName, AllowUnauthenticatedIdentities: true,
    IdentityPoolTags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])),
  })), { name: 'InvalidParameterException' });
  assert.deepEqual((await ctx.cognito.send(new ListTagsForResourceCommand({ ResourceArn }))).Tags, Tags, 'a refused change changes nothing');
  await expectAwsError(ctx.cognito.send(new ListTagsForResourceCommand({ ResourceArn: arnOf('us-east-1:00000000-0000-0000-0000-000000000000') })),
    { name: 'ResourceNotFoundException' });
});

test('aws:ResourceTag in a caller policy allows the tagged pool and not the other', async () => {
  const { poolId, role } = await guestPool({ env: 'dev' });
  const { poolId: otherPool } = await guestPool({ env: 'prod' });
  await ctx.iam.send(new PutRolePolicyCommand({
    RoleName: role.RoleName,
    PolicyName: 'dev-pools',
    PolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'cognito-identity:DescribeIdentityPool', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/env': 'dev' } } }],
    }),
  }));
  const { credentials } = await guestCredentials(poolId);
  const caller = cognito(ctx.broker, credentials);

  assert.equal((await caller.send(new DescribeIdentityPoolCommand({ IdentityPoolId: poolId }))).IdentityPoolId, poolId);
  await expectAwsError(caller.send(new DescribeIdentityPoolCommand({ IdentityPoolId: otherPool })), { name: 'AccessDeniedException' });

  await ctx.cognito.send(new TagResourceCommand({ ResourceArn: arnOf(otherPool), Tags: { env: 'dev' } }));
  assert.equal((await caller.send(new DescribeIdentityPoolCommand({ IdentityPoolId: otherPool }))).IdentityPoolId, otherPool,
    'the tag set by TagResource authorizes at once');
});

test('aws cognito-identity tag-resource, list-tags-for-resource and untag-resource', { skip: cliSkip }, async () => {
  const { poolId } = await guestPool();
  const arn = arnOf(poolId);
  await awsCli(ctx.broker, ['cognito-identity', 'tag-resource', '--resource-arn', arn, '--tags', 'env=cli,team=broker']);
  await awsCli(ctx.broker, ['cognito-identity', 'untag-resource', '--resource-arn', arn, '--tag-keys', 'team']);
  const { Tags } = await awsCli(ctx.broker, ['cognito-identity', 'list-tags-for-resource', '--resource-arn', arn]);
  assert.deepEqual(Tags, { env: 'cli' });
});
