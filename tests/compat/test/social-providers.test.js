// Google, Sign in with Apple, Facebook (Graph access tokens and Limited Login), Login with Amazon and a
// Cognito user pool, each served by a loopback stand-in (lib/social.js, tokens signed by jose) that the
// broker reaches through its Broker__Providers__* overrides; driven with the AWS SDK v3 as an app would.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { decodeJwt } from 'jose';
import {
  CreateIdentityPoolCommand, GetCredentialsForIdentityCommand, GetIdCommand, GetOpenIdTokenCommand, SetIdentityPoolRolesCommand,
} from '@aws-sdk/client-cognito-identity';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { startBroker } from '../lib/broker.js';
import { anonymousCognito, cognito, expectAwsError, fromCognitoCredentials, iam, sts } from '../lib/clients.js';
import { cognitoTrust, createRole, uniqueName } from '../lib/fixtures.js';
import { USER_POOL_PROVIDER, startSocial } from '../lib/social.js';

const UNSUPPORTED = 'Token is not from a supported provider of this identity pool.';
const ctx = {};

before(async () => {
  ctx.social = await startSocial();
  ctx.broker = await startBroker({ env: ctx.social.env() });
  const admin = cognito(ctx.broker);
  const { ids } = ctx.social;
  const pool = await admin.send(new CreateIdentityPoolCommand({
    IdentityPoolName: uniqueName('social'),
    AllowUnauthenticatedIdentities: false,
    SupportedLoginProviders: {
      'accounts.google.com': ids.google,
      'appleid.apple.com': ids.apple,
      'graph.facebook.com': ids.facebook,
      'www.amazon.com': ids.amazon,
    },
    CognitoIdentityProviders: [{ ProviderName: USER_POOL_PROVIDER, ClientId: ids.userPool, ServerSideTokenCheck: false }],
  }));
  ctx.poolId = pool.IdentityPoolId;
  ctx.authRole = await createRole(iam(ctx.broker), uniqueName('SocialAuth'), cognitoTrust(ctx.poolId, 'authenticated'));
  await admin.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: ctx.poolId, Roles: { authenticated: ctx.authRole.Arn } }));
  ctx.client = anonymousCognito(ctx.broker);
});

after(async () => {
  await ctx.broker?.stop();
  await ctx.social?.stop();
});

const getId = async (Logins) => (await ctx.client.send(new GetIdCommand({ IdentityPoolId: ctx.poolId, Logins }))).IdentityId;
const refusedGetId = (Logins, expected) => expectAwsError(ctx.client.send(new GetIdCommand({ IdentityPoolId: ctx.poolId, Logins })), { status: 400, ...expected });

/** GetId twice (same identity), GetCredentialsForIdentity (authenticated role), GetOpenIdToken (amr entry). */
async function signsIn(key, mintToken, amrEntry) {
  const first = await getId({ [key]: await mintToken() });
  assert.match(first, /^us-east-1:[0-9a-f-]{36}$/);
  assert.equal(await getId({ [key]: await mintToken() }), first, 'the same user must get the same identity');
  const out = await ctx.client.send(new GetCredentialsForIdentityCommand({ IdentityId: first, Logins: { [key]: await mintToken() } }));
  assert.equal(out.IdentityId, first);
  assert.match(out.Credentials.AccessKeyId, /^ASIA/);
  const who = await sts(ctx.broker, fromCognitoCredentials(out.Credentials)).send(new GetCallerIdentityCommand({}));
  assert.match(who.Arn, new RegExp(`:assumed-role/${ctx.authRole.RoleName}/`));
  const openId = await ctx.client.send(new GetOpenIdTokenCommand({ IdentityId: first, Logins: { [key]: await mintToken() } }));
  const { amr } = decodeJwt(openId.Token);
  assert.ok(amr.includes('authenticated') && amr.includes(amrEntry), `amr ${JSON.stringify(amr)} lacks ${amrEntry}`);
  return first;
}

test('Google ID tokens give a stable identity and credentials; wrong aud and wrong iss are refused', async () => {
  await signsIn('accounts.google.com', () => ctx.social.googleToken({ sub: 'g-alice' }), 'accounts.google.com:g-alice');
  await refusedGetId({ 'accounts.google.com': await ctx.social.googleToken({ aud: 'other.apps.googleusercontent.com' }) },
    { name: 'NotAuthorizedException', message: UNSUPPORTED });
  await refusedGetId({ 'accounts.google.com': await ctx.social.googleToken({ iss: 'https://evil.example.com' }) },
    { name: 'NotAuthorizedException', message: "Invalid login token. Issuer doesn't match providerName" });
});

test('Sign in with Apple tokens are accepted; an expired one is refused', async () => {
  await signsIn('appleid.apple.com', () => ctx.social.appleToken({ sub: '001234.apple.bob' }), 'appleid.apple.com:001234.apple.bob');
  await refusedGetId({ 'appleid.apple.com': await ctx.social.appleToken({ expOffset: -3600 }) },
    { name: 'NotAuthorizedException', message: /^Invalid login token\. Token expired: \d+ >= \d+$/ });
});

test('Facebook access tokens are checked with the Graph API', async () => {
  await signsIn('graph.facebook.com', async () => ctx.social.facebookAccessToken({ userId: '10150001' }), 'graph.facebook.com:10150001');
  await refusedGetId({ 'graph.facebook.com': ctx.social.facebookAccessToken({ data: { is_valid: false } }) },
    { name: 'NotAuthorizedException', message: 'Invalid login token. Not a valid Facebook access token.' });
  await refusedGetId({ 'graph.facebook.com': ctx.social.facebookAccessToken({ data: { app_id: '999999' } }) },
    { name: 'NotAuthorizedException', message: UNSUPPORTED });
  await refusedGetId({ 'graph.facebook.com': ctx.social.facebookAccessToken({ data: { expires_at: Math.floor(Date.now() / 1000) - 60 } }) },
    { name: 'NotAuthorizedException', message: /^Invalid login token\. Token expired/ });
});

test('Graph API down is ExternalServiceException, and no token or secret is echoed', async () => {
  const token = ctx.social.facebookAccessToken();
  ctx.social.graphDown = true;
  try {
    const error = await refusedGetId({ 'graph.facebook.com': token }, { name: 'ExternalServiceException' });
    assert.ok(!error.message.includes(token));
  } finally {
    ctx.social.graphDown = false;
  }
  const secret = ctx.social.env()[`Broker__Providers__Facebook__AppSecrets__${ctx.social.ids.facebook}`];
  assert.ok(!ctx.broker.output().includes(token), 'the access token reached the broker log');
  assert.ok(!ctx.broker.output().includes(secret), 'the app secret reached the broker log');
});

test('Facebook Limited Login JWTs are verified with the JWKS', async () => {
  await signsIn('graph.facebook.com', () => ctx.social.facebookLimitedToken({ sub: '10150002' }), 'graph.facebook.com:10150002');
  await refusedGetId({ 'graph.facebook.com': await ctx.social.facebookLimitedToken({ aud: '999999' }) },
    { name: 'NotAuthorizedException', message: UNSUPPORTED });
});

test('Login with Amazon access tokens are checked with tokeninfo and profile; another client id is refused', async () => {
  await signsIn('www.amazon.com', async () => ctx.social.amazonAccessToken({ userId: 'amzn1.account.CAROL' }), 'www.amazon.com:amzn1.account.CAROL');
  await refusedGetId({ 'www.amazon.com': ctx.social.amazonAccessToken({ info: { aud: 'amzn1.application-oa2-client.other' } }) },
    { name: 'NotAuthorizedException', message: UNSUPPORTED });
  await refusedGetId({ 'www.amazon.com': 'Atza|not-issued-by-amazon' },
    { name: 'NotAuthorizedException', message: 'Invalid login token. Not a valid Login with Amazon access token.' });
});

test('user-pool ID tokens are accepted with the CognitoSignIn amr; access tokens and other clients are refused', async () => {
  await signsIn(USER_POOL_PROVIDER, () => ctx.social.userPoolToken({ sub: 'up-dave' }), `${USER_POOL_PROVIDER}:CognitoSignIn:up-dave`);
  await refusedGetId({ [USER_POOL_PROVIDER]: await ctx.social.userPoolToken({ tokenUse: 'access' }) },
    { name: 'NotAuthorizedException', message: 'Invalid login token. Missing a required claim: aud' });
  await refusedGetId({ [USER_POOL_PROVIDER]: await ctx.social.userPoolToken({ aud: 'otherclient' }) },
    { name: 'NotAuthorizedException', message: UNSUPPORTED });
});

test('a provider the pool does not list is refused', async () => {
  await refusedGetId({ 'cognito-idp.us-east-1.amazonaws.com/us-east-1_NotListed': await ctx.social.userPoolToken() },
    { name: 'NotAuthorizedException', message: UNSUPPORTED });
});

test('an http override on a non-loopback host stops start-up with a message naming the key', async () => {
  await assert.rejects(startBroker({ env: { Broker__Providers__Apple__JwksUrl: 'http://keys.example.com/auth/keys' } }),
    /Broker:Providers:Apple:JwksUrl must use https/);
});
