// The console on the Redis store (Broker:Store=redis), in a real browser (Debian chromium through playwright-core) against a
// real redis-server this file starts on a free port: sign in (the session is kept in Redis), pages work, the idle timeout
// (5 s here) signs out, and sign-out revokes the session for a copy of the cookie. Any console error fails the test.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DescribeIdentityPoolCommand } from '@aws-sdk/client-cognito-identity';
import { freePort } from '../lib/broker.js';
import { uniqueName, useBroker } from '../lib/fixtures.js';
import { launchChromium, resultsDir } from '../lib/hosted-ui.js';

const TEST_TIMEOUT = 120_000;
const REDIS_SERVER = process.env.COMPAT_REDIS_SERVER ?? 'redis-server';

/** A throwaway redis-server on a free loopback port (no persistence), ready when it accepts a connection. */
async function startRedis() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'console-redis-'));
  const child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: 'ignore' });
  const deadline = Date.now() + 15_000;
  for (;;) {
    const up = await new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1', () => { socket.end(); resolve(true); });
      socket.on('error', () => resolve(false));
    });
    if (up) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`redis-server did not start on port ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    keys: () => spawnSync('redis-cli', ['-p', String(port), '--scan'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean),
    stop: () => { child.kill('SIGKILL'); rmSync(dir, { recursive: true, force: true }); },
  };
}

const redis = await startRedis();
const ctx = useBroker({
  env: { Broker__Store: 'redis', Broker__Redis__Configuration: `127.0.0.1:${redis.port}`, Broker__Console__IdleTimeout: '00:00:05' },
});
let browser;

before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); redis.stop(); });

async function openPage() {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return { context, page, problems, url: (path) => `${ctx.broker.url}${path}` };
}

async function signIn({ page, url }) {
  await page.goto(url('/console/signin'));
  await page.getByLabel('Access key ID', { exact: true }).fill(ctx.broker.adminCredentials.accessKeyId);
  await page.getByLabel('Secret access key', { exact: true }).fill(ctx.broker.adminCredentials.secretAccessKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  assert.equal(await page.locator('h1').textContent(), 'Overview');
}

const sessionKeys = () => redis.keys().filter((k) => k.includes('console') && k.includes(':session:'));

test('console on Redis: sign in keeps the session in Redis, pages work, sign-out revokes every copy of the cookie', { timeout: TEST_TIMEOUT }, async () => {
  const session = await openPage();
  const { page, problems } = session;
  try {
    const before = sessionKeys().length;
    await signIn(session);
    assert.ok(sessionKeys().length > before, `a console session key in Redis: ${redis.keys().join(', ')}`);

    // A pool created in the console lands in the Redis store.
    await page.getByRole('link', { name: 'Identity pools' }).click();
    const name = uniqueName('redis');
    await page.locator('#name').fill(name);
    await page.getByRole('button', { name: 'Create pool' }).click();
    const poolId = (await page.locator('#pool-id').textContent()).trim();
    assert.equal((await ctx.cognito.send(new DescribeIdentityPoolCommand({ IdentityPoolId: poolId }))).IdentityPoolName, name);
    await page.screenshot({ path: join(resultsDir(), 'console-redis-pool.png'), fullPage: true });

    const cookie = (await session.context.cookies()).find((c) => c.name === 'ib-console');
    await page.getByRole('button', { name: 'Sign out' }).click();
    assert.equal(new URL(page.url()).pathname, '/console/signin');
    const replay = await fetch(session.url('/console/pools'), { headers: { cookie: `ib-console=${cookie.value}` }, redirect: 'manual' });
    assert.equal(replay.status, 302);
    assert.equal(replay.headers.get('location'), '/console/signin');
    assert.deepEqual(problems, []);
  } finally {
    await session.context.close();
  }
});

test('console on Redis: a session unused for the idle timeout is signed out, one in use is kept', { timeout: TEST_TIMEOUT }, async () => {
  const session = await openPage();
  const { page, problems } = session;
  try {
    await signIn(session);
    // Used every 1.5 s for 6 s (more than the timeout): each request renews the ticket.
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 1_500));
      const response = await page.goto(session.url('/console/pools'));
      assert.equal(new URL(response.url()).pathname, '/console/pools', `request ${i + 1} keeps the session`);
    }

    await new Promise((r) => setTimeout(r, 7_000));
    const response = await page.goto(session.url('/console/pools'));
    assert.equal(new URL(response.url()).pathname, '/console/signin', 'unused for 7 s of a 5 s idle timeout');
    await page.screenshot({ path: join(resultsDir(), 'console-redis-idle.png'), fullPage: true });
    assert.deepEqual(problems, []);
  } finally {
    await session.context.close();
  }
});
