// Configuration as code through the CLI against a running broker (docs/config-as-code.md): the server's own
// `export` / `plan` / `apply --url` commands (signed with the admin key from the environment, as the AWS tools read it),
// with the out-of-band change made by the official AWS SDK v3 — plan shows exactly that drift, apply undoes it (an
// identity pool, a role, and a user pool's app client, whose secret apply keeps).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { CreateIdentityPoolCommand, SetIdentityPoolRolesCommand, UpdateIdentityPoolCommand } from '@aws-sdk/client-cognito-identity';
import { CreateUserPoolClientCommand, CreateUserPoolCommand, DescribeUserPoolClientCommand, UpdateUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import { UpdateRoleCommand } from '@aws-sdk/client-iam';
import { userPools } from '../lib/clients.js';
import { DEFAULT_DLL } from '../lib/broker.js';
import { cognitoTrust, createRole, uniqueName, useBroker } from '../lib/fixtures.js';

const run = promisify(execFile);
const ctx = useBroker();

/** The CLI as an operator runs it: exit code and printed report. */
async function cli(command, file, extra = []) {
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: ctx.broker.adminCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: ctx.broker.adminCredentials.secretAccessKey,
  };
  try {
    const { stdout } = await run('dotnet', [process.env.COMPAT_BROKER_DLL ?? DEFAULT_DLL, command, '--file', file, '--url', ctx.broker.url, ...extra], { env, timeout: 120_000 });
    return { code: 0, out: stdout };
  } catch (e) {
    if (typeof e.code !== 'number') throw e;
    return { code: e.code, out: `${e.stdout}${e.stderr}` };
  }
}

test('export, drift made with the AWS SDK, plan shows exactly it, apply undoes it, export is the same again', async () => {
  const created = await ctx.cognito.send(new CreateIdentityPoolCommand({ IdentityPoolName: uniqueName('cac'), AllowUnauthenticatedIdentities: true }));
  const poolId = created.IdentityPoolId;
  const guest = await createRole(ctx.iam, uniqueName('Guest'), cognitoTrust(poolId, 'unauthenticated'));
  await ctx.cognito.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: poolId, Roles: { unauthenticated: guest.Arn } }));
  const idp = userPools(ctx.broker);
  const { UserPool } = await idp.send(new CreateUserPoolCommand({ PoolName: uniqueName('cacusers'), AutoVerifiedAttributes: ['email'] }));
  const { UserPoolClient } = await idp.send(new CreateUserPoolClientCommand({
    UserPoolId: UserPool.Id, ClientName: 'web', GenerateSecret: true, CallbackURLs: ['https://app.example.com/cb'],
    AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid'], AllowedOAuthFlowsUserPoolClient: true, SupportedIdentityProviders: ['COGNITO'],
  }));

  const dir = mkdtempSync(join(tmpdir(), 'cac-'));
  const file = join(dir, 'broker.yaml');
  const exported = await cli('export', file);
  assert.equal(exported.code, 0, exported.out);
  const document = readFileSync(file, 'utf8');
  assert.match(document, new RegExp(`IdentityPoolId: ${poolId.replace(':', '\\:')}`));
  assert.match(document, new RegExp(`RoleName: ${guest.RoleName}`));
  assert.match(document, new RegExp(`ClientId: ${UserPoolClient.ClientId}`));
  assert.ok(!document.includes(UserPoolClient.ClientSecret), 'the client secret is not exported');

  const clean = await cli('plan', file);
  assert.equal(clean.code, 0, clean.out);
  assert.match(clean.out, /No changes/);

  // Out of band, with the official SDK: a pool setting and a role description.
  await ctx.cognito.send(new UpdateIdentityPoolCommand({ IdentityPoolId: poolId, IdentityPoolName: created.IdentityPoolName, AllowUnauthenticatedIdentities: false }));
  await ctx.iam.send(new UpdateRoleCommand({ RoleName: guest.RoleName, Description: 'edited in the console' }));
  await idp.send(new UpdateUserPoolClientCommand({
    UserPoolId: UserPool.Id, ClientId: UserPoolClient.ClientId, ClientName: 'web', CallbackURLs: ['https://edited.example.com/cb'],
    AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid'], AllowedOAuthFlowsUserPoolClient: true, SupportedIdentityProviders: ['COGNITO'],
  }));

  const drift = await cli('plan', file);
  assert.equal(drift.code, 0, drift.out);
  const lines = drift.out.trim().split('\n');
  assert.deepEqual(lines.filter((l) => /^[~+-] /.test(l)).sort(), [
    `~ update IdentityPool ${poolId} (AllowUnauthenticatedIdentities)`,
    `~ update Role ${guest.RoleName} (Description)`,
    `~ update UserPoolClient ${UserPool.Id}/${UserPoolClient.ClientId} (Settings)`,
  ]);

  const applied = await cli('apply', file);
  assert.equal(applied.code, 0, applied.out);
  assert.match(applied.out, /Outcome: Applied/);
  const again = join(dir, 'again.yaml');
  assert.equal((await cli('export', again)).code, 0);
  assert.equal(readFileSync(again, 'utf8'), document);
  const described = await idp.send(new DescribeUserPoolClientCommand({ UserPoolId: UserPool.Id, ClientId: UserPoolClient.ClientId }));
  assert.equal(described.UserPoolClient.ClientSecret, UserPoolClient.ClientSecret, 'apply keeps the client secret');
  assert.deepEqual(described.UserPoolClient.CallbackURLs, ['https://app.example.com/cb']);
});

test('a document the write-time checks refuse: plan names the error, apply changes nothing and exits 1', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cac-'));
  const file = join(dir, 'broker.yaml');
  assert.equal((await cli('export', file)).code, 0);
  const before = readFileSync(file, 'utf8');
  const broken = `${before.replace(/^Roles:.*$/m, 'Roles:\n- RoleName: BrokenTrust\n  AssumeRolePolicyDocument: "{not json"')}`;
  writeFileSync(file, broken);

  const plan = await cli('plan', file);
  assert.equal(plan.code, 1, plan.out);
  assert.match(plan.out, /^\+ create Role BrokenTrust$/m);
  assert.match(plan.out, /^! Role BrokenTrust: MalformedPolicyDocument: /m);

  const apply = await cli('apply', file);
  assert.equal(apply.code, 1, apply.out);
  assert.match(apply.out, /Outcome: Refused/);
  const after = join(dir, 'after.yaml');
  assert.equal((await cli('export', after)).code, 0);
  assert.equal(readFileSync(after, 'utf8'), before);

  // Without the admin key the CLI says what is missing instead of calling unsigned.
  const { code, stdout } = await run('dotnet', [process.env.COMPAT_BROKER_DLL ?? DEFAULT_DLL, 'plan', '--file', file, '--url', ctx.broker.url],
    { env: { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' } }).then((r) => ({ code: 0, ...r }), (e) => e);
  assert.equal(code, 1);
  assert.match(stdout, /AWS_ACCESS_KEY_ID/);
});
