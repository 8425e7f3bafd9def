// The AWS CLI pointed at the broker: a signed list-identity-pools, and get-id /
// get-credentials-for-identity with --no-sign-request.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'node:test';
import { useBroker } from '../lib/fixtures.js';

const run = promisify(execFile);
const ctx = useBroker();
const empty = mkdtempSync(join(tmpdir(), 'aws-cli-'));
const haveAws = await run('aws', ['--version']).then(() => true, () => false);
const skip = haveAws ? false : 'the aws CLI is not installed (./test.sh installs the Debian package awscli)';

async function aws(args, credentials) {
  // The caller's own AWS settings must not leak in: drop every AWS_* variable, then set ours.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
  const env = {
    ...inherited,
    AWS_CONFIG_FILE: join(empty, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(empty, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    AWS_DEFAULT_REGION: 'us-east-1',
    ...(credentials ? { AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey } : {}),
  };
  try {
    const { stdout } = await run('aws', [...args, '--endpoint-url', ctx.broker.url, '--output', 'json'], { env, timeout: 60_000 });
    return JSON.parse(stdout);
  } catch (err) {
    throw new Error(`aws ${args.join(' ')} failed (exit ${err.code}): ${err.stderr || err.message}`);
  }
}

test('aws cognito-identity list-identity-pools (signed with the admin keys) lists the demo pool', { skip }, async () => {
  const out = await aws(['cognito-identity', 'list-identity-pools', '--max-results', '10'], ctx.broker.adminCredentials);
  assert.ok(out.IdentityPools.some((p) => p.IdentityPoolId === ctx.broker.demoPoolId()));
});

test('aws cognito-identity get-id and get-credentials-for-identity with --no-sign-request', { skip }, async () => {
  const { IdentityId } = await aws(['cognito-identity', 'get-id', '--identity-pool-id', ctx.broker.demoPoolId(), '--no-sign-request']);
  assert.match(IdentityId, /^us-east-1:[0-9a-f-]{36}$/);
  const out = await aws(['cognito-identity', 'get-credentials-for-identity', '--identity-id', IdentityId, '--no-sign-request']);
  assert.equal(out.IdentityId, IdentityId);
  assert.match(out.Credentials.AccessKeyId, /^ASIA/);
  assert.ok(out.Credentials.SecretKey && out.Credentials.SessionToken && out.Credentials.Expiration);
});

test('the aws CLI shows the broker error for a missing pool', { skip }, async () => {
  const missing = 'us-east-1:00000000-0000-0000-0000-000000000000';
  await assert.rejects(aws(['cognito-identity', 'get-id', '--identity-pool-id', missing, '--no-sign-request']),
    (err) => /ResourceNotFoundException/.test(err.message) && err.message.includes(`IdentityPool '${missing}' not found.`));
});
