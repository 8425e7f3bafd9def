// The broker's OpenID tokens: discovery, JWKS, signature verified with jose's createRemoteJWKSet,
// claims (iss, aud, sub, amr) and the 600 s lifetime of GetOpenIdToken.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GetIdCommand, GetOpenIdTokenCommand } from '@aws-sdk/client-cognito-identity';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { anonymousCognito } from '../lib/clients.js';
import { createOidcPool, useBroker } from '../lib/fixtures.js';

let pool;
let client;
let jwks;
const ctx = useBroker({ withIdp: true }, async () => {
  pool = await createOidcPool(ctx, { allowGuests: true });
  client = anonymousCognito(ctx.broker);
  jwks = createRemoteJWKSet(new URL(`${ctx.broker.url}/.well-known/jwks.json`));
});

test('discovery names the listen URL as issuer and a JWKS of public signing keys', async () => {
  const res = await fetch(`${ctx.broker.url}/.well-known/openid-configuration`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /application\/json/);
  const doc = await res.json();
  assert.equal(doc.issuer, ctx.broker.url);
  assert.equal(doc.jwks_uri, `${ctx.broker.url}/.well-known/jwks.json`);
  assert.ok(Array.isArray(doc.id_token_signing_alg_values_supported) && doc.id_token_signing_alg_values_supported.length > 0);

  const keys = (await (await fetch(doc.jwks_uri)).json()).keys;
  assert.ok(keys.length >= 1);
  for (const key of keys) {
    assert.ok(key.kid, 'every key has a kid');
    for (const privateMember of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) {
      assert.equal(key[privateMember], undefined, `JWKS must not publish private member ${privateMember}`);
    }
  }
});

async function verify(token) {
  const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer: ctx.broker.url });
  return { payload, protectedHeader };
}

test('an authenticated identity gets a token: aud = pool id, sub = identity id, amr names the provider', async () => {
  const login = { [ctx.idp.providerKey]: await ctx.idp.mint({ sub: 'openid-user' }) };
  const { IdentityId } = await client.send(new GetIdCommand({ IdentityPoolId: pool.poolId, Logins: login }));
  const out = await client.send(new GetOpenIdTokenCommand({ IdentityId, Logins: login }));
  assert.equal(out.IdentityId, IdentityId);
  assert.ok(decodeProtectedHeader(out.Token).kid, 'the token names its key');
  const { payload } = await verify(out.Token);
  assert.equal(payload.iss, ctx.broker.url);
  assert.equal(payload.aud, pool.poolId);
  assert.equal(payload.sub, IdentityId);
  assert.deepEqual(payload.amr, ['authenticated', ctx.idp.providerKey, `${pool.providerArn}:OIDC:openid-user`]);
  assert.equal(payload.exp - payload.iat, 600, 'GetOpenIdToken tokens live 10 minutes');
  assert.ok(Math.abs(payload.iat - Date.now() / 1000) < 120, 'iat is now');
});

test('a guest gets a token with aud "<poolId>:unauthenticated" and amr ["unauthenticated"]', async () => {
  const { IdentityId } = await client.send(new GetIdCommand({ IdentityPoolId: pool.poolId }));
  const out = await client.send(new GetOpenIdTokenCommand({ IdentityId }));
  const { payload } = await verify(out.Token);
  assert.equal(payload.aud, `${pool.poolId}:unauthenticated`);
  assert.equal(payload.sub, IdentityId);
  assert.deepEqual(payload.amr, ['unauthenticated']);
  assert.equal(payload.exp - payload.iat, 600);
});

test('a tampered broker token fails verification against the broker JWKS', async () => {
  const { IdentityId } = await client.send(new GetIdCommand({ IdentityPoolId: pool.poolId }));
  const { Token } = await client.send(new GetOpenIdTokenCommand({ IdentityId }));
  const [h, p, s] = Token.split('.');
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
  const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, aud: pool.poolId })).toString('base64url')}.${s}`;
  await assert.rejects(verify(forged), { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
});
