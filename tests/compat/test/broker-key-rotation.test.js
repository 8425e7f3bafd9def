// Issue 17: the broker's signing key rotates on demand (signed POST /admin/api/keys/rotate): new OpenID tokens carry the
// new key id, the replaced key stays in the JWKS so a token signed before the rotation still verifies (jose), and an
// unsigned call rotates nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CreateIdentityPoolCommand, GetIdCommand, GetOpenIdTokenCommand } from '@aws-sdk/client-cognito-identity';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { adminApi, anonymousCognito } from '../lib/clients.js';
import { uniqueName, useBroker } from '../lib/fixtures.js';

const ctx = useBroker();

async function guestToken(poolId) {
  const client = anonymousCognito(ctx.broker);
  const { IdentityId } = await client.send(new GetIdCommand({ IdentityPoolId: poolId }));
  return (await client.send(new GetOpenIdTokenCommand({ IdentityId }))).Token;
}

const jwks = async () => (await fetch(`${ctx.broker.url}/.well-known/jwks.json`)).json();

test('rotation on demand signs new tokens with the new key and keeps the old key published for live tokens', async () => {
  const { IdentityPoolId } = await ctx.cognito.send(new CreateIdentityPoolCommand({
    IdentityPoolName: uniqueName('rotate'), AllowUnauthenticatedIdentities: true,
  }));
  const before = await guestToken(IdentityPoolId);
  const oldKid = decodeProtectedHeader(before).kid;

  const rotated = await adminApi(ctx.broker, 'POST', '/admin/api/keys/rotate');
  assert.equal(rotated.status, 200, JSON.stringify(rotated.json));
  assert.notEqual(rotated.json.KeyId, oldKid);
  assert.equal(rotated.json.PublishedKeyIds[0], rotated.json.KeyId, 'newest first');
  assert.ok(rotated.json.PublishedKeyIds.includes(oldKid));

  const after = await guestToken(IdentityPoolId);
  assert.equal(decodeProtectedHeader(after).kid, rotated.json.KeyId);
  const keys = createLocalJWKSet(await jwks());
  assert.ok(String((await jwtVerify(before, keys)).payload.aud).startsWith(IdentityPoolId), 'the token signed before the rotation still verifies');
  assert.ok(String((await jwtVerify(after, keys)).payload.aud).startsWith(IdentityPoolId));
});

test('an unsigned rotation request is refused and rotates nothing', async () => {
  const published = (await jwks()).keys.map((k) => k.kid);
  const res = await fetch(`${ctx.broker.url}/admin/api/keys/rotate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '' });
  assert.ok(res.status >= 400 && res.status < 500, `got ${res.status}`);
  assert.deepEqual((await jwks()).keys.map((k) => k.kid), published);
});
