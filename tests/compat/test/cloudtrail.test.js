// The broker's audit trail read with CloudTrail's LookupEvents: the AWS CLI (by event name, by access key id, by time
// window, paging with NextToken to the last page) and @aws-sdk/client-cloudtrail, signed with the admin key.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { GetCredentialsForIdentityCommand, GetIdCommand, ListIdentityPoolsCommand } from '@aws-sdk/client-cognito-identity';
import { awsCli, cliSkip } from '../lib/aws-cli.js';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { anonymousCognito, cognito, expectAwsError, fromCognitoCredentials, sts } from '../lib/clients.js';
import { REGION } from '../lib/broker.js';
import { useBroker } from '../lib/fixtures.js';

const ctx = useBroker();

const cloudTrail = (broker) => new CloudTrailClient({ endpoint: broker.url, region: REGION, credentials: broker.adminCredentials });

async function issue(broker) {
  const anon = anonymousCognito(broker);
  const { IdentityId } = await anon.send(new GetIdCommand({ IdentityPoolId: broker.demoPoolId() }));
  const { Credentials } = await anon.send(new GetCredentialsForIdentityCommand({ IdentityId }));
  return { identityId: IdentityId, accessKeyId: Credentials.AccessKeyId, secretKey: Credentials.SecretKey, sessionToken: Credentials.SessionToken };
}

const record = (event) => JSON.parse(event.CloudTrailEvent);

test('aws cloudtrail lookup-events by event name finds GetCredentialsForIdentity with its decision and without the secret', { skip: cliSkip }, async () => {
  const issued = await issue(ctx.broker);
  const out = await awsCli(ctx.broker, ['cloudtrail', 'lookup-events', '--lookup-attributes',
    'AttributeKey=EventName,AttributeValue=GetCredentialsForIdentity', '--max-results', '50']);
  const event = out.Events.map(record).find((r) => r.responseElements?.credentials?.accessKeyId === issued.accessKeyId);
  assert.ok(event, 'the issuance is recorded');
  assert.equal(event.eventSource, 'cognito-identity.amazonaws.com');
  assert.equal(event.additionalEventData.decision.role.chosenBy, 'Default');
  const text = JSON.stringify(out);
  assert.ok(!text.includes(issued.secretKey) && !text.includes(issued.sessionToken));
});

test('aws cloudtrail lookup-events by access key id finds the admin calls only', { skip: cliSkip }, async () => {
  await cognito(ctx.broker).send(new ListIdentityPoolsCommand({ MaxResults: 5 }));
  const keyId = ctx.broker.adminCredentials.accessKeyId;
  let events = [];
  for (let i = 0; i < 50 && !events.some((e) => e.EventName === 'ListIdentityPools'); i++) {
    events = (await awsCli(ctx.broker, ['cloudtrail', 'lookup-events', '--lookup-attributes', `AttributeKey=AccessKeyId,AttributeValue=${keyId}`])).Events;
    if (!events.some((e) => e.EventName === 'ListIdentityPools')) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(events.some((e) => e.EventName === 'ListIdentityPools'));
  assert.ok(events.every((e) => e.AccessKeyId === keyId && e.Username === 'root'));
});

test('aws cloudtrail lookup-events by time window: an empty past window and a window around now', { skip: cliSkip }, async () => {
  const before = new Date(Date.now() - 2000);
  const issued = await issue(ctx.broker);
  const after = new Date(Date.now() + 2000);
  const inside = await awsCli(ctx.broker, ['cloudtrail', 'lookup-events', '--start-time', before.toISOString(), '--end-time', after.toISOString(),
    '--lookup-attributes', `AttributeKey=ResourceName,AttributeValue=${issued.identityId}`]);
  assert.ok(inside.Events.some((e) => e.EventName === 'GetCredentialsForIdentity'));
  const past = await awsCli(ctx.broker, ['cloudtrail', 'lookup-events', '--start-time', '2020-01-01T00:00:00Z', '--end-time', '2020-01-02T00:00:00Z']);
  assert.deepEqual(past.Events, []);
});

test('aws cloudtrail lookup-events pages with NextToken', { skip: cliSkip }, async () => {
  const issued = await issue(ctx.broker);
  const anon = anonymousCognito(ctx.broker);
  for (let i = 0; i < 3; i++) await anon.send(new GetCredentialsForIdentityCommand({ IdentityId: issued.identityId }));
  const attribute = `AttributeKey=ResourceName,AttributeValue=${issued.identityId}`;
  const first = await awsCli(ctx.broker, ['cloudtrail', 'lookup-events', '--lookup-attributes', attribute, '--max-items', '2', '--page-size', '2']);
  assert.equal(first.Events.length, 2);
  assert.ok(first.NextToken, 'a next page');
  const second = await awsCli(ctx.broker, ['cloudtrail', 'lookup-events', '--lookup-attributes', attribute, '--max-items', '2', '--page-size', '2',
    '--starting-token', first.NextToken]);
  const ids = [...first.Events, ...second.Events].map((e) => e.EventId);
  assert.equal(new Set(ids).size, ids.length, 'no event twice');
  assert.ok(second.Events.length >= 1);
});

test('@aws-sdk/client-cloudtrail LookupEvents reads events and pages; a wrong range is InvalidTimeRangeException', async () => {
  const issued = await issue(ctx.broker);
  const client = cloudTrail(ctx.broker);
  const page = await client.send(new LookupEventsCommand({
    LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: issued.identityId }], MaxResults: 1,
  }));
  assert.equal(page.Events.length, 1);
  assert.ok(page.Events[0].EventTime instanceof Date);
  assert.ok(page.NextToken);
  const next = await client.send(new LookupEventsCommand({
    LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: issued.identityId }], MaxResults: 1, NextToken: page.NextToken,
  }));
  assert.notEqual(next.Events[0].EventId, page.Events[0].EventId);
  await expectAwsError(client.send(new LookupEventsCommand({ StartTime: new Date(2030, 0, 1), EndTime: new Date(2020, 0, 1) })),
    { name: 'InvalidTimeRangeException' });
});

test('aws cloudtrail lookup-events by the access key id of issued credentials finds the calls signed with them', { skip: cliSkip }, async () => {
  const anon = anonymousCognito(ctx.broker);
  const { IdentityId } = await anon.send(new GetIdCommand({ IdentityPoolId: ctx.broker.demoPoolId() }));
  const { Credentials } = await anon.send(new GetCredentialsForIdentityCommand({ IdentityId }));
  const caller = await sts(ctx.broker, fromCognitoCredentials(Credentials)).send(new GetCallerIdentityCommand({}));
  let events = [];
  for (let i = 0; i < 50 && events.length === 0; i++) {
    events = (await awsCli(ctx.broker, ['cloudtrail', 'lookup-events', '--lookup-attributes', `AttributeKey=AccessKeyId,AttributeValue=${Credentials.AccessKeyId}`])).Events;
    if (events.length === 0) await new Promise((r) => setTimeout(r, 100));
  }
  assert.deepEqual(events.map((e) => e.EventName), ['GetCallerIdentity'], 'only the call signed with the guest key');
  const event = record(events[0]);
  assert.equal(event.userIdentity.type, 'AssumedRole');
  assert.equal(event.userIdentity.accessKeyId, Credentials.AccessKeyId);
  assert.equal(event.userIdentity.arn, caller.Arn);
});

test('aws cloudtrail lookup-events by time window: events outside the window are left out', { skip: cliSkip }, async () => {
  const first = await issue(ctx.broker);
  await new Promise((r) => setTimeout(r, 1500));
  const start = new Date();
  const anon = anonymousCognito(ctx.broker);
  await anon.send(new GetCredentialsForIdentityCommand({ IdentityId: first.identityId }));
  const attribute = `AttributeKey=ResourceName,AttributeValue=${first.identityId}`;
  const all = await awsCli(ctx.broker, ['cloudtrail', 'lookup-events', '--lookup-attributes', attribute]);
  const windowed = await awsCli(ctx.broker, ['cloudtrail', 'lookup-events', '--lookup-attributes', attribute,
    '--start-time', new Date(start.getTime() - 200).toISOString(), '--end-time', new Date(Date.now() + 2000).toISOString()]);
  assert.equal(all.Events.filter((e) => e.EventName === 'GetCredentialsForIdentity').length, 2);
  assert.equal(windowed.Events.filter((e) => e.EventName === 'GetCredentialsForIdentity').length, 1, 'the first issuance is before the window');
  assert.ok(!windowed.Events.some((e) => e.EventName === 'GetId'), 'the GetId before the window is left out');
});

test('aws cloudtrail lookup-events pages with NextToken to the last page: every event once, newest first, then no token', { skip: cliSkip }, async () => {
  const issued = await issue(ctx.broker);
  const anon = anonymousCognito(ctx.broker);
  for (let i = 0; i < 4; i++) await anon.send(new GetCredentialsForIdentityCommand({ IdentityId: issued.identityId }));
  const attribute = `AttributeKey=ResourceName,AttributeValue=${issued.identityId}`;
  const whole = await awsCli(ctx.broker, ['cloudtrail', 'lookup-events', '--lookup-attributes', attribute]);
  const paged = [];
  let token;
  let pages = 0;
  do {
    const args = ['cloudtrail', 'lookup-events', '--lookup-attributes', attribute, '--max-items', '2', '--page-size', '2'];
    const page = await awsCli(ctx.broker, token ? [...args, '--starting-token', token] : args);
    paged.push(...page.Events);
    token = page.NextToken;
    pages += 1;
  } while (token && pages < 20);
  assert.equal(token, undefined, 'the last page has no NextToken');
  assert.ok(pages >= 3);
  assert.deepEqual(paged.map((e) => e.EventId), whole.Events.map((e) => e.EventId), 'the pages are the whole list, in order');
  const times = paged.map((e) => new Date(e.EventTime).getTime());
  assert.deepEqual(times, [...times].sort((a, b) => b - a), 'newest first');
});
