// Reaching a user pool's domain (<prefix>.auth.localhost) from Node. Chromium resolves every *.localhost name to loopback;
// Node's fetch does not (ENOTFOUND), so these requests connect to 127.0.0.1 and send the domain as the Host header, as
// `curl --resolve` or a reverse proxy would. Redirects are never followed: the tests read each Location themselves.
import { request } from 'node:http';

/** A fetch for openid-client's customFetch (and the tests): same signature, no redirects followed, *.localhost to 127.0.0.1. */
export function domainFetch(input, init = {}) {
  const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
  const headers = Object.fromEntries(new Headers(init.headers ?? {}).entries());
  const body = init.body === undefined || init.body === null ? null : Buffer.from(init.body.toString());
  if (body) headers['content-length'] = String(body.length);
  const loopback = url.hostname === 'localhost' || url.hostname.endsWith('.localhost') ? '127.0.0.1' : url.hostname;
  return new Promise((resolve, reject) => {
    const req = request({
      host: loopback, port: url.port || 80, method: init.method ?? 'GET', path: url.pathname + url.search,
      headers: { ...headers, host: url.host },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const out = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          for (const v of Array.isArray(value) ? value : [value]) out.append(name, v);
        }
        const content = [204, 304].includes(res.statusCode) ? null : Buffer.concat(chunks);
        resolve(new Response(content, { status: res.statusCode, headers: out }));
      });
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

/** A cookie jar of name=value pairs from Set-Cookie headers (expired ones removed). */
export class CookieJar {
  #cookies = new Map();

  take(response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
      const expired = attributes.some((a) => /^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]) < Date.now()) || value === '';
      if (expired) this.#cookies.delete(name.trim()); else this.#cookies.set(name.trim(), value);
    }
    return response;
  }

  has(name) { return this.#cookies.has(name); }

  header() { return [...this.#cookies].map(([n, v]) => `${n}=${v}`).join('; '); }
}
