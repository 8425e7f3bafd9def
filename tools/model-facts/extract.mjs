#!/usr/bin/env node
// Extracts from AWS service models (botocore's service-2.json) the facts the tests check the broker against:
// operations (HTTP binding, auth, input/output shapes, error shapes) and shapes (type, members, required,
// min/max, pattern, enum, sensitive, error codes). Documentation prose is never copied.
//
//   node tools/model-facts/extract.mjs <models folder> [output folder]
//
// The output folder defaults to tests/IdentityBroker.Tests/Validation/ModelFacts; each <service>.service-2.json
// found in the models folder becomes <service>.json there. The output is deterministic (same input, same bytes).
import { readFileSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SERVICES = ['cognito-identity', 'cognito-idp', 'cognito-sync', 'iam', 'sts', 'cloudtrail'];

// Whitelists: anything not named here (documentation, deprecatedMessage, examples, ...) is left out.
const METADATA_KEYS = ['apiVersion', 'endpointPrefix', 'jsonVersion', 'protocol', 'serviceId', 'signatureVersion',
  'signingName', 'targetPrefix', 'uid', 'xmlNamespace'];
const OPERATION_KEYS = ['name', 'http', 'authtype', 'auth', 'input', 'output', 'errors', 'idempotent'];
const SHAPE_KEYS = ['type', 'required', 'members', 'member', 'key', 'value', 'min', 'max', 'pattern', 'enum',
  'sensitive', 'exception', 'fault', 'error', 'box', 'document', 'deprecated', 'timestampFormat', 'flattened'];
const MEMBER_KEYS = ['shape', 'location', 'locationName', 'deprecated', 'idempotencyToken', 'jsonvalue',
  'timestampFormat', 'box', 'queryName', 'xmlNamespace', 'flattened'];
const REFERENCE_KEYS = ['shape', 'resultWrapper', 'locationName'];
const HTTP_KEYS = ['method', 'requestUri', 'responseCode'];
const ERROR_KEYS = ['code', 'httpStatusCode', 'senderFault'];

function pick(source, keys, map = {}) {
  const out = {};
  for (const key of keys) {
    if (source[key] !== undefined) out[key] = map[key] ? map[key](source[key]) : source[key];
  }
  return out;
}

const reference = (r) => pick(r, REFERENCE_KEYS);
const members = (m) => Object.fromEntries(Object.entries(m).map(([name, member]) => [name, pick(member, MEMBER_KEYS)]));

const operation = (o) => pick(o, OPERATION_KEYS, {
  http: (h) => pick(h, HTTP_KEYS),
  input: reference,
  output: reference,
  errors: (errors) => errors.map(reference),
});

const shape = (s) => pick(s, SHAPE_KEYS, {
  members,
  member: reference,
  key: reference,
  value: reference,
  error: (e) => pick(e, ERROR_KEYS),
});

const mapValues = (object, f) => Object.fromEntries(Object.entries(object).map(([k, v]) => [k, f(v)]));

export function extract(model) {
  return {
    metadata: pick(model.metadata, METADATA_KEYS),
    operations: mapValues(model.operations, operation),
    shapes: mapValues(model.shapes, shape),
  };
}

function main() {
  const [modelsFolder, outputFolder] = process.argv.slice(2);
  if (!modelsFolder) {
    console.error('usage: node tools/model-facts/extract.mjs <models folder> [output folder]');
    process.exit(2);
  }
  const here = dirname(fileURLToPath(import.meta.url));
  const output = resolve(outputFolder ?? join(here, '..', '..', 'tests', 'IdentityBroker.Tests', 'Validation', 'ModelFacts'));
  const present = new Set(readdirSync(modelsFolder));
  const missing = SERVICES.filter((s) => !present.has(`${s}.service-2.json`));
  if (missing.length > 0) {
    console.error(`missing in ${modelsFolder}: ${missing.map((s) => `${s}.service-2.json`).join(', ')}`);
    process.exit(1);
  }
  mkdirSync(output, { recursive: true });
  for (const service of SERVICES) {
    const model = JSON.parse(readFileSync(join(modelsFolder, `${service}.service-2.json`), 'utf8'));
    const target = join(output, `${service}.json`);
    writeFileSync(target, JSON.stringify(extract(model), null, 1) + '\n');
    console.log(`${target}: ${Object.keys(model.operations).length} operations, ${Object.keys(model.shapes).length} shapes`);
  }
}

main();
