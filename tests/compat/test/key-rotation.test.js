// The IdP rotates its signing key: tokens with the new kid are accepted (the broker refreshes the
// JWKS on an unknown kid), tokens signed by a retired key are refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { anonymousCognito, expectAwsError } from '../lib/clients.js';
import { createOidcPool, useBroker } from '../lib/fixtures.js';

// One forced JWKS refresh per second at most, so the test need not wait out the default interval.
let pool;
let client;
const ctx = useBroker({ withIdp: true, env: { Broker__Oidc__UnknownKeyRefreshInterval: '00:00:01' } }, async () => {
  pool = await createOidcPool(ctx);
  client = anonymousCognito(ctx.broker);
});
const getId = (token) => client.send(new GetIdCommand({ IdentityPoolId: pool.poolId, Logins: { [ctx.idp.providerKey]: token } }));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('rotation: new kid accepted after a JWKS refresh, retired key refused', async () => {
  const oldKey = ctx.idp.keyFor('RS256');
  const before1 = (await getId(await ctx.idp.mint({ sub: 'rotating' }))).IdentityId;
  const jwksFetchesBefore = ctx.idp.requests.jwks;
  assert.ok(jwksFetchesBefore >= 1, 'the broker fetched the JWKS');

  await sleep(1_200);
  const fresh = await ctx.idp.rotate();
  const afterRotation = (await getId(await ctx.idp.mint({ sub: 'rotating', key: fresh }))).IdentityId;
  assert.equal(afterRotation, before1, 'same subject, same identity, new key');
  assert.ok(ctx.idp.requests.jwks > jwksFetchesBefore, 'the unknown kid made the broker fetch the JWKS again');

  // The old key is still published: still accepted.
  assert.equal((await getId(await ctx.idp.mint({ sub: 'rotating', key: oldKey }))).IdentityId, before1);

  await sleep(1_200);
  await ctx.idp.rotate({ retireOld: true });
  const newest = ctx.idp.keyFor('RS256');
  assert.equal((await getId(await ctx.idp.mint({ sub: 'rotating', key: newest }))).IdentityId, before1);
  await sleep(1_200);
  await expectAwsError(getId(await ctx.idp.mint({ sub: 'rotating', key: oldKey })), { name: 'NotAuthorizedException', status: 400 });
});
