// A real OpenID Connect identity provider on loopback: discovery document, JWKS, RS256 and ES256
// signing keys made with jose, key rotation, and ID tokens signed with SignJWT — plus the hostile
// tokens a broker must refuse.
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, exportSPKI, generateKeyPair, base64url } from 'jose';

const now = () => Math.floor(Date.now() / 1000);

async function makeKey(alg, kid) {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { alg, kid, publicKey, privateKey, jwk };
}

/**
 * Starts the IdP. Returns { issuer, providerKey, clientId, mint(), hostileTokens(), rotate(), keys, requests, stop() }.
 * providerKey is the Logins key the broker expects: the issuer URL without its scheme.
 */
export async function startIdp({ clientId = 'compat-client' } = {}) {
  let keys = [await makeKey('RS256', 'rs-1'), await makeKey('ES256', 'es-1')];
  let rotations = 1;
  const requests = { discovery: 0, jwks: 0 };
  let issuer = '';

  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (req.method === 'GET' && path === '/.well-known/openid-configuration') {
      requests.discovery += 1;
      return sendJson(res, {
        issuer,
        jwks_uri: `${issuer}/jwks.json`,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        response_types_supported: ['id_token'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256', 'ES256'],
      });
    }
    if (req.method === 'GET' && path === '/jwks.json') {
      requests.jwks += 1;
      return sendJson(res, { keys: keys.map((k) => k.jwk) });
    }
    res.writeHead(404).end();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  issuer = `http://127.0.0.1:${port}`;

  const keyFor = (alg) => {
    const key = keys.find((k) => k.alg === alg);
    if (!key) throw new Error(`the IdP has no ${alg} key`);
    return key;
  };

  /** A valid ID token unless overridden. claims are merged last; offsets are seconds from now. */
  async function mint({
    sub = `user-${randomUUID()}`,
    aud = clientId,
    iss = issuer,
    alg = 'RS256',
    key = keyFor(alg),
    kid = key.kid,
    iatOffset = 0,
    expOffset = 300,
    nbfOffset,
    claims = {},
  } = {}) {
    const t = now();
    const jwt = new SignJWT({ email: `${sub}@example.test`, ...claims })
      .setProtectedHeader({ alg: key.alg, kid, typ: 'JWT' })
      .setIssuer(iss)
      .setAudience(aud)
      .setSubject(sub)
      .setIssuedAt(t + iatOffset)
      .setExpirationTime(t + expOffset)
      .setJti(randomUUID());
    if (nbfOffset !== undefined) jwt.setNotBefore(t + nbfOffset);
    return jwt.sign(key.privateKey);
  }

  /** Every token here must be refused by the broker; each breaks exactly one thing of a valid token for sub. */
  async function hostileTokens(sub) {
    const valid = await mint({ sub });
    const [header, payload] = valid.split('.');
    const rsa = keyFor('RS256');
    const rogue = await makeKey('RS256', rsa.kid);
    const stranger = await makeKey('RS256', 'not-in-jwks');
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload)));
    const enc = (obj) => base64url.encode(JSON.stringify(obj));
    const pem = new TextEncoder().encode(await exportSPKI(rsa.publicKey));
    return {
      expired: await mint({ sub, iatOffset: -7200, expOffset: -3600 }),
      'nbf in the future': await mint({ sub, nbfOffset: 3600, expOffset: 7200 }),
      'wrong aud': await mint({ sub, aud: 'some-other-client' }),
      'wrong iss': await mint({ sub, iss: 'http://127.0.0.1:9/' }),
      'alg none': `${enc({ alg: 'none', typ: 'JWT', kid: rsa.kid })}.${payload}.`,
      'HS256 with the public key as secret': await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', kid: rsa.kid, typ: 'JWT' })
        .sign(pem),
      'unknown kid': await mint({ sub, key: stranger }),
      'signed by a key not in the JWKS': await mint({ sub, key: rogue }),
      'tampered payload': `${header}.${enc({ ...claims, sub: `${sub}-admin` })}.${valid.split('.')[2]}`,
      'garbage': 'not-a-jwt',
    };
  }

  /** Adds a new RS256 key (kid rs-N) in front of the others; with retireOld the previous RS256 keys leave the JWKS. */
  async function rotate({ retireOld = false } = {}) {
    rotations += 1;
    const fresh = await makeKey('RS256', `rs-${rotations}`);
    keys = [fresh, ...keys.filter((k) => !(retireOld && k.alg === 'RS256'))];
    return fresh;
  }

  return {
    get issuer() { return issuer; },
    providerKey: `127.0.0.1:${port}`,
    port,
    clientId,
    requests,
    get keys() { return keys; },
    keyFor,
    mint,
    hostileTokens,
    rotate,
    stop: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
  };
}

function sendJson(res, body) {
  const text = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
