// Every hostile ID token is refused with NotAuthorizedException by GetId, GetCredentialsForIdentity
// and GetOpenIdToken, and creates no identity.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  GetCredentialsForIdentityCommand, GetIdCommand, GetOpenIdTokenCommand, ListIdentitiesCommand,
} from '@aws-sdk/client-cognito-identity';
import { anonymousCognito, expectAwsError } from '../lib/clients.js';
import { createOidcPool, useBroker } from '../lib/fixtures.js';

let pool;
let client;
let hostile;
let victimId;
const ctx = useBroker({ withIdp: true }, async () => {
  pool = await createOidcPool(ctx);
  client = anonymousCognito(ctx.broker);
  victimId = (await client.send(new GetIdCommand({
    IdentityPoolId: pool.poolId, Logins: { [ctx.idp.providerKey]: await ctx.idp.mint({ sub: 'victim' }) },
  }))).IdentityId;
  hostile = await ctx.idp.hostileTokens('victim');
});

const NAMES = [
  'expired', 'nbf in the future', 'wrong aud', 'wrong iss', 'alg none', 'HS256 with the public key as secret',
  'unknown kid', 'signed by a key not in the JWKS', 'tampered payload', 'garbage',
  // Issue 17's catalogue (docs/hostile-input.md).
  'embedded jwk of the signing key', 'jku to an attacker JWKS', 'x5u to an attacker certificate', 'x5c of the signing key',
  'kid like a path', 'kid like SQL', 'kid of 10 KB', 'kid not a string', 'alg in lower case', 'alg absent',
  'several aud without azp', 'iat in the future', 'JWE of five parts', 'ES256 with r = s = 0',
];

for (const name of NAMES) {
  test(`token "${name}" is refused by GetId, GetCredentialsForIdentity and GetOpenIdToken`, async () => {
    const Logins = { [ctx.idp.providerKey]: hostile[name] };
    const refused = { name: 'NotAuthorizedException', status: 400 };
    await expectAwsError(client.send(new GetIdCommand({ IdentityPoolId: pool.poolId, Logins })), refused);
    await expectAwsError(client.send(new GetCredentialsForIdentityCommand({ IdentityId: victimId, Logins })), refused);
    await expectAwsError(client.send(new GetOpenIdTokenCommand({ IdentityId: victimId, Logins })), refused);
  });
}

test('a valid token from a provider the pool does not list is refused', async () => {
  const other = await createOidcPool(ctx, { providerArn: pool.providerArn });
  // The same IdP under a Logins key that is not configured on the pool.
  await expectAwsError(client.send(new GetIdCommand({
    IdentityPoolId: other.poolId, Logins: { 'accounts.google.com': await ctx.idp.mint({ sub: 'victim' }) },
  })), { name: 'NotAuthorizedException', status: 400 });
});

test('the hostile tokens created no identity: the pool still has exactly the victim', async () => {
  const out = await ctx.cognito.send(new ListIdentitiesCommand({ IdentityPoolId: pool.poolId, MaxResults: 60 }));
  assert.deepEqual(out.Identities.map((i) => i.IdentityId), [victimId]);
});

test('no URL a token header named (jku, x5u) was fetched', () => {
  assert.equal(ctx.idp.requests.attacker, 0);
});

test('the list of hostile tokens covers every variant the IdP makes', () => {
  assert.deepEqual(Object.keys(hostile).sort(), [...NAMES].sort());
});
