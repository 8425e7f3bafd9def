// Starts the real IdentityBroker server (the Release build) on a free loopback port with a
// fresh data directory and known admin keys, waits until /health/ready answers 200, and stops it.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const DEFAULT_DLL = join(REPO_ROOT, 'src', 'IdentityBroker.Server', 'bin', 'Release', 'net10.0', 'IdentityBroker.Server.dll');
export const REGION = 'us-east-1';
export const ACCOUNT_ID = '000000000000';

const START_TIMEOUT_MS = Number(process.env.COMPAT_BROKER_START_TIMEOUT_MS ?? 60_000);
const OUTPUT_LINES_KEPT = 200;

/** A free TCP port on 127.0.0.1 (the OS picks it; the tiny race before the broker binds it is accepted). */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** Keeps the last lines a child process printed, to show them when start-up fails. */
class OutputTail {
  #lines = [];
  #partial = '';

  push(chunk) {
    const text = this.#partial + chunk.toString('utf8');
    const parts = text.split('\n');
    this.#partial = parts.pop();
    this.#lines.push(...parts);
    if (this.#lines.length > OUTPUT_LINES_KEPT) this.#lines.splice(0, this.#lines.length - OUTPUT_LINES_KEPT);
  }

  toString() {
    return [...this.#lines, this.#partial].filter((l) => l.length > 0).join('\n');
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Brokers still running when this process ends (normally or by a signal from the test runner) are killed,
// so that no server outlives its test file.
const running = new Set();
const killRunning = () => { for (const child of running) child.kill('SIGKILL'); };
process.on('exit', killRunning);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => { killRunning(); process.exit(128 + (signal === 'SIGINT' ? 2 : 15)); });
}

/**
 * Starts a broker. Options: env (extra environment, e.g. {'Broker__Oidc__UnknownKeyRefreshInterval': '00:00:01'}).
 * Returns { url, port, host, dataDir, adminCredentials, demoPoolId(), stop(), output() }.
 */
export async function startBroker({ env = {} } = {}) {
  const dll = process.env.COMPAT_BROKER_DLL ?? DEFAULT_DLL;
  if (!existsSync(dll)) {
    throw new Error(
      `IdentityBroker server is not built: ${dll} does not exist.\n` +
        `Build it first with: dotnet build IdentityBroker.sln -c Release (./test.sh does this).`,
    );
  }
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const url = `http://${host}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'broker-compat-'));
  const adminCredentials = {
    accessKeyId: `AKIDCOMPAT${randomBytes(5).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64url'),
  };
  const output = new OutputTail();
  const child = spawn('dotnet', [dll, '--urls', url], {
    cwd: dirname(dll),
    env: {
      ...process.env,
      ASPNETCORE_ENVIRONMENT: 'Production',
      DOTNET_NOLOGO: '1',
      Broker__DataDirectory: dataDir,
      Broker__Admin__AccessKeyId: adminCredentials.accessKeyId,
      Broker__Admin__SecretAccessKey: adminCredentials.secretAccessKey,
      // Suites share one broker and address for many guests; limits.test.js sets the quota (docs/limits.md).
      Broker__Limits__GuestsPerAddressPerMinute: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => output.push(d));
  child.stderr.on('data', (d) => output.push(d));
  let exited = null;
  const exitPromise = new Promise((r) => child.on('exit', (code, signal) => { exited = { code, signal }; r(exited); }));
  child.on('error', (err) => { output.push(`spawn error: ${err.message}\n`); });
  running.add(child);
  child.on('exit', () => running.delete(child));

  const stop = async () => {
    if (exited === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => { if (exited === null) child.kill('SIGKILL'); }, 5_000);
      await exitPromise;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  const fail = async (why) => {
    await stop();
    throw new Error(
      `IdentityBroker did not become ready at ${url}/health/ready: ${why}.\n` +
        `Command: dotnet ${dll} --urls ${url}\n--- server output (last ${OUTPUT_LINES_KEPT} lines) ---\n${output}\n--- end ---`,
    );
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  let lastProblem = 'no answer yet';
  let first404 = 0;
  for (;;) {
    if (exited !== null) return fail(`the process exited early (code ${exited.code}, signal ${exited.signal})`);
    if (Date.now() > deadline) return fail(`timed out after ${START_TIMEOUT_MS} ms (last: ${lastProblem})`);
    try {
      const res = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) break;
      lastProblem = `HTTP ${res.status}`;
      // A server that answers 404 has no readiness endpoint at all: waiting longer will not help.
      if (res.status === 404) {
        first404 ||= Date.now();
        if (Date.now() - first404 > 3_000) return fail('the server is up but GET /health/ready answers 404 (no readiness endpoint mapped)');
      }
    } catch (err) {
      lastProblem = err.cause?.code ?? err.message;
    }
    await sleep(150);
  }

  return {
    url,
    port,
    host,
    dataDir,
    adminCredentials,
    /** The broker's OIDC provider ARN, as used in role trust policies. */
    oidcProviderArn: `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/${host}`,
    demoPoolId() {
      return readFileSync(join(dataDir, 'demo-pool-id'), 'utf8').trim();
    },
    output: () => output.toString(),
    stop,
  };
}
