// AWS SDK v3 clients pointed at a running broker, plus raw HTTP helpers (signed and unsigned)
// for the requests no SDK would send.
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { SignatureV4 } from '@smithy/signature-v4';
import { REGION } from './broker.js';

// Node 20 is what these machines have; the SDK's notice about a future Node 22 requirement is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// One attempt only: a retried 5xx would hide exactly the failures these tests look for.
const common = (broker, credentials) => ({ region: REGION, endpoint: broker.url, maxAttempts: 1, credentials });

/** No credentials at all: only for the unsigned operations; a signed one fails in the SDK before sending. */
const noCredentials = async () => { throw new Error('this client has no credentials: use it only for unsigned operations'); };

export const cognito = (broker, credentials = broker.adminCredentials) => new CognitoIdentityClient(common(broker, credentials));
export const anonymousCognito = (broker) => new CognitoIdentityClient(common(broker, noCredentials));
export const userPools = (broker, credentials = broker.adminCredentials) => new CognitoIdentityProviderClient(common(broker, credentials));
export const iam = (broker, credentials = broker.adminCredentials) => new IAMClient(common(broker, credentials));
export const sts = (broker, credentials = noCredentials) => new STSClient(common(broker, credentials));

/** Cognito's Credentials shape (SecretKey) to the SDK's credential identity. */
export const fromCognitoCredentials = (c) => ({
  accessKeyId: c.AccessKeyId,
  secretAccessKey: c.SecretKey,
  sessionToken: c.SessionToken,
  expiration: c.Expiration,
});

/**
 * Awaits a call that must fail with one AWS error: its exact name, its exact HTTP status (default 400, what Cognito
 * answers for every client error) and, when given, its message (string or RegExp). No "one of" and no "any 4xx": a
 * call refused for another reason than the one exercised fails the test.
 */
export async function expectAwsError(promise, { name, status = 400, message }) {
  assert.equal(typeof name, 'string', 'expectAwsError needs the one error name the call must fail with');
  assert.equal(typeof status, 'number', 'expectAwsError needs the exact HTTP status');
  let error;
  try {
    await promise;
  } catch (err) {
    error = err;
  }
  assert.ok(error, `expected ${name} but the call succeeded`);
  assert.equal(error.name, name, `expected ${name}, got ${error.name}: ${error.message}`);
  assert.equal(error.$metadata?.httpStatusCode, status, `HTTP status of ${error.name}`);
  if (typeof message === 'string') assert.equal(error.message, message);
  else if (message instanceof RegExp) assert.match(error.message, message);
  return error;
}

export class Sha256 {
  #h;
  constructor(secret) { this.#h = secret ? createHmac('sha256', secret) : createHash('sha256'); }
  update(data) { this.#h.update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data); }
  async digest() { return new Uint8Array(this.#h.digest()); }
}

/**
 * POSTs a raw body to the broker's JSON 1.1 endpoint. body: a string (sent as is) or a value (JSON-encoded);
 * sign: credentials to SigV4-sign with (service cognito-identity), or false; signingDate: the signature's date;
 * tamperBody: a different body to send after signing. Returns { status, headers, text, json }.
 */
export async function postJson(broker, target, body, { sign = false, headers = {}, signingDate, tamperBody } = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  let request = {
    method: 'POST',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: broker.port,
    path: '/',
    headers: {
      host: broker.host,
      'content-type': 'application/x-amz-json-1.1',
      ...(target === undefined ? {} : { 'x-amz-target': target }),
      ...headers,
    },
    body: text,
  };
  if (sign) {
    const signer = new SignatureV4({ service: 'cognito-identity', region: REGION, credentials: sign, sha256: Sha256 });
    request = await signer.sign(request, signingDate ? { signingDate } : {});
  }
  const { host, ...sendHeaders } = request.headers;
  const res = await fetch(`${broker.url}/`, { method: 'POST', headers: sendHeaders, body: tamperBody ?? text });
  const replyText = await res.text();
  let json;
  try { json = JSON.parse(replyText); } catch { json = undefined; }
  return { status: res.status, headers: res.headers, text: replyText, json };
}

/**
 * Asserts an AWS JSON 1.1 error reply: the exact status (default 400), `__type` equal to `type`, the header
 * "x-amzn-ErrorType: <type>:", and the message (string or RegExp) when given. Returns the message.
 */
export function assertJsonError(reply, { type, status = 400, message, context = '' }) {
  const where = context ? ` (${context})` : '';
  assert.equal(typeof type, 'string', 'assertJsonError needs the one error type the reply must carry');
  assert.equal(reply.status, status, `HTTP status${where}: ${reply.text.slice(0, 300)}`);
  assert.ok(reply.json && typeof reply.json.__type === 'string',
    `expected a JSON body with __type${where}, got: ${reply.text.slice(0, 300)}`);
  assert.equal(reply.json.__type.split('#').pop(), type, `__type${where}: ${reply.text.slice(0, 300)}`);
  assert.equal(reply.headers.get('x-amzn-errortype'), `${type}:`, `x-amzn-ErrorType${where}`);
  const text = reply.json.message ?? reply.json.Message;
  if (typeof message === 'string') assert.equal(text, message, `message${where}`);
  else if (message instanceof RegExp) assert.match(text, message, `message${where}`);
  return text;
}

/**
 * Calls the broker's admin API (REST JSON under /admin/api) signed with the admin key. Returns { status, headers, json }.
 */
export async function adminApi(broker, method, path, body) {
  const text = body === undefined ? '' : JSON.stringify(body);
  let request = {
    method,
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: broker.port,
    path,
    headers: { host: broker.host, 'content-type': 'application/json' },
    body: text,
  };
  const signer = new SignatureV4({ service: 'execute-api', region: REGION, credentials: broker.adminCredentials, sha256: Sha256 });
  request = await signer.sign(request);
  const { host, ...sendHeaders } = request.headers;
  const res = await fetch(`${broker.url}${path}`, { method, headers: sendHeaders, body: method === 'GET' ? undefined : text });
  const replyText = await res.text();
  let json;
  try { json = JSON.parse(replyText); } catch { json = undefined; }
  return { status: res.status, headers: res.headers, json };
}
