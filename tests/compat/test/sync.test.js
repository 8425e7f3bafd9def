// Cognito Sync on the broker's port, driven by @aws-sdk/client-cognito-sync with each identity's own credentials from
// fromCognitoIdentity / fromCognitoIdentityPool, as an app does (docs/sync.md).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CreateIdentityPoolCommand, GetOpenIdTokenForDeveloperIdentityCommand, MergeDeveloperIdentitiesCommand, SetIdentityPoolRolesCommand,
} from '@aws-sdk/client-cognito-identity';
import {
  CognitoSyncClient, DeleteDatasetCommand, DescribeDatasetCommand, DescribeIdentityPoolUsageCommand, DescribeIdentityUsageCommand,
  GetIdentityPoolConfigurationCommand, ListDatasetsCommand, ListIdentityPoolUsageCommand, ListRecordsCommand, SetIdentityPoolConfigurationCommand, UpdateRecordsCommand,
} from '@aws-sdk/client-cognito-sync';
import { PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { fromCognitoIdentity, fromCognitoIdentityPool } from '@aws-sdk/credential-providers';
import { ACCOUNT_ID, REGION } from '../lib/broker.js';
import { anonymousCognito, expectAwsError } from '../lib/clients.js';
import { cognitoTrust, createRole, uniqueName, useBroker } from '../lib/fixtures.js';

const DEV = 'login.sync.app';
const COGNITO_KEY = 'cognito-identity.amazonaws.com';

let poolId;
const ctx = useBroker({}, async () => {
  const pool = await ctx.cognito.send(new CreateIdentityPoolCommand({
    IdentityPoolName: uniqueName('sync'), AllowUnauthenticatedIdentities: true, DeveloperProviderName: DEV,
  }));
  poolId = pool.IdentityPoolId;
  // Each identity may touch only its own datasets: the resource names the session's own identity id.
  const own = {
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow',
      Action: 'cognito-sync:*',
      Resource: [
        `arn:aws:cognito-sync:${REGION}:${ACCOUNT_ID}:identitypool/${poolId}/identity/\${${COGNITO_KEY}:sub}`,
        `arn:aws:cognito-sync:${REGION}:${ACCOUNT_ID}:identitypool/${poolId}/identity/\${${COGNITO_KEY}:sub}/*`,
      ],
    }],
  };
  const roles = {};
  for (const amr of ['authenticated', 'unauthenticated']) {
    const role = await createRole(ctx.iam, uniqueName(amr), cognitoTrust(poolId, amr));
    await ctx.iam.send(new PutRolePolicyCommand({ RoleName: role.RoleName, PolicyName: 'own-sync', PolicyDocument: JSON.stringify(own) }));
    roles[amr] = role.Arn;
  }
  await ctx.cognito.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: poolId, Roles: roles }));
});

const syncClient = (credentials) => new CognitoSyncClient({ region: REGION, endpoint: ctx.broker.url, credentials, maxAttempts: 1 });
const admin = () => syncClient(ctx.broker.adminCredentials);

/** A developer-authenticated user: its identity id and a client signed with its own temporary credentials. */
async function user(name) {
  const { IdentityId, Token } = await ctx.cognito.send(new GetOpenIdTokenForDeveloperIdentityCommand({ IdentityPoolId: poolId, Logins: { [DEV]: name } }));
  const credentials = fromCognitoIdentity({
    client: anonymousCognito(ctx.broker), identityId: IdentityId, logins: { [COGNITO_KEY]: Token },
  });
  return { id: IdentityId, name, client: syncClient(credentials) };
}

/** A guest through fromCognitoIdentityPool, as an app without sign-in gets its credentials. */
async function guest() {
  const provider = fromCognitoIdentityPool({ identityPoolId: poolId, clientConfig: { region: REGION, endpoint: ctx.broker.url, maxAttempts: 1 } });
  // Resolved once: each call of an uncached provider would make a new guest identity.
  const credentials = await provider();
  return { id: credentials.identityId, client: syncClient(credentials) };
}

const list = (u, DatasetName, LastSyncCount) =>
  u.client.send(new ListRecordsCommand({ IdentityPoolId: poolId, IdentityId: u.id, DatasetName, LastSyncCount }));

const update = (u, DatasetName, SyncSessionToken, RecordPatches, DeviceId = 'device') =>
  u.client.send(new UpdateRecordsCommand({ IdentityPoolId: poolId, IdentityId: u.id, DatasetName, SyncSessionToken, DeviceId, RecordPatches }));

test('two devices of one identity sync a dataset; the stale one gets ResourceConflictException and resolves it', async () => {
  const phone = await guest();
  const tablet = { id: phone.id, client: phone.client };
  const a = await list(phone, 'settings');
  assert.equal(a.DatasetExists, false);
  const b = await list(tablet, 'settings');

  const written = await update(phone, 'settings', a.SyncSessionToken, [{ Op: 'replace', Key: 'theme', Value: 'dark', SyncCount: 0 }], 'phone');
  assert.equal(written.Records[0].SyncCount, 1);
  await expectAwsError(update(tablet, 'settings', b.SyncSessionToken, [{ Op: 'replace', Key: 'theme', Value: 'light', SyncCount: 0 }], 'tablet'), {
    name: 'ResourceConflictException', status: 409, message: 'Current SyncCount for: theme is: 1',
  });

  // The tablet pulls what changed since its last sync, keeps its own value over the remote one, and pushes it.
  const pulled = await list(tablet, 'settings', 0);
  assert.deepEqual(pulled.Records.map((r) => [r.Key, r.Value, r.SyncCount, r.LastModifiedBy]), [['theme', 'dark', 1, phone.id]]);
  assert.equal(pulled.DatasetSyncCount, 1);
  await update(tablet, 'settings', pulled.SyncSessionToken, [{ Op: 'replace', Key: 'theme', Value: 'light', SyncCount: 1 }], 'tablet');

  const phoneSync = await list(phone, 'settings', 1);
  assert.deepEqual(phoneSync.Records.map((r) => [r.Key, r.Value, r.SyncCount]), [['theme', 'light', 2]]);
  const described = await phone.client.send(new DescribeDatasetCommand({ IdentityPoolId: poolId, IdentityId: phone.id, DatasetName: 'settings' }));
  assert.equal(described.Dataset.NumRecords, 1);
  assert.equal(described.Dataset.DataStorage, 'theme'.length + 'light'.length);
  assert.ok(described.Dataset.LastModifiedDate instanceof Date);
});

test("another identity's credentials are refused on this identity's datasets", async () => {
  const alice = await user(uniqueName('alice'));
  const mallory = await user(uniqueName('mallory'));
  const token = (await list(alice, 'private')).SyncSessionToken;
  await update(alice, 'private', token, [{ Op: 'replace', Key: 'k', Value: 'secret', SyncCount: 0 }]);

  const intruder = { id: alice.id, client: mallory.client };
  await expectAwsError(list(intruder, 'private'), {
    name: 'NotAuthorizedException', status: 403,
    message: 'These credentials do not belong to this identity: an identity reaches only its own datasets.',
  });
  await expectAwsError(intruder.client.send(new DeleteDatasetCommand({ IdentityPoolId: poolId, IdentityId: alice.id, DatasetName: 'private' })), {
    name: 'NotAuthorizedException', status: 403,
    message: 'These credentials do not belong to this identity: an identity reaches only its own datasets.',
  });
  await expectAwsError(alice.client.send(new GetIdentityPoolConfigurationCommand({ IdentityPoolId: poolId })), {
    name: 'NotAuthorizedException', status: 403, message: 'Identity pool-level Cognito Sync calls need the broker\'s admin credentials.',
  });
  assert.equal((await list(alice, 'private')).Records[0].Value, 'secret', 'nothing changed');
});

test('the limits are refused exactly at the limit: 20 datasets, 1 MB per dataset', async () => {
  const u = await user(uniqueName('limits'));
  for (let i = 0; i < 20; i += 1) {
    const { SyncSessionToken } = await list(u, `d${i}`);
    await update(u, `d${i}`, SyncSessionToken, [{ Op: 'replace', Key: 'k', Value: 'v', SyncCount: 0 }]);
  }
  const over = await list(u, 'd20');
  await expectAwsError(update(u, 'd20', over.SyncSessionToken, [{ Op: 'replace', Key: 'k', Value: 'v', SyncCount: 0 }]), {
    name: 'LimitExceededException', message: 'An identity may have at most 20 datasets.',
  });
  const usage = await u.client.send(new DescribeIdentityUsageCommand({ IdentityPoolId: poolId, IdentityId: u.id }));
  assert.equal(usage.IdentityUsage.DatasetCount, 20);

  // Two records of 1 + 524287 bytes: exactly 1,048,576 bytes is allowed, one byte more is not.
  const half = 'x'.repeat(524287);
  let { SyncSessionToken } = await list(u, 'd0');
  await update(u, 'd0', SyncSessionToken, [{ Op: 'remove', Key: 'k', SyncCount: 1 }, { Op: 'replace', Key: 'a', Value: half, SyncCount: 0 }]);
  ({ SyncSessionToken } = await list(u, 'd0'));
  await update(u, 'd0', SyncSessionToken, [{ Op: 'replace', Key: 'b', Value: half, SyncCount: 0 }]);
  const full = await u.client.send(new DescribeDatasetCommand({ IdentityPoolId: poolId, IdentityId: u.id, DatasetName: 'd0' }));
  assert.equal(full.Dataset.DataStorage, 1024 * 1024);
  await expectAwsError(update(u, 'd0', SyncSessionToken, [{ Op: 'replace', Key: 'c', Value: '', SyncCount: 0 }]), {
    name: 'LimitExceededException', message: 'A dataset may hold at most 1048576 bytes of keys and values.',
  });
});

test('datasets follow the surviving identity of a merge; a clashing name is kept as <name>.<merged identity id>', async () => {
  const src = await user(uniqueName('src'));
  const dest = await user(uniqueName('dest'));
  for (const [u, value] of [[src, 'from-src'], [dest, 'from-dest']]) {
    const { SyncSessionToken } = await list(u, 'notes');
    await update(u, 'notes', SyncSessionToken, [{ Op: 'replace', Key: 'n', Value: value, SyncCount: 0 }]);
  }
  const t = (await list(src, 'games')).SyncSessionToken;
  await update(src, 'games', t, [{ Op: 'replace', Key: 'level', Value: '7', SyncCount: 0 }]);

  const merged = await ctx.cognito.send(new MergeDeveloperIdentitiesCommand({
    IdentityPoolId: poolId, DeveloperProviderName: DEV, SourceUserIdentifier: src.name, DestinationUserIdentifier: dest.name,
  }));
  assert.equal(merged.IdentityId, dest.id);

  const datasets = await dest.client.send(new ListDatasetsCommand({ IdentityPoolId: poolId, IdentityId: dest.id }));
  assert.deepEqual(datasets.Datasets.map((d) => d.DatasetName).sort(), ['games', 'notes', `notes.${src.id}`].sort());
  const notes = await list(dest, 'notes');
  assert.deepEqual(notes.MergedDatasetNames, [`notes.${src.id}`]);
  assert.equal(notes.Records[0].Value, 'from-dest');
  assert.equal((await list(dest, `notes.${src.id}`)).Records[0].Value, 'from-src');
  assert.equal((await list(dest, 'games')).Records[0].Value, '7');
});

test('a dataset deleted and made again tells a device that synced the old one to drop its copy', async () => {
  const phone = await guest();
  let { SyncSessionToken } = await list(phone, 'notes');
  await update(phone, 'notes', SyncSessionToken, [{ Op: 'replace', Key: 'a', Value: '1', SyncCount: 0 }]);
  ({ SyncSessionToken } = await list(phone, 'notes'));
  await update(phone, 'notes', SyncSessionToken, [{ Op: 'replace', Key: 'a', Value: '2', SyncCount: 1 }]);
  const beforeDelete = await list(phone, 'notes', 2);
  assert.equal(beforeDelete.DatasetDeletedAfterRequestedSyncCount, false);

  // Another device deletes the dataset, then writes a new one of the same name.
  await phone.client.send(new DeleteDatasetCommand({ IdentityPoolId: poolId, IdentityId: phone.id, DatasetName: 'notes' }));
  const gone = await list(phone, 'notes', 2);
  assert.equal(gone.DatasetExists, false);
  assert.equal(gone.DatasetDeletedAfterRequestedSyncCount, true);
  ({ SyncSessionToken } = await list(phone, 'notes'));
  const remade = await update(phone, 'notes', SyncSessionToken, [{ Op: 'replace', Key: 'b', Value: 'new', SyncCount: 0 }]);
  assert.equal(remade.Records[0].SyncCount, 3, 'a dataset made again counts on from its deletion');

  const stale = await list(phone, 'notes', 2);
  assert.equal(stale.DatasetExists, true);
  assert.equal(stale.DatasetDeletedAfterRequestedSyncCount, true, 'the device synced count 2 of the deleted dataset');
  assert.deepEqual(stale.Records.map((r) => [r.Key, r.Value, r.SyncCount]), [['b', 'new', 3]]);
  assert.equal((await list(phone, 'notes', 3)).DatasetDeletedAfterRequestedSyncCount, false, 'synced since it was made again');
  assert.equal((await list(phone, 'notes', 0)).DatasetDeletedAfterRequestedSyncCount, false, 'a device that never synced has nothing to drop');
});

test('SyncSessionsCount counts the sync sessions begun: one per ListRecords without a NextToken', async () => {
  const usage = async () => (await admin().send(new DescribeIdentityPoolUsageCommand({ IdentityPoolId: poolId }))).IdentityPoolUsage;
  const before = await usage();
  const u = await guest();
  const first = await list(u, 'paged');
  await update(u, 'paged', first.SyncSessionToken, [
    { Op: 'replace', Key: 'a', Value: '1', SyncCount: 0 }, { Op: 'replace', Key: 'b', Value: '2', SyncCount: 0 }]);
  const page = await u.client.send(new ListRecordsCommand({ IdentityPoolId: poolId, IdentityId: u.id, DatasetName: 'paged', MaxResults: 1 }));
  assert.ok(page.NextToken);
  await u.client.send(new ListRecordsCommand({ IdentityPoolId: poolId, IdentityId: u.id, DatasetName: 'paged', MaxResults: 1, NextToken: page.NextToken }));

  const after = await usage();
  assert.equal(after.SyncSessionsCount - before.SyncSessionsCount, 2, 'two sessions began; the second page continues one');
  assert.ok(after.DataStorage >= before.DataStorage + 4);
  const listed = await admin().send(new ListIdentityPoolUsageCommand({ MaxResults: 60 }));
  assert.equal(listed.IdentityPoolUsages.find((p) => p.IdentityPoolId === poolId)?.SyncSessionsCount, after.SyncSessionsCount);
});

test('bad input is refused with InvalidParameterException and changes nothing', async () => {
  const u = await user(uniqueName('bad'));
  await expectAwsError(list(u, 'bad name!'), {
    name: 'InvalidParameterException', message: "DatasetName must be 1 to 128 characters of a-z, A-Z, 0-9, '_', '.', ':' and '-'.",
  });
  await expectAwsError(update(u, 'ok', 'not-a-token', [{ Op: 'replace', Key: 'k', Value: 'v', SyncCount: 0 }]), {
    name: 'InvalidParameterException', message: 'The SyncSessionToken is not valid for this dataset.',
  });
  const other = (await list(u, 'other')).SyncSessionToken;
  await expectAwsError(update(u, 'ok', other, [{ Op: 'replace', Key: 'k', Value: 'v', SyncCount: 0 }]), {
    name: 'InvalidParameterException', message: 'The SyncSessionToken is not valid for this dataset.',
  });
  const datasets = await u.client.send(new ListDatasetsCommand({ IdentityPoolId: poolId, IdentityId: u.id }));
  assert.deepEqual(datasets.Datasets, []);

  const set = await admin().send(new SetIdentityPoolConfigurationCommand({
    IdentityPoolId: poolId, CognitoStreams: { StreamName: 'changes', RoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/streams`, StreamingStatus: 'DISABLED' },
  }));
  assert.equal(set.CognitoStreams.StreamName, 'changes');
  const got = await admin().send(new GetIdentityPoolConfigurationCommand({ IdentityPoolId: poolId }));
  assert.equal(got.CognitoStreams.StreamingStatus, 'DISABLED');
});

