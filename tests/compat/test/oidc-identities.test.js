// Authenticated identities from a real OIDC IdP (RS256 and ES256 ID tokens): GetId, GetOpenIdToken,
// GetCredentialsForIdentity, DescribeIdentity, ListIdentities (HideDisabled, pagination), DeleteIdentities.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DeleteIdentitiesCommand, DescribeIdentityCommand, GetCredentialsForIdentityCommand, GetIdCommand,
  GetOpenIdTokenCommand, ListIdentitiesCommand,
} from '@aws-sdk/client-cognito-identity';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { anonymousCognito, expectAwsError, fromCognitoCredentials, sts } from '../lib/clients.js';
import { createOidcPool, useBroker } from '../lib/fixtures.js';

let pool;
let client;
const ctx = useBroker({ withIdp: true }, async () => {
  pool = await createOidcPool(ctx, { allowGuests: true });
  client = anonymousCognito(ctx.broker);
});

const logins = async (sub, alg = 'RS256') => ({ [ctx.idp.providerKey]: await ctx.idp.mint({ sub, alg }) });
const getId = async (sub, alg) =>
  (await client.send(new GetIdCommand({ IdentityPoolId: pool.poolId, Logins: await logins(sub, alg) }))).IdentityId;

test('the same subject always gets the same IdentityId, whichever key signed its token', async () => {
  const first = await getId('alice', 'RS256');
  assert.match(first, /^us-east-1:[0-9a-f-]{36}$/);
  assert.equal(await getId('alice', 'RS256'), first);
  assert.equal(await getId('alice', 'ES256'), first);
  assert.notEqual(await getId('bob', 'ES256'), first);
});

test('GetCredentialsForIdentity with a login gives credentials for the pool authenticated role', async () => {
  const IdentityId = await getId('carol');
  const out = await client.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: await logins('carol', 'ES256') }));
  assert.equal(out.IdentityId, IdentityId);
  assert.match(out.Credentials.AccessKeyId, /^ASIA/);
  assert.ok(out.Credentials.SecretKey && out.Credentials.SessionToken);
  assert.ok(out.Credentials.Expiration instanceof Date && out.Credentials.Expiration > new Date());
  const who = await sts(ctx.broker, fromCognitoCredentials(out.Credentials)).send(new GetCallerIdentityCommand({}));
  assert.match(who.Arn, new RegExp(`:assumed-role/${pool.authRole.RoleName}/`));
});

test('an authenticated identity cannot be used without one of its logins', async () => {
  const IdentityId = await getId('dave');
  await expectAwsError(client.send(new GetCredentialsForIdentityCommand({ IdentityId })), { name: 'NotAuthorizedException', status: 400 });
  await expectAwsError(client.send(new GetOpenIdTokenCommand({ IdentityId })), { name: 'NotAuthorizedException', status: 400 });
  await expectAwsError(client.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: await logins('not-dave') })),
    { name: 'NotAuthorizedException', message: /^Logins don't match\. /, status: 400 });
});

test('GetOpenIdToken with a login returns a token for the same identity', async () => {
  const IdentityId = await getId('erin');
  const out = await client.send(new GetOpenIdTokenCommand({ IdentityId, Logins: await logins('erin') }));
  assert.equal(out.IdentityId, IdentityId);
  assert.equal(out.Token.split('.').length, 3);
});

test('DescribeIdentity lists the provider of the login and the dates', async () => {
  const IdentityId = await getId('frank');
  const out = await ctx.cognito.send(new DescribeIdentityCommand({ IdentityId }));
  assert.equal(out.IdentityId, IdentityId);
  assert.deepEqual(out.Logins, [ctx.idp.providerKey]);
  assert.ok(out.CreationDate instanceof Date && out.LastModifiedDate instanceof Date);
  assert.ok(Math.abs(out.CreationDate.getTime() - Date.now()) < 5 * 60_000, `CreationDate ${out.CreationDate} is about now`);
});

test('ListIdentities pages through every identity of the pool exactly once', async () => {
  const created = [];
  for (const sub of ['p1', 'p2', 'p3', 'p4', 'p5']) created.push(await getId(`list-${sub}`));
  const seen = [];
  let NextToken;
  let pages = 0;
  do {
    const page = await ctx.cognito.send(new ListIdentitiesCommand({ IdentityPoolId: pool.poolId, MaxResults: 2, NextToken }));
    pages += 1;
    assert.equal(page.IdentityPoolId, pool.poolId);
    assert.ok(page.Identities.length <= 2);
    seen.push(...page.Identities.map((i) => i.IdentityId));
    NextToken = page.NextToken;
  } while (NextToken && pages < 100);
  assert.ok(pages >= 3, `at least 3 pages, got ${pages}`);
  assert.equal(new Set(seen).size, seen.length, 'no identity listed twice');
  for (const id of created) assert.ok(seen.includes(id), `${id} is listed`);
  const one = await ctx.cognito.send(new ListIdentitiesCommand({ IdentityPoolId: pool.poolId, MaxResults: 60 }));
  const listed = one.Identities.find((i) => i.IdentityId === created[0]);
  assert.deepEqual(listed.Logins, [ctx.idp.providerKey]);
});

test('ListIdentities with HideDisabled hides the identity disabled by an implicit merge', async () => {
  const owner = await getId('merge-target');
  const { IdentityId: guest } = await client.send(new GetIdCommand({ IdentityPoolId: pool.poolId }));
  // Presenting a login already linked to another identity merges the two; one of them is disabled.
  const merged = await client.send(new GetOpenIdTokenCommand({ IdentityId: guest, Logins: await logins('merge-target') }));
  assert.ok([owner, guest].includes(merged.IdentityId), `merge returned ${merged.IdentityId}`);
  const disabled = merged.IdentityId === owner ? guest : owner;
  const list = async (HideDisabled) => {
    const ids = [];
    let NextToken;
    do {
      const page = await ctx.cognito.send(new ListIdentitiesCommand({ IdentityPoolId: pool.poolId, MaxResults: 60, HideDisabled, NextToken }));
      ids.push(...page.Identities.map((i) => i.IdentityId));
      NextToken = page.NextToken;
    } while (NextToken);
    return ids;
  };
  const all = await list(false);
  const visible = await list(true);
  assert.ok(visible.includes(merged.IdentityId), 'the surviving identity is listed with HideDisabled');
  assert.ok(!visible.includes(disabled), 'the disabled identity is hidden with HideDisabled');
  assert.ok(all.includes(disabled), 'the disabled identity is listed without HideDisabled');
});

test('DeleteIdentities removes identities; later calls say "Identity \'…\' not found."', async () => {
  const IdentityId = await getId('gone');
  const unknown = 'us-east-1:11111111-2222-3333-4444-555555555555';
  const out = await ctx.cognito.send(new DeleteIdentitiesCommand({ IdentityIdsToDelete: [IdentityId, unknown] }));
  assert.ok(Array.isArray(out.UnprocessedIdentityIds));
  assert.ok(!out.UnprocessedIdentityIds.some((u) => u.IdentityId === IdentityId), 'the existing identity was processed');
  const expected = { name: 'ResourceNotFoundException', status: 400, message: `Identity '${IdentityId}' not found.` };
  await expectAwsError(ctx.cognito.send(new DescribeIdentityCommand({ IdentityId })), expected);
  await expectAwsError(client.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: await logins('gone') })), expected);
  // The login is free again: GetId makes a new identity for it.
  const again = await getId('gone');
  assert.notEqual(again, IdentityId);
});
