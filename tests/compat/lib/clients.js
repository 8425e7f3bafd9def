// AWS SDK v3 clients pointed at a running broker, plus raw HTTP helpers (signed and unsigned)
// for the requests no SDK would send.
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
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
export const iam = (broker, credentials = broker.adminCredentials) => new IAMClient(common(broker, credentials));
export const sts = (broker, credentials = noCredentials) => new STSClient(common(broker, credentials));

/** Cognito's Credentials shape (SecretKey) to the SDK's credential identity. */
export const fromCognitoCredentials = (c) => ({
  accessKeyId: c.AccessKeyId,
  secretAccessKey: c.SecretKey,
  sessionToken: c.SessionToken,
  expiration: c.Expiration,
});

/** Awaits a call that must fail with an AWS error; checks name (or one of several), HTTP status (a number or '4xx') and message (string or RegExp). */
export async function expectAwsError(promise, { name, status, message }) {
  let error;
  try {
    await promise;
  } catch (err) {
    error = err;
  }
  const names = [name].flat();
  assert.ok(error, `expected ${names.join(' or ')} but the call succeeded`);
  assert.ok(names.includes(error.name), `expected ${names.join(' or ')}, got ${error.name}: ${error.message}`);
  const got = error.$metadata?.httpStatusCode;
  if (status === '4xx') assert.ok(got >= 400 && got < 500, `HTTP status of ${error.name} should be 4xx, got ${got}`);
  else if (status !== undefined) assert.equal(got, status, `HTTP status of ${error.name}`);
  if (typeof message === 'string') assert.equal(error.message, message);
  else if (message instanceof RegExp) assert.match(error.message, message);
  return error;
}

class Sha256 {
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

/** Asserts the AWS JSON 1.1 error framing: 4xx, a __type in the body, x-amzn-ErrorType "<Type>:". Returns the type. */
export function assertJsonClientError(reply, context = '') {
  const where = context ? ` (${context})` : '';
  assert.ok(reply.status >= 400 && reply.status < 500, `expected a 4xx${where}, got ${reply.status}: ${reply.text.slice(0, 300)}`);
  assert.ok(reply.json && typeof reply.json.__type === 'string' && reply.json.__type.length > 0,
    `expected a JSON body with __type${where}, got: ${reply.text.slice(0, 300)}`);
  const type = reply.json.__type.split('#').pop();
  const header = reply.headers.get('x-amzn-errortype');
  assert.ok(header, `missing x-amzn-ErrorType header${where}`);
  assert.equal(header.split(':')[0], type, `x-amzn-ErrorType "${header}" does not name __type "${type}"${where}`);
  assert.ok(header.includes(':'), `x-amzn-ErrorType "${header}" lacks the ':' after the type${where}`);
  return type;
}
