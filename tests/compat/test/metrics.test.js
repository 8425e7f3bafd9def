// GET /metrics (docs/metrics.md): Prometheus text read by a real text-format parser; the series move as the official SDK
// makes calls (GetId, GetCredentialsForIdentity, an error, a refused token), and no identity id, token or subject appears.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GetCredentialsForIdentityCommand, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { anonymousCognito, expectAwsError } from '../lib/clients.js';
import { createOidcPool, useBroker } from '../lib/fixtures.js';

let pool;
let client;
const ctx = useBroker({ withIdp: true }, async () => {
  pool = await createOidcPool(ctx, { allowGuests: true });
  client = anonymousCognito(ctx.broker);
});

async function scrape() {
  const reply = await fetch(`${ctx.broker.url}/metrics`);
  assert.equal(reply.status, 200);
  assert.match(reply.headers.get('content-type'), /^text\/plain/);
  const text = await reply.text();
  return { text, families: parsePrometheusTextFormat(text) };
}

const family = ({ families }, name) => families.find((f) => f.name === name);

/** The sum of a counter's samples whose labels include every one of `labels`. */
function total(scraped, name, labels = {}) {
  const found = family(scraped, name);
  if (!found) return 0;
  return found.metrics
    .filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))
    .reduce((sum, m) => sum + Number(m.value), 0);
}

/**
 * A histogram's observations whose labels include `labels`. parse-prometheus-text-format 1.1.1 folds the series of a
 * labelled histogram into one (prom2json's layout for unlabelled ones), so the family's type comes from the parser and
 * the per-series `_count` samples are read from the text.
 */
function observations(scraped, name, labels = {}) {
  assert.equal(family(scraped, name)?.type, 'HISTOGRAM', `${name} is a histogram`);
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  return scraped.text.split('\n')
    .filter((line) => line.startsWith(`${name}_count{`) && wanted.every((pair) => line.includes(pair)))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

test('the counters and histograms move as calls are made, labelled by operation and outcome', async () => {
  const before = await scrape();
  const sub = `metrics-subject-${Date.now()}`;
  const token = await ctx.idp.mint({ sub });
  const Logins = { [ctx.idp.providerKey]: token };
  const { IdentityId } = await client.send(new GetIdCommand({ IdentityPoolId: pool.poolId, Logins }));
  const { IdentityId: guestId } = await client.send(new GetIdCommand({ IdentityPoolId: pool.poolId }));
  const { Credentials } = await client.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins }));
  await expectAwsError(client.send(new GetIdCommand({ IdentityPoolId: 'us-east-1:00000000-0000-4000-8000-000000000000' })),
    { name: 'ResourceNotFoundException', status: 400 });
  const expired = await ctx.idp.mint({ sub, iatOffset: -7200, expOffset: -3600 });
  await expectAwsError(client.send(new GetIdCommand({ IdentityPoolId: pool.poolId, Logins: { [ctx.idp.providerKey]: expired } })),
    { name: 'NotAuthorizedException', status: 400 });
  const after = await scrape();

  const moved = (name, labels) => total(after, name, labels) - total(before, name, labels);
  const observed = (name, labels) => observations(after, name, labels) - observations(before, name, labels);
  const calls = (operation, outcome) => ({ service: 'cognito-identity', operation, outcome });
  assert.equal(moved('identitybroker_calls_total', calls('GetId', 'success')), 2);
  assert.equal(moved('identitybroker_calls_total', calls('GetCredentialsForIdentity', 'success')), 1);
  assert.equal(moved('identitybroker_calls_total', calls('GetId', 'ResourceNotFoundException')), 1);
  assert.equal(moved('identitybroker_calls_total', calls('GetId', 'NotAuthorizedException')), 1);
  assert.equal(observed('identitybroker_call_duration_seconds', calls('GetCredentialsForIdentity', 'success')), 1);

  assert.equal(moved('identitybroker_credentials_issued_total', { pool: pool.poolId, role: pool.authRole.Arn }), 1);
  assert.equal(moved('identitybroker_token_validations_total', { provider_kind: 'oidc', outcome: 'success' }), 2);
  assert.equal(moved('identitybroker_token_validations_total', { provider_kind: 'oidc', outcome: 'expired' }), 1);
  // GetId verified the login token's signature; GetCredentialsForIdentity with the very same token found it in the
  // verified-token cache. The expired token is refused on its exp before the cache is asked.
  assert.equal(moved('identitybroker_verified_token_cache_total', { result: 'miss' }), 1);
  assert.equal(moved('identitybroker_verified_token_cache_total', { result: 'hit' }), 1);
  assert.ok(total(after, 'identitybroker_jwks_fetches_total', { outcome: 'success' }) >= 1, 'the IdP keys were fetched');
  assert.ok(observed('db_client_operation_duration_seconds', { db_system_name: 'sqlite' }) > 0, 'store calls are timed');
  assert.ok(observations(after, 'http_server_request_duration_seconds') > 0, 'ASP.NET Core instrumentation');
  assert.ok(family(after, 'dotnet_gc_collections_total') || family(after, 'dotnet_process_cpu_time_seconds_total'), 'runtime instrumentation');

  for (const secret of [IdentityId, guestId, token, expired, sub, Credentials.AccessKeyId, Credentials.SecretKey, Credentials.SessionToken]) {
    assert.ok(!after.text.includes(secret), `the scrape does not carry ${secret.slice(0, 24)}…`);
  }
});

test('an unknown operation is labelled by the broker, not by the name the request sent', async () => {
  const invented = `Steal${Date.now()}`;
  const reply = await fetch(ctx.broker.url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `AWSCognitoIdentityService.${invented}` },
    body: '{}',
  });
  assert.equal(reply.status, 400);
  const after = await scrape();
  assert.ok(!after.text.includes(invented));
  assert.ok(total(after, 'identitybroker_calls_total', { service: 'cognito-identity', operation: '(none)' }) >= 1);
});
