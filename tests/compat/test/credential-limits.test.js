// Credential duration caps and the per-pool guest limit (docs/limits.md "Per-pool limits", docs/credentials.md) seen by the
// official SDK: credentials end at the login token's expiry with Broker:Credentials:CapAtLoginExpiry, a login with less than
// STS's 900 s left is refused, a pool's MaxCredentialDurationSeconds caps guests too, and GetId beyond MaxGuestIdentities
// is LimitExceededException until a guest is deleted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DeleteIdentitiesCommand, GetCredentialsForIdentityCommand, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { adminApi, anonymousCognito } from '../lib/clients.js';
import { createOidcPool, useBroker } from '../lib/fixtures.js';

let client;
const ctx = useBroker({ withIdp: true, env: { Broker__Credentials__CapAtLoginExpiry: 'true' } }, async () => {
  client = anonymousCognito(ctx.broker);
});

const limitsPath = (poolId) => `/admin/api/pools/${encodeURIComponent(poolId)}/limits`;
const secondsUntil = (date) => (date.getTime() - Date.now()) / 1000;

async function credentialsWith(poolId, token) {
  const Logins = { [ctx.idp.providerKey]: token };
  const { IdentityId } = await client.send(new GetIdCommand({ IdentityPoolId: poolId, Logins }));
  return client.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins }));
}

test('credentials end at the login token expiry, and a token with under 900 s left is refused', async () => {
  const pool = await createOidcPool(ctx);
  const out = await credentialsWith(pool.poolId, await ctx.idp.mint({ sub: 'cap-user', expOffset: 1800 }));
  const left = secondsUntil(out.Credentials.Expiration);
  assert.ok(left <= 1800 && left > 1700, `credentials end ${left} s from now, at the token's expiry (not STS's hour)`);

  const refused = await credentialsWith(pool.poolId, await ctx.idp.mint({ sub: 'cap-user', expOffset: 600 })).catch((e) => e);
  assert.equal(refused.name, 'NotAuthorizedException');
  assert.match(refused.message, /^Invalid login token\..*900 seconds/);

  const long = await credentialsWith(pool.poolId, await ctx.idp.mint({ sub: 'cap-user', expOffset: 7200 }));
  const hour = secondsUntil(long.Credentials.Expiration);
  assert.ok(hour <= 3600 && hour > 3500, `a token expiring later leaves STS's default hour (${hour} s)`);
});

test('a pool maximum caps every credential of the pool, guests included', async () => {
  const pool = await createOidcPool(ctx, { allowGuests: true });
  const put = await adminApi(ctx.broker, 'PUT', limitsPath(pool.poolId), { MaxCredentialDurationSeconds: 1000 });
  assert.equal(put.status, 200);
  assert.deepEqual((await adminApi(ctx.broker, 'GET', limitsPath(pool.poolId))).json, { MaxCredentialDurationSeconds: 1000, MaxGuestIdentities: null });

  const { IdentityId } = await client.send(new GetIdCommand({ IdentityPoolId: pool.poolId }));
  const guest = await client.send(new GetCredentialsForIdentityCommand({ IdentityId }));
  const left = secondsUntil(guest.Credentials.Expiration);
  assert.ok(left <= 1000 && left > 900, `guest credentials end ${left} s from now`);

  const user = await credentialsWith(pool.poolId, await ctx.idp.mint({ sub: 'pool-max-user', expOffset: 7200 }));
  assert.ok(secondsUntil(user.Credentials.Expiration) <= 1000);
});

test('GetId beyond MaxGuestIdentities is LimitExceededException until a guest is deleted', async () => {
  const pool = await createOidcPool(ctx, { allowGuests: true });
  assert.equal((await adminApi(ctx.broker, 'PUT', limitsPath(pool.poolId), { MaxGuestIdentities: 2 })).status, 200);
  const first = await client.send(new GetIdCommand({ IdentityPoolId: pool.poolId }));
  await client.send(new GetIdCommand({ IdentityPoolId: pool.poolId }));

  const refused = await client.send(new GetIdCommand({ IdentityPoolId: pool.poolId })).catch((e) => e);
  assert.equal(refused.name, 'LimitExceededException');
  assert.equal(refused.$metadata.httpStatusCode, 400);

  const withLogin = await client.send(new GetIdCommand({
    IdentityPoolId: pool.poolId, Logins: { [ctx.idp.providerKey]: await ctx.idp.mint({ sub: 'not-a-guest' }) },
  }));
  assert.ok(withLogin.IdentityId, 'a login is not limited by the guest count');

  await ctx.cognito.send(new DeleteIdentitiesCommand({ IdentityIdsToDelete: [first.IdentityId] }));
  assert.ok((await client.send(new GetIdCommand({ IdentityPoolId: pool.poolId }))).IdentityId, 'the deletion freed a slot');
});

test('the limits API refuses a wrong body, changes nothing, and needs the admin signature', async () => {
  const pool = await createOidcPool(ctx);
  const bad = await adminApi(ctx.broker, 'PUT', limitsPath(pool.poolId), { MaxCredentialDurationSeconds: 600 });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.__type, 'InvalidParameterException');
  assert.match(bad.json.message, /900 to 43200/);
  assert.equal((await adminApi(ctx.broker, 'PUT', limitsPath(pool.poolId), { MaxGuestIdentities: 'many' })).status, 400);
  assert.deepEqual((await adminApi(ctx.broker, 'GET', limitsPath(pool.poolId))).json, { MaxCredentialDurationSeconds: null, MaxGuestIdentities: null });
  assert.equal((await adminApi(ctx.broker, 'GET', limitsPath('us-east-1:00000000-0000-0000-0000-000000000000'))).json.__type, 'ResourceNotFoundException');

  const unsigned = await fetch(`${ctx.broker.url}${limitsPath(pool.poolId)}`, { method: 'PUT', body: '{"MaxGuestIdentities":0}' });
  assert.ok(unsigned.status >= 400 && unsigned.status < 500, `unsigned: ${unsigned.status}`);
  assert.deepEqual((await adminApi(ctx.broker, 'GET', limitsPath(pool.poolId))).json.MaxGuestIdentities, null);
});
