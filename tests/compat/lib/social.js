// Loopback stand-ins for the public providers and a Cognito user pool, all on one http server:
// Google (discovery + JWKS), Apple (JWKS), Facebook (Graph debug_token + Limited Login JWKS),
// Login with Amazon (tokeninfo + profile) and a user pool (JWKS under its issuer). ID tokens are
// signed with jose; access tokens are random strings the stand-in remembers. env() gives the
// Broker__Providers__* overrides that point a broker at it.
import { createServer } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';

const now = () => Math.floor(Date.now() / 1000);

export const USER_POOL_REGION = 'us-east-1';
export const USER_POOL_ID = 'us-east-1_Compat1';
export const USER_POOL_PROVIDER = `cognito-idp.${USER_POOL_REGION}.amazonaws.com/${USER_POOL_ID}`;

/**
 * Starts the stand-in. Options: ids — the app/client id of each provider; facebookSecret — the Graph app secret.
 * Returns { url, ids, env(), googleToken(), appleToken(), facebookAccessToken(), facebookLimitedToken(),
 * amazonAccessToken(), userPoolToken(), graphDown, requests, stop() }.
 */
export async function startSocial({
  ids = {
    google: 'compat-google-client.apps.googleusercontent.com',
    apple: 'com.example.compat',
    facebook: '1234567890',
    amazon: 'amzn1.application-oa2-client.compat',
    userPool: 'compatclient1',
  },
  facebookSecret = randomBytes(16).toString('hex'),
} = {}) {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'social-1', alg: 'RS256', use: 'sig' };
  const facebookTokens = new Map(); // access token -> debug_token data
  const amazonTokens = new Map(); // access token -> { info, profile }
  const requests = { graph: 0, tokeninfo: 0, profile: 0, jwks: 0 };
  const state = { graphDown: false };
  let url = '';

  const issuers = () => ({
    google: `${url}/google`,
    apple: `${url}/apple`,
    facebook: `${url}/facebook`,
    userPool: `${url}/cognito/${USER_POOL_REGION}/${USER_POOL_ID}`,
  });

  const server = createServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    const path = u.pathname;
    if (path === '/google/.well-known/openid-configuration') {
      return json(res, 200, { issuer: issuers().google, jwks_uri: `${url}/google/certs`, id_token_signing_alg_values_supported: ['RS256'] });
    }
    if (['/google/certs', '/apple/auth/keys', '/facebook/jwks/', `/cognito/${USER_POOL_REGION}/${USER_POOL_ID}/.well-known/jwks.json`].includes(path)) {
      requests.jwks += 1;
      return json(res, 200, { keys: [jwk] });
    }
    if (path === '/graph/debug_token') {
      requests.graph += 1;
      if (state.graphDown) return json(res, 503, { error: { message: 'Service temporarily unavailable', code: 2 } });
      if (u.searchParams.get('access_token') !== `${ids.facebook}|${facebookSecret}`) {
        return json(res, 400, { error: { message: 'Invalid OAuth access token signature.', type: 'OAuthException', code: 190 } });
      }
      const data = facebookTokens.get(u.searchParams.get('input_token'));
      return json(res, 200, { data: data ?? { is_valid: false, error: { code: 190, message: 'Invalid OAuth access token.' } } });
    }
    if (path === '/amazon/auth/o2/tokeninfo') {
      requests.tokeninfo += 1;
      const entry = amazonTokens.get(u.searchParams.get('access_token'));
      return entry ? json(res, 200, entry.info) : json(res, 400, { error: 'invalid_token', error_description: 'The request has an invalid parameter : access_token' });
    }
    if (path === '/amazon/user/profile') {
      requests.profile += 1;
      const auth = req.headers.authorization ?? '';
      const entry = auth.startsWith('Bearer ') ? amazonTokens.get(auth.slice(7)) : undefined;
      return entry ? json(res, 200, entry.profile) : json(res, 401, { error: 'invalid_token' });
    }
    res.writeHead(404).end();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${server.address().port}`;

  /** An ID token: valid for `issuer`/`aud` unless claims override; expOffset in seconds from now. */
  const sign = (claims, { expOffset = 300 } = {}) => new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: jwk.kid, typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime(now() + expOffset)
    .sign(privateKey);

  return {
    get url() { return url; },
    ids,
    requests,
    set graphDown(value) { state.graphDown = value; },
    /** The environment that points a broker at this stand-in. */
    env: () => ({
      Broker__Providers__Google__DiscoveryUrl: `${url}/google/.well-known/openid-configuration`,
      Broker__Providers__Google__Issuer: issuers().google,
      Broker__Providers__Apple__JwksUrl: `${url}/apple/auth/keys`,
      Broker__Providers__Apple__Issuer: issuers().apple,
      Broker__Providers__Facebook__GraphBaseUrl: `${url}/graph`,
      [`Broker__Providers__Facebook__AppSecrets__${ids.facebook}`]: facebookSecret,
      Broker__Providers__Facebook__LimitedLoginIssuer: issuers().facebook,
      Broker__Providers__Facebook__LimitedLoginJwksUrl: `${url}/facebook/jwks/`,
      Broker__Providers__Amazon__TokenInfoUrl: `${url}/amazon/auth/o2/tokeninfo`,
      Broker__Providers__Amazon__ProfileUrl: `${url}/amazon/user/profile`,
      Broker__Providers__UserPools__IssuerBase: `${url}/cognito/{region}`,
    }),
    googleToken: ({ sub = randomUUID(), aud = ids.google, iss = issuers().google, expOffset, claims = {} } = {}) =>
      sign({ iss, aud, sub, email: `${sub}@example.test`, ...claims }, { expOffset }),
    appleToken: ({ sub = randomUUID(), aud = ids.apple, iss = issuers().apple, expOffset } = {}) =>
      sign({ iss, aud, sub }, { expOffset }),
    facebookLimitedToken: ({ sub = randomUUID(), aud = ids.facebook } = {}) => sign({ iss: issuers().facebook, aud, sub }),
    /** An ID token; with tokenUse 'access', an access token as user pools issue them (client_id, no aud). */
    userPoolToken: ({ sub = randomUUID(), tokenUse = 'id', aud = tokenUse === 'id' ? ids.userPool : undefined, groups = ['admins'], expOffset } = {}) => {
      const claims = { iss: issuers().userPool, sub, token_use: tokenUse, 'cognito:groups': groups, 'cognito:username': sub };
      if (aud !== undefined) claims.aud = aud;
      if (tokenUse === 'access') claims.client_id = ids.userPool;
      return sign(claims, { expOffset });
    },
    /** A Facebook access token the Graph stand-in knows; data overrides debug_token's reply. */
    facebookAccessToken({ userId = `${Date.now()}${Math.floor(Math.random() * 1e6)}`, data = {} } = {}) {
      const token = `EAA${randomBytes(24).toString('base64url')}`;
      facebookTokens.set(token, { app_id: ids.facebook, type: 'USER', application: 'compat', is_valid: true, expires_at: now() + 3600, user_id: userId, scopes: ['public_profile'], ...data });
      return token;
    },
    /** A Login with Amazon access token the stand-in knows; info overrides tokeninfo's reply. */
    amazonAccessToken({ userId = `amzn1.account.${randomBytes(8).toString('hex').toUpperCase()}`, info = {} } = {}) {
      const token = `Atza|${randomBytes(24).toString('base64url')}`;
      amazonTokens.set(token, {
        info: { iss: 'https://www.amazon.com', user_id: userId, aud: ids.amazon, app_id: 'amzn1.application.compat', exp: 3600, iat: now(), ...info },
        profile: { user_id: userId, name: 'Compat User', email: 'compat@example.test' },
      });
      return token;
    },
    stop: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
  };
}

function json(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
