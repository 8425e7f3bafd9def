// The guest flow against the seeded demo pool, through the SDK's own credential provider, and the
// credentials then used with STS GetCallerIdentity.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GetCredentialsForIdentityCommand, GetIdCommand, CreateIdentityPoolCommand } from '@aws-sdk/client-cognito-identity';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { fromCognitoIdentityPool } from '@aws-sdk/credential-providers';
import { ACCOUNT_ID, REGION } from '../lib/broker.js';
import { anonymousCognito, expectAwsError, fromCognitoCredentials, sts } from '../lib/clients.js';
import { uniqueName, useBroker } from '../lib/fixtures.js';

const ctx = useBroker();
const ID_PATTERN = /^us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

test('the demo pool id is written to the data directory and has the region:guid form', () => {
  assert.match(ctx.broker.demoPoolId(), ID_PATTERN);
});

test('fromCognitoIdentityPool gets guest credentials that STS maps to DemoUnauthenticatedRole', async () => {
  const provider = fromCognitoIdentityPool({
    identityPoolId: ctx.broker.demoPoolId(),
    clientConfig: { region: REGION, endpoint: ctx.broker.url, maxAttempts: 1 },
  });
  const creds = await provider();
  assert.match(creds.accessKeyId, /^ASIA[A-Z0-9]{12,}$/);
  assert.ok(creds.secretAccessKey.length >= 16, 'secret access key');
  assert.ok(creds.sessionToken.length > 0, 'session token');
  assert.ok(creds.expiration instanceof Date && creds.expiration.getTime() > Date.now() + 5 * 60_000,
    `expiration ${creds.expiration} should be in the future`);

  const who = await sts(ctx.broker, creds).send(new GetCallerIdentityCommand({}));
  assert.equal(who.Account, ACCOUNT_ID);
  assert.match(who.Arn, new RegExp(`^arn:aws:sts::${ACCOUNT_ID}:assumed-role/DemoUnauthenticatedRole/.+`));
  assert.match(who.UserId, /^AROA[A-Z0-9]+:.+/);
});

test('GetId without logins gives a new guest identity each call', async () => {
  const client = anonymousCognito(ctx.broker);
  const IdentityPoolId = ctx.broker.demoPoolId();
  const a = await client.send(new GetIdCommand({ IdentityPoolId }));
  const b = await client.send(new GetIdCommand({ IdentityPoolId, AccountId: ACCOUNT_ID }));
  assert.match(a.IdentityId, ID_PATTERN);
  assert.match(b.IdentityId, ID_PATTERN);
  assert.notEqual(a.IdentityId, b.IdentityId);

  const out = await client.send(new GetCredentialsForIdentityCommand({ IdentityId: a.IdentityId }));
  assert.equal(out.IdentityId, a.IdentityId);
  const who = await sts(ctx.broker, fromCognitoCredentials(out.Credentials)).send(new GetCallerIdentityCommand({}));
  assert.match(who.Arn, /:assumed-role\/DemoUnauthenticatedRole\//);
});

test('a pool that does not allow guests refuses GetId without logins', async () => {
  const pool = await ctx.cognito.send(new CreateIdentityPoolCommand({
    IdentityPoolName: uniqueName('noguests'), AllowUnauthenticatedIdentities: false,
  }));
  await expectAwsError(anonymousCognito(ctx.broker).send(new GetIdCommand({ IdentityPoolId: pool.IdentityPoolId })), {
    name: 'NotAuthorizedException',
    status: 400,
    message: 'Unauthenticated access is not supported for this identity pool.',
  });
});

test('GetId for a pool that does not exist is ResourceNotFoundException', async () => {
  const missing = 'us-east-1:00000000-0000-0000-0000-000000000000';
  await expectAwsError(anonymousCognito(ctx.broker).send(new GetIdCommand({ IdentityPoolId: missing })), {
    name: 'ResourceNotFoundException', status: 400, message: `IdentityPool '${missing}' not found.`,
  });
});
