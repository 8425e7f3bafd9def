// A real OpenID Connect identity provider on loopback: discovery document, JWKS, RS256 and ES256
// signing keys made with jose, key rotation, and ID tokens signed with SignJWT — plus the hostile
// tokens a broker must refuse.
import { createServer } from 'node:http';
import { randomUUID, sign as cryptoSign } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompactEncrypt, SignJWT, exportJWK, exportSPKI, generateKeyPair, importPKCS8, base64url } from 'jose';

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
  const requests = { discovery: 0, jwks: 0, attacker: 0 };
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
    if (path.startsWith('/attacker/')) {
      // What a jku or x5u header points at: the broker must never fetch it.
      requests.attacker += 1;
      return sendJson(res, { keys: [] });
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
      ...(await headerAndFormTokens(sub, claims, enc)),
    };
  }

  /**
   * Issue 17's catalogue (docs/hostile-input.md): keys named by the header, hostile kid and alg, several audiences
   * without azp, iat in the future, a real JWE, and an ES256 signature of r = s = 0.
   */
  async function headerAndFormTokens(sub, claims, enc) {
    const attacker = await makeKey('RS256', keyFor('RS256').kid);
    const attackerCert = await selfSignedCertificate();
    const attackerJwk = { ...(await exportJWK(attacker.publicKey)), kid: attacker.kid };
    const signedBy = (key, header, extra = {}) => new SignJWT({ ...claims, ...extra }).setProtectedHeader(header).sign(key);
    const rawRs256 = (header) => {
      const input = `${enc(header)}.${enc(claims)}`;
      return `${input}.${base64url.encode(cryptoSign('sha256', Buffer.from(input), keyFor('RS256').privateKey))}`;
    };
    const es = keyFor('ES256');
    const oaep = await generateKeyPair('RSA-OAEP-256');
    return {
      'embedded jwk of the signing key': await signedBy(attacker.privateKey, { alg: 'RS256', kid: attacker.kid, jwk: attackerJwk }),
      'jku to an attacker JWKS': await signedBy(attacker.privateKey, { alg: 'RS256', kid: attacker.kid, jku: `${issuer}/attacker/jwks.json` }),
      'x5u to an attacker certificate': await signedBy(attacker.privateKey, { alg: 'RS256', kid: attacker.kid, x5u: `${issuer}/attacker/cert.pem` }),
      'x5c of the signing key': await signedBy(attackerCert.privateKey, { alg: 'RS256', x5c: [attackerCert.der] }),
      'kid like a path': rawRs256({ alg: 'RS256', typ: 'JWT', kid: '../../../../etc/passwd' }),
      'kid like SQL': rawRs256({ alg: 'RS256', typ: 'JWT', kid: "rs-1' OR '1'='1" }),
      'kid of 10 KB': rawRs256({ alg: 'RS256', typ: 'JWT', kid: 'k'.repeat(10 * 1024) }),
      'kid not a string': rawRs256({ alg: 'RS256', typ: 'JWT', kid: 1 }),
      'alg in lower case': rawRs256({ alg: 'rs256', typ: 'JWT', kid: 'rs-1' }),
      'alg absent': rawRs256({ typ: 'JWT', kid: 'rs-1' }),
      'several aud without azp': await mint({ sub, aud: [clientId, 'another-client'] }),
      'iat in the future': await mint({ sub, iatOffset: 3600, expOffset: 7200 }),
      'JWE of five parts': await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(claims)))
        .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: 'rs-1' })
        .encrypt(oaep.publicKey),
      'ES256 with r = s = 0': `${enc({ alg: 'ES256', typ: 'JWT', kid: es.kid })}.${enc(claims)}.${base64url.encode(new Uint8Array(64))}`,
    };
  }

  /** An RSA key and self-signed certificate made with the openssl CLI (jose makes no certificates). */
  async function selfSignedCertificate() {
    const dir = mkdtempSync(join(tmpdir(), 'compat-x5c-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
        '-subj', '/CN=attacker.example.net', '-days', '2'], { stdio: 'ignore' });
      const der = readFileSync(join(dir, 'cert.pem'), 'utf8').replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
      return { der, privateKey: await importPKCS8(readFileSync(join(dir, 'key.pem'), 'utf8'), 'RS256') };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
