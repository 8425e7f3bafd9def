// Expression rules (CEL) through the real clients: the admin rules API (signed SigV4, type errors with their position),
// the AWS SDK v3 getting credentials whose role an expression rule computed (STS GetCallerIdentity shows it), the
// audit record (CloudTrail LookupEvents) showing the rule and the session tags it set, and what-if replay.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { GetCredentialsForIdentityCommand, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256, anonymousCognito, fromCognitoCredentials, sts } from '../lib/clients.js';
import { REGION } from '../lib/broker.js';
import { cognitoTrust, createOidcPool, createRole, uniqueName, useBroker } from '../lib/fixtures.js';

let client;
const ctx = useBroker({ withIdp: true }, async () => { client = anonymousCognito(ctx.broker); });

/** The admin API, signed with the admin key as any SigV4 client signs (service execute-api). */
async function adminApi(method, path, body) {
  const text = body === undefined ? '' : JSON.stringify(body);
  const signer = new SignatureV4({ service: 'execute-api', region: REGION, credentials: ctx.broker.adminCredentials, sha256: Sha256 });
  const signed = await signer.sign({
    method, protocol: 'http:', hostname: '127.0.0.1', port: ctx.broker.port, path,
    headers: { host: ctx.broker.host, 'content-type': 'application/json' }, body: text,
  });
  const { host, ...headers } = signed.headers;
  const res = await fetch(`${ctx.broker.url}${path}`, { method, headers, body: method === 'GET' ? undefined : text });
  return { status: res.status, json: await res.json() };
}

const rulesPath = (poolId) => `/admin/api/pools/${encodeURIComponent(poolId)}/rules`;

async function credentialsFor(poolId, sub, claims) {
  const Logins = { [ctx.idp.providerKey]: await ctx.idp.mint({ sub, claims }) };
  const { IdentityId } = await client.send(new GetIdCommand({ IdentityPoolId: poolId, Logins }));
  const out = await client.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins }));
  return { identityId: IdentityId, credentials: out.Credentials };
}

async function callerRoleName(credentials) {
  const who = await sts(ctx.broker, fromCognitoCredentials(credentials)).send(new GetCallerIdentityCommand({}));
  return who.Arn.split(':assumed-role/')[1].split('/')[0];
}

async function decisionOf(identityId) {
  const trail = new CloudTrailClient({ endpoint: ctx.broker.url, region: REGION, credentials: ctx.broker.adminCredentials });
  for (let attempt = 0; attempt < 50; attempt++) {
    const page = await trail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: identityId }] }));
    const event = page.Events.find((e) => e.EventName === 'GetCredentialsForIdentity');
    if (event) return { eventId: event.EventId, decision: JSON.parse(event.CloudTrailEvent).additionalEventData.decision };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no audit record for ${identityId}`);
}

test('an expression rule computes the role and tags; the audit record and replay show it', async () => {
  const pool = await createOidcPool(ctx);
  const trust = cognitoTrust(pool.poolId, 'authenticated');
  trust.Statement[0].Action = ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'];
  const team = await createRole(ctx.iam, uniqueName('Team'), trust);
  const prefix = team.Arn.slice(0, team.Arn.length - team.RoleName.length);

  // A type error is refused at write time with the rule and the position; nothing is stored.
  const bad = await adminApi('PUT', rulesPath(pool.poolId), { ExpressionRules: [{ Condition: 'true', Role: team.Arn }, { Condition: 'provider + 1 == 2', Role: team.Arn }] });
  assert.equal(bad.status, 400);
  assert.match(JSON.stringify(bad.json), /InvalidParameterException/);
  assert.match(bad.json.message ?? bad.json.Message, /^Expression rule 2, Condition, line 1, column 10: no overload of '\+' for string and int/);
  assert.deepEqual((await adminApi('GET', rulesPath(pool.poolId))).json.ExpressionRules, []);

  const rules = [{
    Condition: '"admins" in claims.groups && claims.org.unit.startsWith("bl")',
    Role: `"${prefix}" + claims.org.role`,
    Tags: { unit: 'claims.org.unit' },
  }];
  const put = await adminApi('PUT', rulesPath(pool.poolId), { ExpressionRules: rules });
  assert.equal(put.status, 200, JSON.stringify(put.json));
  assert.deepEqual((await adminApi('GET', rulesPath(pool.poolId))).json.ExpressionRules, rules);

  // The real SDK: the rule's role (computed from a nested claim) is the one STS reports.
  const admin = await credentialsFor(pool.poolId, 'expr-admin', { groups: ['dev', 'admins'], org: { unit: 'blue', role: team.RoleName } });
  assert.equal(await callerRoleName(admin.credentials), team.RoleName);
  const dev = await credentialsFor(pool.poolId, 'expr-dev', { groups: ['dev'], org: { unit: 'blue', role: team.RoleName } });
  assert.equal(await callerRoleName(dev.credentials), pool.authRole.RoleName);

  const recorded = await decisionOf(admin.identityId);
  assert.equal(recorded.decision.role.chosenBy, 'ExpressionRule');
  assert.deepEqual(recorded.decision.role.expressionRule, { index: 0, condition: rules[0].Condition });
  assert.deepEqual(recorded.decision.sessionTags, { unit: 'blue' });
  assert.deepEqual(recorded.decision.inputs.claims[ctx.idp.providerKey].groups, ['dev', 'admins']);

  assert.equal((await decisionOf(dev.identityId)).decision.role.chosenBy, 'Default');

  // Replay: with a rule for "ops" instead, exactly the admin's decision changes (role and tags); the dev's does not.
  const replay = await adminApi('POST', '/admin/api/replay', {
    IdentityPoolId: pool.poolId,
    ExpressionRules: [{ Condition: '"ops" in claims.groups', Role: team.Arn }],
    StartTime: Math.floor(Date.now() / 1000) - 600,
  });
  assert.equal(replay.status, 200, JSON.stringify(replay.json));
  assert.equal(replay.json.Replayed, 2);
  assert.deepEqual(replay.json.Changed.map((c) => [c.EventId, c.Changes]), [[recorded.eventId, ['role', 'tags']]]);
  assert.equal(replay.json.Changed[0].Proposed.RoleArn, pool.authRole.Arn);
});

test('the rules API needs the admin signature', async () => {
  const res = await fetch(`${ctx.broker.url}/admin/api/pools/x/rules`);
  assert.ok([400, 403].includes(res.status), `status ${res.status}`);
  assert.match(await res.text(), /Exception|Missing|denied/i);
});
