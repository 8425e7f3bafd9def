// Rate limits and the guest quota (docs/limits.md) seen by the official SDK: TooManyRequestsException on Cognito's JSON
// protocol, Throttling on IAM's Query protocol, each with Retry-After, and calls admitted again once the window has passed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { GetCredentialsForIdentityCommand, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { ListRolesCommand } from '@aws-sdk/client-iam';
import { anonymousCognito, iam } from '../lib/clients.js';
import { useBroker } from '../lib/fixtures.js';

const GUESTS_PER_MINUTE = 3;
const ctx = useBroker({
  env: {
    Broker__Limits__GuestsPerAddressPerMinute: String(GUESTS_PER_MINUTE),
    'Broker__Limits__Operations__cognito-identity__GetCredentialsForIdentity': '2',
    Broker__Limits__Operations__iam__ListRoles: '1',
  },
});

/** Sends until the broker refuses (a per-second limit of 1 or 2 is passed within a few calls); returns the refusal. */
async function firstRefusal(send, attempts = 20) {
  for (let i = 0; i < attempts; i++) {
    try {
      await send();
    } catch (err) {
      return err;
    }
  }
  assert.fail(`no refusal in ${attempts} calls`);
}

test('an operation over its rate is refused, and the SDK gets through once the window has passed', async () => {
  const IdentityPoolId = ctx.broker.demoPoolId();
  const { IdentityId } = await anonymousCognito(ctx.broker).send(new GetIdCommand({ IdentityPoolId }));

  const once = anonymousCognito(ctx.broker);
  const refused = await firstRefusal(() => once.send(new GetCredentialsForIdentityCommand({ IdentityId })));
  assert.equal(refused.name, 'TooManyRequestsException');
  assert.equal(refused.$metadata.httpStatusCode, 400);

  // Retry-After is whole seconds to the end of the window: one second for an operation limit.
  await sleep(1100);
  const out = await once.send(new GetCredentialsForIdentityCommand({ IdentityId }));
  assert.ok(out.Credentials.AccessKeyId, 'admitted in the next window');
});

test('guest creation is limited per client address: the SDK sees TooManyRequestsException with Retry-After', async () => {
  const client = anonymousCognito(ctx.broker);
  const IdentityPoolId = ctx.broker.demoPoolId();
  // The test before spent one guest of this minute (or the minute turned since): at most the quota is admitted.
  let admitted = 0;
  const refused = await firstRefusal(async () => { await client.send(new GetIdCommand({ IdentityPoolId })); admitted++; });
  assert.ok(admitted <= GUESTS_PER_MINUTE, `${admitted} guests admitted`);
  assert.equal(refused.name, 'TooManyRequestsException');
  assert.equal(refused.$metadata.httpStatusCode, 400);
  assert.equal(refused.message, 'Rate exceeded');

  // The same refusal on the wire (again until refused, should the minute have turned meanwhile).
  let raw;
  for (let i = 0; i <= GUESTS_PER_MINUTE; i++) {
    raw = await fetch(ctx.broker.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSCognitoIdentityService.GetId' },
      body: JSON.stringify({ IdentityPoolId }),
    });
    if (raw.status !== 200) break;
    await raw.body?.cancel();
  }
  assert.equal(raw.status, 400);
  const wait = Number(raw.headers.get('retry-after'));
  assert.ok(Number.isInteger(wait) && wait >= 1 && wait <= 60, `Retry-After ${raw.headers.get('retry-after')}`);
  assert.equal((await raw.json()).__type, 'TooManyRequestsException');
});

test('a Query operation over its rate answers Throttling, as IAM does', async () => {
  const client = iam(ctx.broker);
  const refused = await firstRefusal(() => client.send(new ListRolesCommand({})));
  assert.equal(refused.name, 'Throttling');
  assert.equal(refused.$metadata.httpStatusCode, 400);
  assert.equal(refused.message, 'Rate exceeded');
});
