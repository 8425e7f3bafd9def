// Get-or-create is atomic: 50 concurrent GetId calls for the same new login give one IdentityId.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GetIdCommand, ListIdentitiesCommand } from '@aws-sdk/client-cognito-identity';
import { anonymousCognito } from '../lib/clients.js';
import { createOidcPool, useBroker } from '../lib/fixtures.js';

let pool;
const ctx = useBroker({ withIdp: true }, async () => { pool = await createOidcPool(ctx); });

test('50 concurrent GetId for the same new login create exactly one identity', async () => {
  const client = anonymousCognito(ctx.broker);
  const tokens = await Promise.all(Array.from({ length: 50 }, (_, i) => ctx.idp.mint({ sub: 'racer', alg: i % 2 ? 'ES256' : 'RS256' })));
  const results = await Promise.allSettled(tokens.map((t) => client.send(new GetIdCommand({
    IdentityPoolId: pool.poolId, Logins: { [ctx.idp.providerKey]: t },
  }))));
  const failures = results.filter((r) => r.status === 'rejected').map((r) => `${r.reason.name}: ${r.reason.message}`);
  assert.deepEqual(failures, [], 'no concurrent GetId failed');
  const ids = new Set(results.map((r) => r.value.IdentityId));
  assert.equal(ids.size, 1, `one IdentityId, got ${[...ids].join(', ')}`);
  const listed = await ctx.cognito.send(new ListIdentitiesCommand({ IdentityPoolId: pool.poolId, MaxResults: 60 }));
  assert.deepEqual(listed.Identities.map((i) => i.IdentityId), [...ids], 'the pool holds exactly that one identity');
});

test('50 concurrent GetId for 50 different logins create 50 identities', async () => {
  const client = anonymousCognito(ctx.broker);
  const results = await Promise.all(Array.from({ length: 50 }, async (_, i) => client.send(new GetIdCommand({
    IdentityPoolId: pool.poolId, Logins: { [ctx.idp.providerKey]: await ctx.idp.mint({ sub: `crowd-${i}` }) },
  }))));
  assert.equal(new Set(results.map((r) => r.IdentityId)).size, 50);
});
