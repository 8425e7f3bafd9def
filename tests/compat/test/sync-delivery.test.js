// Cognito Sync's delivery side (docs/sync.md, "Push sync, Cognito Events and Cognito Streams") with the real
// @aws-sdk/client-cognito-sync and credentials from fromCognitoIdentityPool: push notifications reach a webhook
// receiver on loopback (and not the writing device), a Sync trigger function on loopback changes a record, the admin
// API's stream shows the changes in order, and BulkPublish puts the existing data on the stream.
import assert from 'node:assert/strict';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { CreateIdentityPoolCommand, SetIdentityPoolRolesCommand } from '@aws-sdk/client-cognito-identity';
import {
  BulkPublishCommand, CognitoSyncClient, DeleteDatasetCommand, GetBulkPublishDetailsCommand, GetCognitoEventsCommand, ListRecordsCommand,
  RegisterDeviceCommand, SetCognitoEventsCommand, SetIdentityPoolConfigurationCommand, SubscribeToDatasetCommand,
  UpdateRecordsCommand,
} from '@aws-sdk/client-cognito-sync';
import { PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { fromCognitoIdentityPool } from '@aws-sdk/credential-providers';
import { SignatureV4 } from '@smithy/signature-v4';
import { ACCOUNT_ID, REGION } from '../lib/broker.js';
import { expectAwsError, Sha256 } from '../lib/clients.js';
import { cognitoTrust, createRole, uniqueName, useBroker } from '../lib/fixtures.js';

const SECRET = randomBytes(24).toString('base64url');
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:sync-referee';
const pushes = [];
const events = [];
let receiver;
const env = {};

function signed(req, body) {
  const timestamp = req.headers['x-broker-trigger-timestamp'] ?? '';
  const expected = Buffer.from(`v1=${createHmac('sha256', SECRET).update(`${timestamp}.`).update(body).digest('hex')}`);
  const given = Buffer.from(req.headers['x-broker-trigger-signature'] ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

// The Sync trigger: a player's "name" is stored in capitals, a "cheat" record is never written.
function referee(event) {
  const records = event.datasetRecords;
  if (records.name?.op === 'replace') records.name.newValue = records.name.newValue.toUpperCase();
  delete records.cheat;
  return event;
}

before(async () => {
  receiver = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const message = JSON.parse(body);
      if (req.url.startsWith('/push/')) {
        pushes.push({ path: req.url, message });
        res.writeHead(200).end();
        return;
      }
      events.push({ event: structuredClone(message), signed: signed(req, body) });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(referee(message)));
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${receiver.address().port}`;
  env.Broker__Sync__Push__GCM__WebhookUrl = `${base}/push/gcm`;
  env.Broker__Sync__Push__APNS__WebhookUrl = `${base}/push/apns`;
  env[`Broker__Triggers__Functions__${FUNCTION_ARN.replaceAll(':', '__')}`] = `${base}/sync-referee`;
  env[`Broker__Triggers__Secrets__${FUNCTION_ARN.replaceAll(':', '__')}`] = SECRET;
  env['Broker__Limits__Operations__cognito-sync__GetCognitoEvents'] = '1';
});

after(() => new Promise((r) => receiver.close(r)));

const ctx = useBroker({ env });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(what, probe, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const admin = () => new CognitoSyncClient({ region: REGION, endpoint: ctx.broker.url, maxAttempts: 1, credentials: ctx.broker.adminCredentials });

/**
 * A guest pool whose role may use Cognito Sync on the identity's own ARNs, as an app's role policy names them: the
 * identity (RegisterDevice) and its datasets matching `datasets`, with the session's identity id as a policy variable.
 * `policyPool` puts another pool's id in those ARNs (a policy written for the wrong pool).
 */
async function syncPool({ datasets = '*', policyPool } = {}) {
  const { IdentityPoolId: poolId } = await ctx.cognito.send(new CreateIdentityPoolCommand({
    IdentityPoolName: uniqueName('syncout'), AllowUnauthenticatedIdentities: true,
  }));
  const identityArn = `arn:aws:cognito-sync:${REGION}:${ACCOUNT_ID}:identitypool/${policyPool ?? poolId}/identity/\${cognito-identity.amazonaws.com:sub}`;
  const role = await createRole(ctx.iam, uniqueName('sync').slice(0, 40), cognitoTrust(poolId));
  await ctx.iam.send(new PutRolePolicyCommand({
    RoleName: role.RoleName,
    PolicyName: 'own-datasets',
    PolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow',
        Action: 'cognito-sync:*',
        Resource: [identityArn, `${identityArn}/dataset/${datasets}`],
      }],
    }),
  }));
  await ctx.cognito.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: poolId, Roles: { unauthenticated: role.Arn } }));
  const credentials = fromCognitoIdentityPool({ identityPoolId: poolId, clientConfig: { region: REGION, endpoint: ctx.broker.url, maxAttempts: 1 } });
  const { identityId } = await credentials();
  const sync = new CognitoSyncClient({ region: REGION, endpoint: ctx.broker.url, maxAttempts: 1, credentials });
  return { poolId, identityId, sync };
}

async function write(sync, key, { poolId, identityId }, dataset, patches, deviceId) {
  const { SyncSessionToken } = await sync.send(new ListRecordsCommand({ IdentityPoolId: poolId, IdentityId: identityId, DatasetName: dataset }));
  return sync.send(new UpdateRecordsCommand({
    IdentityPoolId: poolId, IdentityId: identityId, DatasetName: dataset, SyncSessionToken, DeviceId: deviceId, RecordPatches: patches,
  }));
}

async function stream(poolId, query = '') {
  const path = '/admin/api/sync/stream';
  const params = Object.fromEntries(new URLSearchParams(`IdentityPoolId=${encodeURIComponent(poolId)}${query}`));
  const signer = new SignatureV4({ service: 'execute-api', region: REGION, credentials: ctx.broker.adminCredentials, sha256: Sha256 });
  const request = await signer.sign({ method: 'GET', protocol: 'http:', hostname: '127.0.0.1', port: ctx.broker.port, path, query: params, headers: { host: ctx.broker.host } });
  const { host, ...headers } = request.headers;
  const res = await fetch(`${ctx.broker.url}${path}?${new URLSearchParams(params)}`, { headers });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

const enableStreams = (poolId) => admin().send(new SetIdentityPoolConfigurationCommand({
  IdentityPoolId: poolId, CognitoStreams: { StreamName: 'changes', RoleArn: 'arn:aws:iam::000000000000:role/streams', StreamingStatus: 'ENABLED' },
}));

test('a change notifies the identity\'s other subscribed devices through their platform webhook, never the writer', async () => {
  const id = await syncPool();
  const { sync, poolId, identityId } = id;
  await admin().send(new SetIdentityPoolConfigurationCommand({
    IdentityPoolId: poolId,
    PushSync: { ApplicationArns: ['arn:aws:sns:us-east-1:123456789012:app/GCM/syncout'], RoleArn: 'arn:aws:iam::123456789012:role/push' },
  }));
  const device = async (Platform, Token) => (await sync.send(new RegisterDeviceCommand({ IdentityPoolId: poolId, IdentityId: identityId, Platform, Token }))).DeviceId;
  const phone = await device('GCM', 'gcm-token-phone');
  const tablet = await device('APNS', 'apns-token-tablet');
  for (const DeviceId of [phone, tablet]) {
    await sync.send(new SubscribeToDatasetCommand({ IdentityPoolId: poolId, IdentityId: identityId, DatasetName: 'prefs', DeviceId }));
  }

  const written = await write(sync, 'theme', id, 'prefs', [{ Op: 'replace', Key: 'theme', Value: 'dark', SyncCount: 0 }], phone);
  const push = await until('the tablet\'s push', () => pushes.find((p) => p.message.token === 'apns-token-tablet'));

  assert.equal(push.path, '/push/apns');
  assert.equal(push.message.platform, 'APNS');
  assert.equal(push.message.deviceId, tablet);
  assert.deepEqual(push.message.payload, {
    aps: { 'content-available': 1 },
    source: 'cognito-sync',
    identityPoolId: poolId,
    identityId,
    datasetName: 'prefs',
    syncCount: String(written.Records[0].SyncCount),
  });
  // The writer is never told of its own change: a later write from the tablet reaches the phone, and only it.
  await write(sync, 'theme', id, 'prefs', [{ Op: 'replace', Key: 'theme', Value: 'light', SyncCount: written.Records[0].SyncCount }], tablet);
  const back = await until('the phone\'s push', () => pushes.find((p) => p.message.token === 'gcm-token-phone'));
  assert.equal(back.message.payload.data.source, 'cognito-sync');
  assert.equal(pushes.filter((p) => p.message.token === 'gcm-token-phone').length, 1, 'the phone was not told of its own write');
  assert.equal(pushes.filter((p) => p.message.token === 'apns-token-tablet').length, 1, 'the tablet was not told of its own write');
});

test('the Sync trigger function changes a record before it is written, and the stream shows what was written', async () => {
  const id = await syncPool();
  const { sync, poolId, identityId } = id;
  await admin().send(new SetCognitoEventsCommand({ IdentityPoolId: poolId, Events: { SyncTrigger: FUNCTION_ARN } }));
  await enableStreams(poolId);

  const out = await write(sync, 'name', id, 'player', [
    { Op: 'replace', Key: 'name', Value: 'ada', SyncCount: 0 },
    { Op: 'replace', Key: 'cheat', Value: 'infinite-lives', SyncCount: 0 },
  ], 'device-1');

  const call = events.find((e) => e.event.identityId === identityId);
  assert.ok(call?.signed, 'the function was called, signed');
  assert.equal(call.event.eventType, 'SyncTrigger');
  assert.equal(call.event.version, 2);
  assert.equal(call.event.datasetName, 'player');
  assert.deepEqual(call.event.datasetRecords.name, { oldValue: null, newValue: 'ada', op: 'replace' });
  assert.deepEqual(out.Records.map((r) => [r.Key, r.Value]), [['name', 'ADA']]);
  const listed = await sync.send(new ListRecordsCommand({ IdentityPoolId: poolId, IdentityId: identityId, DatasetName: 'player' }));
  assert.deepEqual(listed.Records.map((r) => [r.Key, r.Value]), [['name', 'ADA']]);

  const page = JSON.parse((await stream(poolId)).text);
  const record = page.Records.at(-1).Record;
  assert.equal(record.dataSetName, 'player');
  assert.equal(record.operation, 'replace');
  assert.deepEqual(record.kinesisSyncRecords.map((r) => [r.key, r.value, r.op]), [['name', 'ADA', 'replace']]);
});

test('the stream shows the changes in order, pages from a position and exports as JSON lines', async () => {
  const id = await syncPool();
  const { sync, poolId, identityId } = id;
  await enableStreams(poolId);
  let count = 0;
  for (const value of ['1', '2', '3']) {
    count = (await write(sync, 'level', id, 'game', [{ Op: 'replace', Key: 'level', Value: value, SyncCount: count }], 'device-1')).Records[0].SyncCount;
  }
  await sync.send(new DeleteDatasetCommand({ IdentityPoolId: poolId, IdentityId: identityId, DatasetName: 'game' }));

  const all = JSON.parse((await stream(poolId)).text);
  assert.deepEqual(all.Records.map((e) => [e.Record.operation, e.Record.kinesisSyncRecords[0]?.value]),
    [['replace', '1'], ['replace', '2'], ['replace', '3'], ['remove', undefined]]);
  assert.ok(all.Records.every((e) => e.Record.identityId === identityId && e.Record.payloadType === 'Inline'));
  const counts = all.Records.slice(0, 3).map((e) => e.Record.syncCount);
  assert.deepEqual(counts, [...counts].sort((a, b) => a - b), 'sync counts ascend');

  const first = JSON.parse((await stream(poolId, '&MaxResults=2')).text);
  assert.equal(first.Records.length, 2);
  const rest = JSON.parse((await stream(poolId, `&After=${encodeURIComponent(first.LastPosition)}`)).text);
  assert.deepEqual([...first.Records, ...rest.Records], all.Records);

  const lines = await stream(poolId, '&Format=jsonl');
  assert.equal(lines.status, 200);
  assert.match(lines.headers.get('content-type'), /application\/x-ndjson/);
  assert.deepEqual(lines.text.trimEnd().split('\n').map((l) => JSON.parse(l)), all.Records);
  assert.equal(lines.headers.get('x-broker-last-position'), all.LastPosition);

  const bad = await stream(poolId, '&MaxResults=0');
  assert.equal(bad.status, 400);
  assert.equal(JSON.parse(bad.text).__type ?? bad.headers.get('x-amzn-errortype'), 'InvalidParameterException');
});

test('BulkPublish puts the existing data on the stream, GetBulkPublishDetails reports it, and a second one is refused', async () => {
  const id = await syncPool();
  const { sync, poolId, identityId } = id;
  await write(sync, 'a', id, 'before-streams', [{ Op: 'replace', Key: 'a', Value: 'old', SyncCount: 0 }], 'device-1');
  await expectAwsError(admin().send(new BulkPublishCommand({ IdentityPoolId: poolId })), { name: 'InvalidParameterException' });
  assert.equal((await admin().send(new GetBulkPublishDetailsCommand({ IdentityPoolId: poolId }))).BulkPublishStatus, 'NOT_STARTED');
  await enableStreams(poolId);
  assert.equal(JSON.parse((await stream(poolId)).text).Records.length, 0, 'a change made before streaming is not on the stream');

  const started = await admin().send(new BulkPublishCommand({ IdentityPoolId: poolId }));
  assert.equal(started.IdentityPoolId, poolId);
  const details = await until('the publish to succeed', async () => {
    const d = await admin().send(new GetBulkPublishDetailsCommand({ IdentityPoolId: poolId }));
    return d.BulkPublishStatus === 'SUCCEEDED' && d;
  });
  assert.ok(details.BulkPublishStartTime instanceof Date);
  assert.ok(details.BulkPublishCompleteTime >= details.BulkPublishStartTime);

  const records = JSON.parse((await stream(poolId)).text).Records.map((e) => e.Record);
  assert.deepEqual(records.map((r) => [r.identityId, r.dataSetName, r.operation, r.kinesisSyncRecords.map((k) => [k.key, k.value])]),
    [[identityId, 'before-streams', 'replace', [['a', 'old']]]]);
  await expectAwsError(admin().send(new BulkPublishCommand({ IdentityPoolId: poolId })), { name: 'AlreadyStreamedException' });
  await expectAwsError(sync.send(new BulkPublishCommand({ IdentityPoolId: poolId })), { name: 'NotAuthorizedException', status: 403 });
});

test('the role policy decides on the dataset ARN: a dataset or a pool the policy does not name is refused', async () => {
  const scoped = await syncPool({ datasets: 'app-*' });
  const listRecords = ({ sync, poolId, identityId }, DatasetName) =>
    sync.send(new ListRecordsCommand({ IdentityPoolId: poolId, IdentityId: identityId, DatasetName }));
  assert.equal((await listRecords(scoped, 'app-settings')).DatasetExists, false);
  await expectAwsError(listRecords(scoped, 'private'), { name: 'NotAuthorizedException', status: 403 });

  const other = await syncPool();
  const misnamed = await syncPool({ policyPool: other.poolId });
  await expectAwsError(listRecords(misnamed, 'app-settings'), { name: 'NotAuthorizedException', status: 403 });
  await expectAwsError(misnamed.sync.send(new RegisterDeviceCommand({
    IdentityPoolId: misnamed.poolId, IdentityId: misnamed.identityId, Platform: 'GCM', Token: 'token',
  })), { name: 'NotAuthorizedException', status: 403 });
});

test('a throttled Cognito Sync call is TooManyRequestsException with HTTP 429 (GetCognitoEvents limited to 1 per second)', async () => {
  const { poolId } = await syncPool();
  const calls = await Promise.allSettled(Array.from({ length: 5 }, () => admin().send(new GetCognitoEventsCommand({ IdentityPoolId: poolId }))));
  const refused = calls.filter((c) => c.status === 'rejected').map((c) => c.reason);
  assert.ok(calls.some((c) => c.status === 'fulfilled'), 'the first call of the second runs');
  assert.ok(refused.length >= 3, `at most two of five calls run in at most two seconds (refused ${refused.length})`);
  for (const error of refused) {
    assert.equal(error.name, 'TooManyRequestsException');
    assert.equal(error.$metadata.httpStatusCode, 429);
  }
});
