// Malformed input over raw HTTP: always a 4xx with __type and "x-amzn-ErrorType: <Type>:", never a 5xx.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertJsonClientError, postJson } from '../lib/clients.js';
import { useBroker } from '../lib/fixtures.js';

const ctx = useBroker();
// Syntactically valid; the cases are built before the broker starts, and a missing pool is fine for them.
const poolId = 'us-east-1:00000000-0000-0000-0000-00000000beef';

const T = (op) => `AWSCognitoIdentityService.${op}`;
const long = (n) => 'a'.repeat(n);

// [name, target, body (string = raw), signed?]
const cases = () => [
  ['broken JSON', T('GetId'), '{"IdentityPoolId": "us-east-1:', false],
  ['empty body', T('GetId'), '', false],
  ['JSON array body', T('GetId'), '[]', false],
  ['JSON string body', T('GetId'), '"hello"', false],
  ['JSON null body', T('GetId'), 'null', false],
  ['missing required IdentityPoolId', T('GetId'), {}, false],
  ['IdentityPoolId is a number', T('GetId'), { IdentityPoolId: 123 }, false],
  ['IdentityPoolId is null', T('GetId'), { IdentityPoolId: null }, false],
  ['Logins is a string', T('GetId'), { IdentityPoolId: poolId, Logins: 'x' }, false],
  ['Logins value is a number', T('GetId'), { IdentityPoolId: poolId, Logins: { 'accounts.google.com': 5 } }, false],
  ['11 Logins entries', T('GetId'), { IdentityPoolId: poolId, Logins: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`p${i}.example`, 'tok'])) }, false],
  ['IdentityPoolId too long', T('GetId'), { IdentityPoolId: `us-east-1:${long(100)}` }, false],
  ['IdentityPoolId of the wrong pattern', T('GetId'), { IdentityPoolId: 'not a pool id!' }, false],
  ['AccountId not digits', T('GetId'), { IdentityPoolId: poolId, AccountId: 'abc' }, false],
  ['login token over 50000 chars', T('GetId'), { IdentityPoolId: poolId, Logins: { 'accounts.google.com': long(50_001) } }, false],
  ['provider name over 128 chars', T('GetId'), { IdentityPoolId: poolId, Logins: { [long(129)]: 'tok' } }, false],
  ['IdentityId missing', T('GetCredentialsForIdentity'), {}, false],
  ['IdentityId oversized', T('GetCredentialsForIdentity'), { IdentityId: long(10_000) }, false],
  ['CustomRoleArn too short', T('GetCredentialsForIdentity'), { IdentityId: 'us-east-1:00000000-0000-0000-0000-000000000000', CustomRoleArn: 'arn' }, false],
  ['GetOpenIdToken with Logins as an array', T('GetOpenIdToken'), { IdentityId: 'us-east-1:00000000-0000-0000-0000-000000000000', Logins: [] }, false],
  ['UnlinkIdentity missing everything', T('UnlinkIdentity'), {}, false],
  ['unknown operation', T('NoSuchOperation'), {}, false],
  ['unknown service prefix', 'AWSSomethingElse.GetId', { IdentityPoolId: poolId }, false],
  ['deeply nested JSON', T('GetId'), `${'['.repeat(5000)}${']'.repeat(5000)}`, false],
  ['signed: MaxResults is a string', T('ListIdentityPools'), { MaxResults: 'ten' }, true],
  ['signed: MaxResults 0', T('ListIdentityPools'), { MaxResults: 0 }, true],
  ['signed: MaxResults 61', T('ListIdentityPools'), { MaxResults: 61 }, true],
  ['signed: MaxResults a float', T('ListIdentityPools'), { MaxResults: 1.5 }, true],
  ['signed: broken JSON', T('CreateIdentityPool'), '{"IdentityPoolName":', true],
  ['signed: pool name over 128 chars', T('CreateIdentityPool'), { IdentityPoolName: long(129), AllowUnauthenticatedIdentities: true }, true],
  ['signed: pool name of the wrong pattern', T('CreateIdentityPool'), { IdentityPoolName: 'bad/name!', AllowUnauthenticatedIdentities: true }, true],
  ['signed: AllowUnauthenticatedIdentities missing', T('CreateIdentityPool'), { IdentityPoolName: 'ok' }, true],
  ['signed: AllowUnauthenticatedIdentities is a string', T('CreateIdentityPool'), { IdentityPoolName: 'ok', AllowUnauthenticatedIdentities: 'yes' }, true],
  ['signed: NextToken empty', T('ListIdentityPools'), { MaxResults: 10, NextToken: '' }, true],
  ['signed: NextToken garbage', T('ListIdentityPools'), { MaxResults: 10, NextToken: 'garbage-token' }, true],
  ['signed: DeleteIdentities with 61 ids', T('DeleteIdentities'), { IdentityIdsToDelete: Array.from({ length: 61 }, () => 'us-east-1:00000000-0000-0000-0000-000000000000') }, true],
  ['signed: DeleteIdentities with none', T('DeleteIdentities'), { IdentityIdsToDelete: [] }, true],
  ['signed: SetIdentityPoolRoles with a bad role type', T('SetIdentityPoolRoles'), { IdentityPoolId: poolId, Roles: { admin: 'arn:aws:iam::000000000000:role/DemoAuthenticatedRole' } }, true],
];

// One test per case, so that each refusal is reported on its own.
for (const [name, target, body, signed] of cases()) {
  test(`malformed: ${name} → 4xx with __type and x-amzn-ErrorType`, async () => {
    const reply = await postJson(ctx.broker, target, body, { sign: signed ? ctx.broker.adminCredentials : false });
    assertJsonClientError(reply, name);
  });
}

test('a JSON POST without X-Amz-Target is a 4xx error (JSON 1.1 or, as POST / is shared with the Query protocols, Query XML)', async () => {
  const reply = await postJson(ctx.broker, undefined, { IdentityPoolId: poolId });
  assert.ok(reply.status >= 400 && reply.status < 500, `expected a 4xx, got ${reply.status}: ${reply.text.slice(0, 300)}`);
  if (reply.json) assertJsonClientError(reply);
  else assert.match(reply.text, /<ErrorResponse[^>]*>\s*<Error>\s*<Type>Sender<\/Type>\s*<Code>[A-Za-z]+<\/Code>/);
});

test('the unknown operation is named as such', async () => {
  const reply = await postJson(ctx.broker, T('NoSuchOperation'), {});
  assert.equal(assertJsonClientError(reply), 'UnknownOperationException');
});

test('missing required member and broken JSON name the right error types', async () => {
  const missing = await postJson(ctx.broker, T('GetId'), {});
  assert.ok(['InvalidParameterException', 'ValidationException'].includes(assertJsonClientError(missing)));
  const broken = await postJson(ctx.broker, T('GetId'), '{"IdentityPoolId":');
  assert.ok(['SerializationException', 'InvalidParameterException', 'ValidationException'].includes(assertJsonClientError(broken)));
});

test('the broker still serves correct requests after the malformed ones', async () => {
  const reply = await postJson(ctx.broker, T('GetId'), { IdentityPoolId: ctx.broker.demoPoolId() });
  assert.equal(reply.status, 200, reply.text);
  assert.match(reply.json.IdentityId, /^us-east-1:/);
  assert.match(reply.headers.get('content-type'), /application\/x-amz-json-1\.1/);
  assert.ok(reply.headers.get('x-amzn-requestid'), 'x-amzn-RequestId header');
});
