// Identity pool administration with SigV4-signed SDK calls: create, describe, update (replace
// semantics), list with pagination, delete.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CreateIdentityPoolCommand, DeleteIdentityPoolCommand, DescribeIdentityPoolCommand, ListIdentityPoolsCommand,
  UpdateIdentityPoolCommand, paginateListIdentityPools,
} from '@aws-sdk/client-cognito-identity';
import { expectAwsError } from '../lib/clients.js';
import { uniqueName, useBroker } from '../lib/fixtures.js';

const ctx = useBroker();

test('CreateIdentityPool returns the pool as stored, and DescribeIdentityPool returns the same', async () => {
  const name = uniqueName('crud');
  const created = await ctx.cognito.send(new CreateIdentityPoolCommand({
    IdentityPoolName: name,
    AllowUnauthenticatedIdentities: true,
    AllowClassicFlow: true,
    SupportedLoginProviders: { 'accounts.google.com': 'client-123.apps.googleusercontent.com' },
    DeveloperProviderName: 'login.compat.test',
    IdentityPoolTags: { team: 'compat' },
  }));
  assert.match(created.IdentityPoolId, /^us-east-1:[0-9a-f-]{36}$/);
  assert.equal(created.IdentityPoolName, name);
  assert.equal(created.AllowUnauthenticatedIdentities, true);
  assert.equal(created.AllowClassicFlow, true);
  assert.deepEqual(created.SupportedLoginProviders, { 'accounts.google.com': 'client-123.apps.googleusercontent.com' });
  assert.equal(created.DeveloperProviderName, 'login.compat.test');
  assert.deepEqual(created.IdentityPoolTags, { team: 'compat' });

  const described = await ctx.cognito.send(new DescribeIdentityPoolCommand({ IdentityPoolId: created.IdentityPoolId }));
  const { $metadata: _a, ...createdBody } = created;
  const { $metadata: _b, ...describedBody } = described;
  assert.deepEqual(describedBody, createdBody);
});

test('UpdateIdentityPool replaces the pool: members left out are reset', async () => {
  const created = await ctx.cognito.send(new CreateIdentityPoolCommand({
    IdentityPoolName: uniqueName('upd'),
    AllowUnauthenticatedIdentities: true,
    SupportedLoginProviders: { 'graph.facebook.com': '1234567890' },
  }));
  const newName = uniqueName('renamed');
  const updated = await ctx.cognito.send(new UpdateIdentityPoolCommand({
    IdentityPoolId: created.IdentityPoolId,
    IdentityPoolName: newName,
    AllowUnauthenticatedIdentities: false,
  }));
  assert.equal(updated.IdentityPoolName, newName);
  assert.equal(updated.AllowUnauthenticatedIdentities, false);
  const described = await ctx.cognito.send(new DescribeIdentityPoolCommand({ IdentityPoolId: created.IdentityPoolId }));
  assert.equal(described.IdentityPoolName, newName);
  assert.equal(described.AllowUnauthenticatedIdentities, false);
  assert.ok(described.SupportedLoginProviders === undefined || Object.keys(described.SupportedLoginProviders).length === 0,
    `SupportedLoginProviders should be reset, got ${JSON.stringify(described.SupportedLoginProviders)}`);
});

test('ListIdentityPools pages through every pool exactly once', async () => {
  const ids = [];
  for (let i = 0; i < 5; i += 1) {
    const p = await ctx.cognito.send(new CreateIdentityPoolCommand({
      IdentityPoolName: uniqueName(`page${i}`), AllowUnauthenticatedIdentities: false,
    }));
    ids.push(p.IdentityPoolId);
  }
  const first = await ctx.cognito.send(new ListIdentityPoolsCommand({ MaxResults: 2 }));
  assert.equal(first.IdentityPools.length, 2);
  assert.ok(first.NextToken, 'a first page of 2 out of 6+ pools has a NextToken');
  for (const p of first.IdentityPools) assert.deepEqual(Object.keys(p).sort(), ['IdentityPoolId', 'IdentityPoolName']);

  const seen = [];
  let pages = 0;
  for await (const page of paginateListIdentityPools({ client: ctx.cognito, pageSize: 2 }, { MaxResults: 2 })) {
    pages += 1;
    assert.ok(page.IdentityPools.length <= 2);
    seen.push(...page.IdentityPools.map((p) => p.IdentityPoolId));
  }
  assert.ok(pages >= 3, `expected at least 3 pages, got ${pages}`);
  assert.equal(new Set(seen).size, seen.length, 'no pool is listed twice');
  for (const id of [...ids, ctx.broker.demoPoolId()]) assert.ok(seen.includes(id), `${id} is listed`);
});

test('ListIdentityPools refuses MaxResults outside 1..60', async () => {
  for (const MaxResults of [0, 61]) {
    // The model's limits are enforced as the front end enforces them: ValidationException naming the member.
    await expectAwsError(ctx.cognito.send(new ListIdentityPoolsCommand({ MaxResults })),
      { name: 'ValidationException', status: 400, message: new RegExp(`^1 validation error detected: Value '${MaxResults}' at 'maxResults' `) });
  }
});

test('DeleteIdentityPool, then every call on it is ResourceNotFoundException', async () => {
  const { IdentityPoolId } = await ctx.cognito.send(new CreateIdentityPoolCommand({
    IdentityPoolName: uniqueName('del'), AllowUnauthenticatedIdentities: true,
  }));
  await ctx.cognito.send(new DeleteIdentityPoolCommand({ IdentityPoolId }));
  const expected = { name: 'ResourceNotFoundException', status: 400, message: `IdentityPool '${IdentityPoolId}' not found.` };
  await expectAwsError(ctx.cognito.send(new DescribeIdentityPoolCommand({ IdentityPoolId })), expected);
  await expectAwsError(ctx.cognito.send(new DeleteIdentityPoolCommand({ IdentityPoolId })), expected);
  await expectAwsError(ctx.cognito.send(new UpdateIdentityPoolCommand({
    IdentityPoolId, IdentityPoolName: 'x', AllowUnauthenticatedIdentities: false,
  })), expected);
  const listed = [];
  for await (const page of paginateListIdentityPools({ client: ctx.cognito }, { MaxResults: 60 })) {
    listed.push(...page.IdentityPools.map((p) => p.IdentityPoolId));
  }
  assert.ok(!listed.includes(IdentityPoolId), 'a deleted pool is not listed');
});
