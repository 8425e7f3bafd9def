// What the hosted UI browser tests need: Debian chromium driven by playwright-core (nothing downloads a browser), a
// fetch that reaches a pool domain (<prefix>.auth.localhost) on loopback from Node (Node does not resolve *.localhost,
// Chromium does), a loopback callback server for the OAuth redirect, and a tiny PNG for the branding logo.
import { request as httpRequest, createServer } from 'node:http';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { PNG } from 'pngjs';
import { REPO_ROOT } from './broker.js';

export const CHROMIUM = process.env.COMPAT_CHROMIUM ?? '/usr/bin/chromium';

/** The directory test.sh keeps results in (TEST_RESULTS_DIR, else TestResults/run at the repository root). */
export function resultsDir() {
  const dir = process.env.TEST_RESULTS_DIR ?? join(REPO_ROOT, 'TestResults', 'run');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export const launchChromium = () => chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], timeout: 30_000 });

/**
 * fetch for a pool domain from Node: connects to 127.0.0.1 on the URL's port and sends the URL's host as Host. Returns a
 * WHATWG Response; never follows redirects (the tests look at them). Usable as openid-client's customFetch.
 */
export function domainFetch(url, options = {}) {
  const target = new URL(url);
  const headers = Object.fromEntries(new Headers(options.headers ?? {}).entries());
  headers.host = target.host;
  const body = options.body == null ? null : Buffer.from(options.body instanceof URLSearchParams ? options.body.toString() : options.body);
  if (body) headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: '127.0.0.1', port: target.port, path: target.pathname + target.search, method: options.method ?? 'GET', headers, timeout: 10_000,
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          for (const v of [].concat(value)) responseHeaders.append(name, v);
        }
        const status = res.statusCode;
        resolve(new Response([204, 304].includes(status) ? null : Buffer.concat(chunks), { status, headers: responseHeaders }));
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`request to ${url} timed out`)));
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

/** A loopback HTTP server standing for the app's redirect_uri: it records each request's URL and answers 200. */
export async function startCallbackServer() {
  const hits = [];
  const waiters = new Set();
  const server = createServer((req, res) => {
    hits.push(req.url);
    for (const w of waiters) w();
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><title>callback</title><p>signed in</p>');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/callback`,
    hits,
    stop: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

/** A solid-colour PNG, the logo of the branding test. */
export function solidPng(width, height, [r, g, b]) {
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) png.data.set([r, g, b, 255], i * 4);
  return PNG.sync.write(png);
}

/** The colour of one pixel of a PNG screenshot. */
export function pixelAt(pngBytes, x, y) {
  const png = PNG.sync.read(pngBytes);
  const i = (png.width * Math.round(y) + Math.round(x)) * 4;
  return [png.data[i], png.data[i + 1], png.data[i + 2]];
}
