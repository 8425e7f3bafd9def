// User-pool groups and tags, driven by the real @aws-sdk/client-cognito-identity-provider and the AWS CLI: create,
// get, update, list (paged) and delete groups with RoleArn and Precedence; Cognito's errors for a taken name, a missing
// group and an unknown user; memberships of users made with AdminCreateUser, gone with AdminDeleteUser; tags through
// TagResource/UntagResource/ListTagsForResource shared with UserPoolTags.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CreateUserPoolCommand, DescribeUserPoolCommand, CreateGroupCommand, GetGroupCommand, UpdateGroupCommand, DeleteGroupCommand,
  ListGroupsCommand, AdminAddUserToGroupCommand, AdminRemoveUserFromGroupCommand, AdminCreateUserCommand, AdminDeleteUserCommand, AdminListGroupsForUserCommand, ListUsersInGroupCommand, TagResourceCommand,
  UntagResourceCommand, ListTagsForResourceCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { awsCli, cliSkip } from '../lib/aws-cli.js';
import { useBroker, uniqueName } from '../lib/fixtures.js';
import { expectAwsError, userPools } from '../lib/clients.js';

const ctx = useBroker();
const adminRole = 'arn:aws:iam::000000000000:role/Admins';


async function newPool(client, tags) {
  return (await client.send(new CreateUserPoolCommand({ PoolName: uniqueName('groups'), UserPoolTags: tags }))).UserPool;
}

test('the SDK creates, reads, updates, pages through and deletes groups with Cognito errors', async () => {
  const client = userPools(ctx.broker);
  const pool = await newPool(client);

  const { Group: created } = await client.send(new CreateGroupCommand({
    UserPoolId: pool.Id, GroupName: 'Admins', Description: 'the admins', RoleArn: adminRole, Precedence: 1,
  }));
  assert.equal(created.GroupName, 'Admins');
  assert.equal(created.RoleArn, adminRole);
  assert.equal(created.Precedence, 1);
  assert.ok(created.CreationDate instanceof Date, 'the SDK reads CreationDate as a timestamp');
  await client.send(new CreateGroupCommand({ UserPoolId: pool.Id, GroupName: 'readers' }));

  await expectAwsError(client.send(new CreateGroupCommand({ UserPoolId: pool.Id, GroupName: 'ADMINS' })),
    { name: 'GroupExistsException', message: 'A group with the name already exists.' });

  const { Group: updated } = await client.send(new UpdateGroupCommand({ UserPoolId: pool.Id, GroupName: 'admins', Precedence: 0 }));
  assert.equal(updated.Precedence, 0);
  assert.equal(updated.Description, 'the admins', 'a member the update leaves out is kept');

  const first = await client.send(new ListGroupsCommand({ UserPoolId: pool.Id, Limit: 1 }));
  const second = await client.send(new ListGroupsCommand({ UserPoolId: pool.Id, Limit: 1, NextToken: first.NextToken }));
  assert.deepEqual([...first.Groups, ...second.Groups].map((g) => g.GroupName), ['Admins', 'readers']);
  assert.equal(second.NextToken, undefined);

  await client.send(new DeleteGroupCommand({ UserPoolId: pool.Id, GroupName: 'readers' }));
  await expectAwsError(client.send(new GetGroupCommand({ UserPoolId: pool.Id, GroupName: 'readers' })),
    { name: 'ResourceNotFoundException', message: 'Group not found.' });
  await expectAwsError(client.send(new ListUsersInGroupCommand({ UserPoolId: pool.Id, GroupName: 'readers' })),
    { name: 'ResourceNotFoundException', message: 'Group not found.' });
  await expectAwsError(client.send(new AdminAddUserToGroupCommand({ UserPoolId: pool.Id, GroupName: 'Admins', Username: 'nobody' })),
    { name: 'UserNotFoundException', message: 'User does not exist.' });
  await expectAwsError(client.send(new AdminListGroupsForUserCommand({ UserPoolId: pool.Id, Username: 'nobody' })),
    { name: 'UserNotFoundException', message: 'User does not exist.' });
  const { Users: members } = await client.send(new ListUsersInGroupCommand({ UserPoolId: pool.Id, GroupName: 'Admins' }));
  assert.deepEqual(members, []);
});

test('the SDK adds users made with AdminCreateUser to groups, lists both ways, removes them, and a deleted user leaves its groups', async () => {
  const client = userPools(ctx.broker);
  const pool = await newPool(client);
  for (const Username of ['ann', 'bob']) {
    await client.send(new AdminCreateUserCommand({ UserPoolId: pool.Id, Username, TemporaryPassword: 'Temp-Passw0rd!', MessageAction: 'SUPPRESS' }));
  }
  await client.send(new CreateGroupCommand({ UserPoolId: pool.Id, GroupName: 'admins', RoleArn: adminRole, Precedence: 0 }));
  await client.send(new CreateGroupCommand({ UserPoolId: pool.Id, GroupName: 'readers' }));

  await client.send(new AdminAddUserToGroupCommand({ UserPoolId: pool.Id, GroupName: 'readers', Username: 'ann' }));
  await client.send(new AdminAddUserToGroupCommand({ UserPoolId: pool.Id, GroupName: 'admins', Username: 'ann' }));
  await client.send(new AdminAddUserToGroupCommand({ UserPoolId: pool.Id, GroupName: 'admins', Username: 'bob' }));
  const { Groups } = await client.send(new AdminListGroupsForUserCommand({ UserPoolId: pool.Id, Username: 'ann' }));
  const { Users } = await client.send(new ListUsersInGroupCommand({ UserPoolId: pool.Id, GroupName: 'admins' }));
  assert.deepEqual(Groups.map((g) => g.GroupName), ['readers', 'admins']);
  assert.deepEqual(Users.map((u) => u.Username), ['ann', 'bob']);
  assert.ok(Users[0].Attributes.some((a) => a.Name === 'sub'), 'UserType carries the sub');

  await client.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: pool.Id, GroupName: 'readers', Username: 'ann' }));
  await client.send(new AdminDeleteUserCommand({ UserPoolId: pool.Id, Username: 'bob' }));
  const { Users: left } = await client.send(new ListUsersInGroupCommand({ UserPoolId: pool.Id, GroupName: 'admins' }));
  const { Groups: annLeft } = await client.send(new AdminListGroupsForUserCommand({ UserPoolId: pool.Id, Username: 'ann' }));
  assert.deepEqual(left.map((u) => u.Username), ['ann']);
  assert.deepEqual(annLeft.map((g) => g.GroupName), ['admins']);
});

test('the SDK tags a user pool and DescribeUserPool shows the same tags', async () => {
  const client = userPools(ctx.broker);
  const pool = await newPool(client, { team: 'identity' });

  await client.send(new TagResourceCommand({ ResourceArn: pool.Arn, Tags: { env: 'dev' } }));
  await client.send(new UntagResourceCommand({ ResourceArn: pool.Arn, TagKeys: ['team'] }));
  const { Tags } = await client.send(new ListTagsForResourceCommand({ ResourceArn: pool.Arn }));
  const { UserPool: described } = await client.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id }));

  assert.deepEqual(Tags, { env: 'dev' });
  assert.deepEqual(described.UserPoolTags, { env: 'dev' });
  await expectAwsError(client.send(new ListTagsForResourceCommand({ ResourceArn: pool.Arn.replace(pool.Id, 'us-east-1_Missing00') })),
    { name: 'ResourceNotFoundException', message: 'User pool us-east-1_Missing00 does not exist.' });
});

test('aws cognito-idp create-group and list-groups', { skip: cliSkip }, async () => {
  const pool = await newPool(userPools(ctx.broker));

  const { Group } = await awsCli(ctx.broker, ['cognito-idp', 'create-group', '--user-pool-id', pool.Id, '--group-name', 'cli-admins',
    '--role-arn', adminRole, '--precedence', '3']);
  const { Groups } = await awsCli(ctx.broker, ['cognito-idp', 'list-groups', '--user-pool-id', pool.Id]);

  assert.equal(Group.GroupName, 'cli-admins');
  assert.equal(Group.Precedence, 3);
  assert.deepEqual(Groups.map((g) => g.GroupName), ['cli-admins']);
});
