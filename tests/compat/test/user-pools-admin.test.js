// The Cognito User Pools administration served so far, driven by the real
// @aws-sdk/client-cognito-identity-provider and the AWS CLI: create, describe, list (paged), update and delete a
// user pool and its app clients; Cognito's errors; an operation not served yet answers an error naming it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CreateUserPoolCommand, DeleteUserPoolCommand, DescribeUserPoolCommand, ListUserPoolsCommand, UpdateUserPoolCommand,
  AdminListDevicesCommand, CreateUserPoolClientCommand, DeleteUserPoolClientCommand, DescribeUserPoolClientCommand,
  ListUserPoolClientsCommand, UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { awsCli, cliSkip } from '../lib/aws-cli.js';
import { useBroker, uniqueName } from '../lib/fixtures.js';
import { expectAwsError, userPools } from '../lib/clients.js';

const ctx = useBroker();


test('the SDK creates, describes, updates and deletes a user pool with its password policy and tags', async () => {
  const client = userPools(ctx.broker);
  const name = uniqueName('sdk');
  const { UserPool: created } = await client.send(new CreateUserPoolCommand({
    PoolName: name,
    Policies: { PasswordPolicy: { MinimumLength: 10, RequireUppercase: true, RequireLowercase: true, RequireNumbers: false, RequireSymbols: false } },
    UsernameAttributes: ['email'],
    AutoVerifiedAttributes: ['email'],
    UserPoolTags: { team: 'identity' },
  }));
  assert.match(created.Id, /^us-east-1_[0-9a-zA-Z]{9}$/);
  assert.equal(created.Arn, `arn:aws:cognito-idp:us-east-1:000000000000:userpool/${created.Id}`);
  assert.ok(created.CreationDate instanceof Date, 'the SDK reads CreationDate as a timestamp');

  const { UserPool: described } = await client.send(new DescribeUserPoolCommand({ UserPoolId: created.Id }));
  assert.equal(described.Name, name);
  assert.equal(described.Policies.PasswordPolicy.MinimumLength, 10);
  assert.equal(described.Policies.PasswordPolicy.RequireNumbers, false);
  assert.deepEqual(described.UsernameAttributes, ['email']);
  assert.deepEqual(described.UserPoolTags, { team: 'identity' });
  assert.equal(described.MfaConfiguration, 'OFF');

  await client.send(new UpdateUserPoolCommand({ UserPoolId: created.Id, MfaConfiguration: 'OFF', DeletionProtection: 'ACTIVE' }));
  await expectAwsError(client.send(new DeleteUserPoolCommand({ UserPoolId: created.Id })), { name: 'InvalidParameterException' });
  await client.send(new UpdateUserPoolCommand({ UserPoolId: created.Id }));
  await client.send(new DeleteUserPoolCommand({ UserPoolId: created.Id }));
  await expectAwsError(client.send(new DescribeUserPoolCommand({ UserPoolId: created.Id })),
    { name: 'ResourceNotFoundException', message: `User pool ${created.Id} does not exist.` });
});

test('the SDK pages through ListUserPools with NextToken', async () => {
  const client = userPools(ctx.broker);
  const ids = [];
  for (let i = 0; i < 3; i++) {
    ids.push((await client.send(new CreateUserPoolCommand({ PoolName: uniqueName('page') }))).UserPool.Id);
  }
  const seen = [];
  let NextToken;
  do {
    const page = await client.send(new ListUserPoolsCommand({ MaxResults: 2, NextToken }));
    assert.ok(page.UserPools.length <= 2);
    seen.push(...page.UserPools.map((p) => p.Id));
    NextToken = page.NextToken;
  } while (NextToken);
  for (const id of ids) assert.ok(seen.includes(id), `${id} is listed`);
  assert.equal(new Set(seen).size, seen.length, 'no pool is listed twice');
});

test('the SDK gets the model validation error and the error for an operation not served yet', async () => {
  const client = userPools(ctx.broker);
  await expectAwsError(client.send(new CreateUserPoolCommand({ PoolName: 'p', Policies: { PasswordPolicy: { MinimumLength: 100 } } })), {
    name: 'ValidationException',
    message: "1 validation error detected: Value '100' at 'policies.passwordPolicy.minimumLength' failed to satisfy constraint: Member must have value less than or equal to 99",
  });
  await expectAwsError(client.send(new AdminListDevicesCommand({ UserPoolId: 'us-east-1_abcdefghi', Username: 'u' })),
    { name: 'UnknownOperationException', message: /AdminListDevices/ });
});

test('aws cognito-idp create-user-pool, describe-user-pool, list-user-pools, update-user-pool and delete-user-pool', { skip: cliSkip }, async () => {
  const name = uniqueName('cli');
  const { UserPool: created } = await awsCli(ctx.broker, ['cognito-idp', 'create-user-pool', '--pool-name', name,
    '--policies', 'PasswordPolicy={MinimumLength=9,RequireSymbols=false}']);
  const { UserPool: described } = await awsCli(ctx.broker, ['cognito-idp', 'describe-user-pool', '--user-pool-id', created.Id]);
  assert.equal(described.Name, name);
  assert.equal(described.Policies.PasswordPolicy.MinimumLength, 9);
  const listed = await awsCli(ctx.broker, ['cognito-idp', 'list-user-pools', '--max-results', '60']);
  assert.ok(listed.UserPools.some((p) => p.Id === created.Id && p.Name === name));
  await awsCli(ctx.broker, ['cognito-idp', 'update-user-pool', '--user-pool-id', created.Id, '--mfa-configuration', 'OFF']);
  await awsCli(ctx.broker, ['cognito-idp', 'delete-user-pool', '--user-pool-id', created.Id]);
  await assert.rejects(awsCli(ctx.broker, ['cognito-idp', 'describe-user-pool', '--user-pool-id', created.Id]),
    (err) => /ResourceNotFoundException/.test(err.message) && err.message.includes(`User pool ${created.Id} does not exist.`));
});

test('the SDK manages app clients: a generated secret, a listing, an update that keeps the name, and deletion with the pool', async () => {
  const client = userPools(ctx.broker);
  const { UserPool: pool } = await client.send(new CreateUserPoolCommand({ PoolName: uniqueName('clients') }));
  const { UserPoolClient: app } = await client.send(new CreateUserPoolClientCommand({
    UserPoolId: pool.Id,
    ClientName: 'web',
    GenerateSecret: true,
    ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    IdTokenValidity: 2,
    TokenValidityUnits: { IdToken: 'hours' },
    CallbackURLs: ['https://app.example.com/callback'],
    AllowedOAuthFlows: ['code'],
    AllowedOAuthScopes: ['openid', 'email'],
    AllowedOAuthFlowsUserPoolClient: true,
  }));
  assert.match(app.ClientId, /^[a-z0-9]{26}$/);
  assert.ok(app.ClientSecret && app.ClientSecret.length >= 24);

  const { UserPoolClient: described } = await client.send(new DescribeUserPoolClientCommand({ UserPoolId: pool.Id, ClientId: app.ClientId }));
  assert.equal(described.ClientSecret, app.ClientSecret);
  assert.equal(described.IdTokenValidity, 2);
  assert.deepEqual(described.TokenValidityUnits, { IdToken: 'hours' });
  assert.deepEqual(described.AllowedOAuthScopes, ['openid', 'email']);
  assert.ok(described.CreationDate instanceof Date);

  const { UserPoolClients } = await client.send(new ListUserPoolClientsCommand({ UserPoolId: pool.Id, MaxResults: 10 }));
  assert.deepEqual(UserPoolClients, [{ ClientId: app.ClientId, UserPoolId: pool.Id, ClientName: 'web' }]);

  const { UserPoolClient: updated } = await client.send(new UpdateUserPoolClientCommand({
    UserPoolId: pool.Id, ClientId: app.ClientId, ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
  }));
  assert.equal(updated.ClientName, 'web');
  assert.deepEqual(updated.ExplicitAuthFlows, ['ALLOW_USER_PASSWORD_AUTH']);

  await client.send(new DeleteUserPoolClientCommand({ UserPoolId: pool.Id, ClientId: app.ClientId }));
  await expectAwsError(client.send(new DescribeUserPoolClientCommand({ UserPoolId: pool.Id, ClientId: app.ClientId })),
    { name: 'ResourceNotFoundException', message: `User pool client ${app.ClientId} does not exist.` });

  const { UserPoolClient: second } = await client.send(new CreateUserPoolClientCommand({ UserPoolId: pool.Id, ClientName: 'mobile' }));
  await client.send(new DeleteUserPoolCommand({ UserPoolId: pool.Id }));
  await expectAwsError(client.send(new DescribeUserPoolClientCommand({ UserPoolId: pool.Id, ClientId: second.ClientId })),
    { name: 'ResourceNotFoundException', message: `User pool ${pool.Id} does not exist.` });
});

test('aws cognito-idp create-user-pool-client, describe-user-pool-client, list-user-pool-clients, delete-user-pool-client', { skip: cliSkip }, async () => {
  const { UserPool: pool } = await awsCli(ctx.broker, ['cognito-idp', 'create-user-pool', '--pool-name', uniqueName('cliclients')]);
  const { UserPoolClient: app } = await awsCli(ctx.broker, ['cognito-idp', 'create-user-pool-client', '--user-pool-id', pool.Id,
    '--client-name', 'cli-app', '--generate-secret', '--explicit-auth-flows', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
  assert.match(app.ClientId, /^[a-z0-9]{26}$/);
  assert.ok(app.ClientSecret);
  const { UserPoolClient: described } = await awsCli(ctx.broker, ['cognito-idp', 'describe-user-pool-client', '--user-pool-id', pool.Id, '--client-id', app.ClientId]);
  assert.deepEqual(described.ExplicitAuthFlows, ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
  const listed = await awsCli(ctx.broker, ['cognito-idp', 'list-user-pool-clients', '--user-pool-id', pool.Id]);
  assert.deepEqual(listed.UserPoolClients.map((c) => c.ClientId), [app.ClientId]);
  await awsCli(ctx.broker, ['cognito-idp', 'update-user-pool-client', '--user-pool-id', pool.Id, '--client-id', app.ClientId, '--client-name', 'renamed']);
  await awsCli(ctx.broker, ['cognito-idp', 'delete-user-pool-client', '--user-pool-id', pool.Id, '--client-id', app.ClientId]);
  await awsCli(ctx.broker, ['cognito-idp', 'delete-user-pool', '--user-pool-id', pool.Id]);
});
