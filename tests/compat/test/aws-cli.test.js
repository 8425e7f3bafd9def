// The AWS CLI pointed at the broker: a signed list-identity-pools, and get-id /
// get-credentials-for-identity with --no-sign-request.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { awsCli, cliSkip } from '../lib/aws-cli.js';
import { useBroker } from '../lib/fixtures.js';

const ctx = useBroker();


test('aws cognito-identity list-identity-pools (signed with the admin keys) lists the demo pool', { skip: cliSkip }, async () => {
  const out = await awsCli(ctx.broker, ['cognito-identity', 'list-identity-pools', '--max-results', '10']);
  assert.ok(out.IdentityPools.some((p) => p.IdentityPoolId === ctx.broker.demoPoolId()));
});

test('aws cognito-identity get-id and get-credentials-for-identity with --no-sign-request', { skip: cliSkip }, async () => {
  const { IdentityId } = await awsCli(ctx.broker, ['cognito-identity', 'get-id', '--identity-pool-id', ctx.broker.demoPoolId(), '--no-sign-request'], null);
  assert.match(IdentityId, /^us-east-1:[0-9a-f-]{36}$/);
  const out = await awsCli(ctx.broker, ['cognito-identity', 'get-credentials-for-identity', '--identity-id', IdentityId, '--no-sign-request'], null);
  assert.equal(out.IdentityId, IdentityId);
  assert.match(out.Credentials.AccessKeyId, /^ASIA/);
  assert.ok(out.Credentials.SecretKey && out.Credentials.SessionToken && out.Credentials.Expiration);
});

test('the aws CLI shows the broker error for a missing pool', { skip: cliSkip }, async () => {
  const missing = 'us-east-1:00000000-0000-0000-0000-000000000000';
  await assert.rejects(awsCli(ctx.broker, ['cognito-identity', 'get-id', '--identity-pool-id', missing, '--no-sign-request'], null),
    (err) => /ResourceNotFoundException/.test(err.message) && err.message.includes(`IdentityPool '${missing}' not found.`));
});
