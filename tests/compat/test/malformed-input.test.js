// Malformed input over raw HTTP: each case is refused with its own AWS error type (400, __type and
// "x-amzn-ErrorType: <Type>:"), never a 5xx.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertJsonError, postJson } from '../lib/clients.js';
import { useBroker } from '../lib/fixtures.js';

// Every case runs against the demo pool and a guest identity that exist, so a refusal can only come from the
// malformation the case exercises; each case names the one error type (and the member) it must be refused with.
const ctx = useBroker({}, async (c) => {
  const reply = await postJson(c.broker, 'AWSCognitoIdentityService.GetId', { IdentityPoolId: c.broker.demoPoolId() });
  assert.equal(reply.status, 200, reply.text);
  c.identityId = reply.json.IdentityId;
});

const T = (op) => `AWSCognitoIdentityService.${op}`;
const long = (n) => 'a'.repeat(n);
const SERIALIZATION = 'SerializationException';
const VALIDATION = 'ValidationException';
const unreadable = (member) => new RegExp(`^Could not read '${member.replace(/[[\]]/g, '\\$&')}': `);
const invalid = (fragment) => new RegExp(`^1 validation error detected: ${fragment}`);

// [name, target, body (string = raw; a function gets { pool, identity }), signed?, error type, message]
const cases = [
  ['broken JSON', T('GetId'), '{"IdentityPoolId": "us-east-1:', false, SERIALIZATION, unreadable('IdentityPoolId')],
  ['empty body', T('GetId'), '', false, VALIDATION, invalid("Value null at 'identityPoolId' failed to satisfy constraint: Member must not be null$")],
  ['JSON array body', T('GetId'), '[]', false, SERIALIZATION, /^Could not read the request body: /],
  ['JSON string body', T('GetId'), '"hello"', false, SERIALIZATION, /^Could not read the request body: /],
  ['JSON null body', T('GetId'), 'null', false, SERIALIZATION, /^The request body must be a JSON object\.$/],
  ['missing required IdentityPoolId', T('GetId'), {}, false, VALIDATION, invalid("Value null at 'identityPoolId' failed to satisfy constraint: Member must not be null$")],
  ['IdentityPoolId is a number', T('GetId'), { IdentityPoolId: 123 }, false, SERIALIZATION, unreadable('IdentityPoolId')],
  ['IdentityPoolId is null', T('GetId'), { IdentityPoolId: null }, false, VALIDATION, invalid("Value null at 'identityPoolId' failed to satisfy constraint: Member must not be null$")],
  ['Logins is a string', T('GetId'), ({ pool }) => ({ IdentityPoolId: pool, Logins: 'x' }), false, SERIALIZATION, unreadable('Logins')],
  ['Logins value is a number', T('GetId'), ({ pool }) => ({ IdentityPoolId: pool, Logins: { 'accounts.google.com': 5 } }), false, SERIALIZATION, unreadable("Logins['accounts.google.com']")],
  ['11 Logins entries', T('GetId'), ({ pool }) => ({ IdentityPoolId: pool, Logins: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`p${i}.example`, 'tok'])) }), false,
    VALIDATION, invalid("Value at 'logins' failed to satisfy constraint: Member must have length less than or equal to 10$")],
  ['IdentityPoolId too long', T('GetId'), { IdentityPoolId: `us-east-1:${long(100)}` }, false,
    VALIDATION, invalid("Value 'us-east-1:a+' at 'identityPoolId' failed to satisfy constraint: Member must have length less than or equal to 55$")],
  ['IdentityPoolId of the wrong pattern', T('GetId'), { IdentityPoolId: 'not a pool id!' }, false,
    VALIDATION, invalid("Value 'not a pool id!' at 'identityPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: ")],
  ['AccountId not digits', T('GetId'), ({ pool }) => ({ IdentityPoolId: pool, AccountId: 'abc' }), false,
    VALIDATION, invalid("Value 'abc' at 'accountId' failed to satisfy constraint: Member must satisfy regular expression pattern: \\\\d\\+$")],
  ['login token over 50000 chars', T('GetId'), ({ pool }) => ({ IdentityPoolId: pool, Logins: { 'accounts.google.com': long(50_001) } }), false,
    VALIDATION, invalid("Value at 'logins' failed to satisfy constraint: Map value must satisfy constraint: \\[Member must have length less than or equal to 50000, ")],
  ['provider name over 128 chars', T('GetId'), ({ pool }) => ({ IdentityPoolId: pool, Logins: { [long(129)]: 'tok' } }), false,
    VALIDATION, invalid("Value at 'logins' failed to satisfy constraint: Map keys must satisfy constraint: \\[Member must have length less than or equal to 128, ")],
  ['IdentityId missing', T('GetCredentialsForIdentity'), {}, false, VALIDATION, invalid("Value null at 'identityId' failed to satisfy constraint: Member must not be null$")],
  ['IdentityId oversized', T('GetCredentialsForIdentity'), { IdentityId: long(10_000) }, false,
    VALIDATION, /^2 validation errors detected: Value 'a+(\.\.\.)?' at 'identityId' failed to satisfy constraint: Member must have length less than or equal to 55; /],
  ['CustomRoleArn too short', T('GetCredentialsForIdentity'), ({ identity }) => ({ IdentityId: identity, CustomRoleArn: 'arn' }), false,
    VALIDATION, invalid("Value 'arn' at 'customRoleArn' failed to satisfy constraint: Member must have length greater than or equal to 20$")],
  ['GetOpenIdToken with Logins as an array', T('GetOpenIdToken'), ({ identity }) => ({ IdentityId: identity, Logins: [] }), false, SERIALIZATION, unreadable('Logins')],
  ['UnlinkIdentity missing everything', T('UnlinkIdentity'), {}, false,
    VALIDATION, /^3 validation errors detected: Value null at 'identityId' failed to satisfy constraint: Member must not be null; /],
  ['unknown operation', T('NoSuchOperation'), {}, false, 'UnknownOperationException', /^Unknown operation NoSuchOperation\.$/],
  ['unknown service prefix', 'AWSSomethingElse.GetId', ({ pool }) => ({ IdentityPoolId: pool }), false,
    'UnknownOperationException', /must name an operation of (?:.+ or )?AWSCognitoIdentityProviderService or AWSCognitoIdentityService(?: or .+)?\./],
  ['deeply nested JSON', T('GetId'), `${'['.repeat(5000)}${']'.repeat(5000)}`, false, SERIALIZATION, /^Could not read the request body: /],
  ['signed: MaxResults is a string', T('ListIdentityPools'), { MaxResults: 'ten' }, true, SERIALIZATION, unreadable('MaxResults')],
  ['signed: MaxResults 0', T('ListIdentityPools'), { MaxResults: 0 }, true,
    VALIDATION, invalid("Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1$")],
  ['signed: MaxResults 61', T('ListIdentityPools'), { MaxResults: 61 }, true,
    VALIDATION, invalid("Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60$")],
  ['signed: MaxResults a float', T('ListIdentityPools'), { MaxResults: 1.5 }, true, SERIALIZATION, unreadable('MaxResults')],
  ['signed: broken JSON', T('CreateIdentityPool'), '{"IdentityPoolName":', true, SERIALIZATION, unreadable('IdentityPoolName')],
  ['signed: pool name over 128 chars', T('CreateIdentityPool'), { IdentityPoolName: long(129), AllowUnauthenticatedIdentities: true }, true,
    VALIDATION, invalid("Value 'a+' at 'identityPoolName' failed to satisfy constraint: Member must have length less than or equal to 128$")],
  ['signed: pool name of the wrong pattern', T('CreateIdentityPool'), { IdentityPoolName: 'bad/name!', AllowUnauthenticatedIdentities: true }, true,
    VALIDATION, invalid("Value 'bad/name!' at 'identityPoolName' failed to satisfy constraint: Member must satisfy regular expression pattern: ")],
  ['signed: AllowUnauthenticatedIdentities missing', T('CreateIdentityPool'), { IdentityPoolName: 'ok' }, true,
    VALIDATION, invalid("Value null at 'allowUnauthenticatedIdentities' failed to satisfy constraint: Member must not be null$")],
  ['signed: AllowUnauthenticatedIdentities is a string', T('CreateIdentityPool'), { IdentityPoolName: 'ok', AllowUnauthenticatedIdentities: 'yes' }, true,
    SERIALIZATION, unreadable('AllowUnauthenticatedIdentities')],
  ['signed: NextToken empty', T('ListIdentityPools'), { MaxResults: 10, NextToken: '' }, true,
    VALIDATION, /^2 validation errors detected: Value '' at 'nextToken' failed to satisfy constraint: Member must have length greater than or equal to 1; /],
  ['signed: NextToken garbage', T('ListIdentityPools'), { MaxResults: 10, NextToken: 'garbage-token' }, true, 'InvalidParameterException', /^The NextToken is invalid\.$/],
  ['signed: DeleteIdentities with 61 ids', T('DeleteIdentities'), ({ identity }) => ({ IdentityIdsToDelete: Array.from({ length: 61 }, () => identity) }), true,
    VALIDATION, /^1 validation error detected: Value '\[us-east-1:[^']*' at 'identityIdsToDelete' failed to satisfy constraint: Member must have length less than or equal to 60$/],
  ['signed: DeleteIdentities with none', T('DeleteIdentities'), { IdentityIdsToDelete: [] }, true,
    VALIDATION, invalid("Value '\\[\\]' at 'identityIdsToDelete' failed to satisfy constraint: Member must have length greater than or equal to 1$")],
  ['signed: SetIdentityPoolRoles with a bad role type', T('SetIdentityPoolRoles'),
    ({ pool }) => ({ IdentityPoolId: pool, Roles: { admin: 'arn:aws:iam::000000000000:role/DemoAuthenticatedRole' } }), true,
    VALIDATION, invalid("Value '\\{admin=arn:aws:iam::000000000000:role/DemoAuthenticatedRole\\}' at 'roles' failed to satisfy constraint: Map keys must satisfy constraint: ")],
];

// One test per case, so that each refusal is reported on its own.
for (const [name, target, body, signed, type, message] of cases) {
  test(`malformed: ${name} → ${type}`, async () => {
    const sent = typeof body === 'function' ? body({ pool: ctx.broker.demoPoolId(), identity: ctx.identityId }) : body;
    const reply = await postJson(ctx.broker, target, sent, { sign: signed ? ctx.broker.adminCredentials : false });
    assertJsonError(reply, { type, message, context: name });
  });
}

test('a JSON POST without X-Amz-Target is UnknownOperationException', async () => {
  const reply = await postJson(ctx.broker, undefined, { IdentityPoolId: ctx.broker.demoPoolId() });
  assertJsonError(reply, { type: 'UnknownOperationException', message: /must name an operation of (?:.+ or )?AWSCognitoIdentityProviderService or AWSCognitoIdentityService(?: or .+)?\./ });
});

test('the unknown operation is named as such', async () => {
  const reply = await postJson(ctx.broker, T('NoSuchOperation'), {});
  assertJsonError(reply, { type: 'UnknownOperationException', message: 'Unknown operation NoSuchOperation.' });
});

test('missing required member and broken JSON name the right error types', async () => {
  const missing = await postJson(ctx.broker, T('GetId'), {});
  assertJsonError(missing, { type: VALIDATION, message: invalid("Value null at 'identityPoolId'") });
  const broken = await postJson(ctx.broker, T('GetId'), '{"IdentityPoolId":');
  assertJsonError(broken, { type: SERIALIZATION, message: unreadable('IdentityPoolId') });
});

test('the broker still serves correct requests after the malformed ones', async () => {
  const reply = await postJson(ctx.broker, T('GetId'), { IdentityPoolId: ctx.broker.demoPoolId() });
  assert.equal(reply.status, 200, reply.text);
  assert.match(reply.json.IdentityId, /^us-east-1:/);
  assert.match(reply.headers.get('content-type'), /application\/x-amz-json-1\.1/);
  assert.ok(reply.headers.get('x-amzn-requestid'), 'x-amzn-RequestId header');
});
