// The administrative user operations of the broker's user pools, driven by the real
// @aws-sdk/client-cognito-identity-provider and the AWS CLI: AdminCreateUser (email as username), AdminGetUser by the
// email, ListUsers with a Filter and paging, attribute updates and deletes, enable/disable, AdminSetUserPassword,
// AddCustomAttributes, AdminDeleteUser, and Cognito's errors as the SDK reads them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AddCustomAttributesCommand, AdminCreateUserCommand, AdminDeleteUserAttributesCommand, AdminDeleteUserCommand,
  AdminDisableUserCommand, AdminEnableUserCommand, AdminGetUserCommand, AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand, CreateUserPoolCommand, DescribeUserPoolCommand, ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { awsCli, cliSkip } from '../lib/aws-cli.js';
import { useBroker, uniqueName } from '../lib/fixtures.js';
import { expectAwsError, userPools } from '../lib/clients.js';

const ctx = useBroker();
const password = 'Temp0rary!Passw0rd';


const attribute = (attributes, name) => attributes.find((a) => a.Name === name)?.Value;

test('the SDK creates a user signed in by email, reads it by the email, lists, updates and deletes it', async () => {
  const client = userPools(ctx.broker);
  const { UserPool: pool } = await client.send(new CreateUserPoolCommand({
    PoolName: uniqueName('users'),
    UsernameAttributes: ['email'],
    UsernameConfiguration: { CaseSensitive: false },
    Schema: [{ Name: 'team', AttributeDataType: 'String', Mutable: true }],
  }));
  const UserPoolId = pool.Id;

  const { User: created } = await client.send(new AdminCreateUserCommand({
    UserPoolId, Username: 'Ann@Example.com', TemporaryPassword: password, MessageAction: 'SUPPRESS',
    UserAttributes: [{ Name: 'given_name', Value: 'Ann' }, { Name: 'custom:team', Value: 'identity' }],
  }));
  const sub = attribute(created.Attributes, 'sub');
  assert.equal(created.Username, sub, 'with email as username attribute, the username is the sub');
  assert.equal(created.UserStatus, 'FORCE_CHANGE_PASSWORD');
  assert.ok(created.UserCreateDate instanceof Date, 'the SDK reads UserCreateDate as a timestamp');

  const got = await client.send(new AdminGetUserCommand({ UserPoolId, Username: 'ann@example.com' }));
  assert.equal(got.Username, sub, 'found by the email, in any case');
  assert.equal(attribute(got.UserAttributes, 'custom:team'), 'identity');

  await expectAwsError(client.send(new AdminCreateUserCommand({ UserPoolId, Username: 'ANN@example.com', MessageAction: 'SUPPRESS' })),
    { name: 'UsernameExistsException', message: 'An account with the given email already exists.' });

  await client.send(new AdminCreateUserCommand({ UserPoolId, Username: 'bob@example.com', TemporaryPassword: password, MessageAction: 'SUPPRESS' }));
  const first = await client.send(new ListUsersCommand({ UserPoolId, Limit: 1 }));
  const second = await client.send(new ListUsersCommand({ UserPoolId, Limit: 1, PaginationToken: first.PaginationToken }));
  assert.deepEqual([...first.Users, ...second.Users].map((u) => attribute(u.Attributes, 'email')), ['Ann@Example.com', 'bob@example.com'], 'the email is kept as given');
  assert.equal(second.PaginationToken, undefined);
  const filtered = await client.send(new ListUsersCommand({ UserPoolId, Filter: 'email ^= "bob"' }));
  assert.deepEqual(filtered.Users.map((u) => attribute(u.Attributes, 'email')), ['bob@example.com']);
  await expectAwsError(client.send(new ListUsersCommand({ UserPoolId, Filter: 'custom:team = "identity"' })),
    { name: 'InvalidParameterException', message: 'Error while parsing filter.' });

  await client.send(new AdminUpdateUserAttributesCommand({ UserPoolId, Username: sub, UserAttributes: [{ Name: 'nickname', Value: 'annie' }] }));
  await client.send(new AdminDeleteUserAttributesCommand({ UserPoolId, Username: sub, UserAttributeNames: ['given_name'] }));
  await client.send(new AdminDisableUserCommand({ UserPoolId, Username: sub }));
  const disabled = await client.send(new AdminGetUserCommand({ UserPoolId, Username: sub }));
  assert.equal(disabled.Enabled, false);
  assert.equal(attribute(disabled.UserAttributes, 'nickname'), 'annie');
  assert.equal(attribute(disabled.UserAttributes, 'given_name'), undefined);
  await client.send(new AdminEnableUserCommand({ UserPoolId, Username: sub }));

  await client.send(new AdminSetUserPasswordCommand({ UserPoolId, Username: sub, Password: 'Perm4nent!Password', Permanent: true }));
  assert.equal((await client.send(new AdminGetUserCommand({ UserPoolId, Username: sub }))).UserStatus, 'CONFIRMED');
  await expectAwsError(client.send(new AdminSetUserPasswordCommand({ UserPoolId, Username: sub, Password: 'short', Permanent: true })),
    { name: 'InvalidPasswordException', message: 'Password did not conform with policy: Password not long enough' });

  await client.send(new AdminDeleteUserCommand({ UserPoolId, Username: sub }));
  await expectAwsError(client.send(new AdminGetUserCommand({ UserPoolId, Username: sub })),
    { name: 'UserNotFoundException', message: 'User does not exist.' });
});

test('the SDK adds custom attributes to the schema and refuses attributes outside it', async () => {
  const client = userPools(ctx.broker);
  const { UserPool: pool } = await client.send(new CreateUserPoolCommand({ PoolName: uniqueName('schema') }));
  const UserPoolId = pool.Id;
  await expectAwsError(client.send(new AdminCreateUserCommand({
    UserPoolId, Username: 'carl', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'custom:tier', Value: 'gold' }],
  })), { name: 'InvalidParameterException', message: 'Attributes did not conform to the schema: custom:tier: Attribute does not exist in the schema.' });

  await client.send(new AddCustomAttributesCommand({ UserPoolId, CustomAttributes: [{ Name: 'tier', AttributeDataType: 'String' }] }));
  const { User: user } = await client.send(new AdminCreateUserCommand({
    UserPoolId, Username: 'carl', TemporaryPassword: password, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'custom:tier', Value: 'gold' }],
  }));
  const { UserPool: described } = await client.send(new DescribeUserPoolCommand({ UserPoolId }));
  assert.equal(attribute(user.Attributes, 'custom:tier'), 'gold');
  assert.ok(described.SchemaAttributes.some((a) => a.Name === 'custom:tier' && a.AttributeDataType === 'String'));
  assert.ok(described.SchemaAttributes.some((a) => a.Name === 'email'));
});

test('aws cognito-idp admin-create-user, list-users --filter and admin-get-user', { skip: cliSkip }, async () => {
  const { UserPool: pool } = await awsCli(ctx.broker, ['cognito-idp', 'create-user-pool', '--pool-name', uniqueName('cli')]);
  const { User: created } = await awsCli(ctx.broker, ['cognito-idp', 'admin-create-user', '--user-pool-id', pool.Id, '--username', 'dora',
    '--temporary-password', password, '--message-action', 'SUPPRESS', '--user-attributes', 'Name=email,Value=dora@example.com']);
  assert.equal(created.Username, 'dora');
  const { Users: users } = await awsCli(ctx.broker, ['cognito-idp', 'list-users', '--user-pool-id', pool.Id, '--filter', 'email = "dora@example.com"']);
  assert.deepEqual(users.map((u) => u.Username), ['dora']);
  const got = await awsCli(ctx.broker, ['cognito-idp', 'admin-get-user', '--user-pool-id', pool.Id, '--username', 'dora']);
  assert.equal(got.UserStatus, 'FORCE_CHANGE_PASSWORD');
});
