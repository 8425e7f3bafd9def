// The IAM-compatible subset through the SDK's IAM client: roles, inline role policies, OIDC providers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AddClientIDToOpenIDConnectProviderCommand, CreateOpenIDConnectProviderCommand, CreateRoleCommand, DeleteRoleCommand,
  DeleteOpenIDConnectProviderCommand, GetOpenIDConnectProviderCommand, GetRoleCommand, GetRolePolicyCommand,
  ListOpenIDConnectProvidersCommand, ListRolesCommand, PutRolePolicyCommand, RemoveClientIDFromOpenIDConnectProviderCommand,
  UpdateOpenIDConnectProviderThumbprintCommand,
} from '@aws-sdk/client-iam';
import { ACCOUNT_ID } from '../lib/broker.js';
import { expectAwsError } from '../lib/clients.js';
import { cognitoTrust, uniqueName, useBroker } from '../lib/fixtures.js';

const ctx = useBroker();

test('CreateRole, GetRole, ListRoles, DeleteRole', async () => {
  const RoleName = uniqueName('Role');
  const trust = cognitoTrust('us-east-1:00000000-0000-0000-0000-000000000001', 'authenticated');
  const created = await ctx.iam.send(new CreateRoleCommand({
    RoleName, AssumeRolePolicyDocument: JSON.stringify(trust), Description: 'compat test role', MaxSessionDuration: 7200,
  }));
  assert.equal(created.Role.RoleName, RoleName);
  assert.equal(created.Role.Arn, `arn:aws:iam::${ACCOUNT_ID}:role/${RoleName}`);
  assert.match(created.Role.RoleId, /^AROA[A-Z0-9]+$/);
  assert.ok(created.Role.CreateDate instanceof Date);

  const got = await ctx.iam.send(new GetRoleCommand({ RoleName }));
  assert.equal(got.Role.Arn, created.Role.Arn);
  assert.equal(got.Role.MaxSessionDuration, 7200);
  // IAM returns the trust policy URL-encoded.
  assert.deepEqual(JSON.parse(decodeURIComponent(got.Role.AssumeRolePolicyDocument)), trust);

  const names = [];
  let Marker;
  do {
    const page = await ctx.iam.send(new ListRolesCommand({ Marker, MaxItems: 1 }));
    names.push(...page.Roles.map((r) => r.RoleName));
    Marker = page.IsTruncated ? page.Marker : undefined;
  } while (Marker);
  assert.ok(names.includes(RoleName));
  assert.ok(names.includes('DemoAuthenticatedRole') && names.includes('DemoUnauthenticatedRole'), 'seeded demo roles listed');
  assert.equal(new Set(names).size, names.length, 'no role listed twice');

  await expectAwsError(ctx.iam.send(new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: JSON.stringify(trust) })),
    { name: 'EntityAlreadyExistsException', status: 409 });
  await ctx.iam.send(new DeleteRoleCommand({ RoleName }));
  await expectAwsError(ctx.iam.send(new GetRoleCommand({ RoleName })), { name: 'NoSuchEntityException', status: 404 });
});

test('PutRolePolicy and GetRolePolicy round-trip an inline policy', async () => {
  const RoleName = uniqueName('Policy');
  await ctx.iam.send(new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: JSON.stringify(cognitoTrust('us-east-1:00000000-0000-0000-0000-000000000002')) }));
  const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/*' }] };
  await ctx.iam.send(new PutRolePolicyCommand({ RoleName, PolicyName: 'read', PolicyDocument: JSON.stringify(policy) }));
  const got = await ctx.iam.send(new GetRolePolicyCommand({ RoleName, PolicyName: 'read' }));
  assert.equal(got.RoleName, RoleName);
  assert.equal(got.PolicyName, 'read');
  assert.deepEqual(JSON.parse(decodeURIComponent(got.PolicyDocument)), policy);
  await expectAwsError(ctx.iam.send(new GetRolePolicyCommand({ RoleName, PolicyName: 'nope' })), { name: 'NoSuchEntityException', status: 404 });
});

test('CreateRole with a trust policy that is not JSON is MalformedPolicyDocument', async () => {
  await expectAwsError(ctx.iam.send(new CreateRoleCommand({ RoleName: uniqueName('Bad'), AssumeRolePolicyDocument: '{not json' })),
    { name: 'MalformedPolicyDocumentException', status: 400 });
});

test('OIDC provider lifecycle: create, get, list, client ids, thumbprints, delete', async () => {
  const Url = 'http://127.0.0.1:1/compat-idp';
  const created = await ctx.iam.send(new CreateOpenIDConnectProviderCommand({
    Url, ClientIDList: ['app-1'], ThumbprintList: ['a'.repeat(40)],
  }));
  const arn = created.OpenIDConnectProviderArn;
  assert.equal(arn, `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/127.0.0.1:1/compat-idp`);

  const get = async () => ctx.iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
  let got = await get();
  assert.equal(got.Url, '127.0.0.1:1/compat-idp');
  assert.deepEqual(got.ClientIDList, ['app-1']);
  assert.deepEqual(got.ThumbprintList, ['a'.repeat(40)]);

  await ctx.iam.send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, ClientID: 'app-2' }));
  await ctx.iam.send(new RemoveClientIDFromOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, ClientID: 'app-1' }));
  await ctx.iam.send(new UpdateOpenIDConnectProviderThumbprintCommand({ OpenIDConnectProviderArn: arn, ThumbprintList: ['b'.repeat(40)] }));
  got = await get();
  assert.deepEqual(got.ClientIDList, ['app-2']);
  assert.deepEqual(got.ThumbprintList, ['b'.repeat(40)]);

  const listed = await ctx.iam.send(new ListOpenIDConnectProvidersCommand({}));
  assert.ok(listed.OpenIDConnectProviderList.some((p) => p.Arn === arn));

  await expectAwsError(ctx.iam.send(new CreateOpenIDConnectProviderCommand({ Url, ClientIDList: ['x'] })),
    { name: 'EntityAlreadyExistsException', status: 409 });

  await ctx.iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
  await expectAwsError(get(), { name: 'NoSuchEntityException', status: 404 });
});

test('an http OIDC provider URL that is not loopback is refused', async () => {
  for (const Url of ['http://idp.example.com', 'http://10.0.0.1:8080', 'ftp://127.0.0.1/x']) {
    await expectAwsError(ctx.iam.send(new CreateOpenIDConnectProviderCommand({ Url, ClientIDList: ['a'] })),
      { name: 'InvalidInputException', message: /^Invalid Open ID Connect Provider URL\. The URL must begin with https:\/\//, status: 400 });
  }
});
