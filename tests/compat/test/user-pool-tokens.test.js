// A broker user pool's tokens as API Gateway and ALB consumers verify them: npm aws-jwt-verify's JwtRsaVerifier with
// the pool's issuer and the JWKS the broker publishes under it; then RevokeToken and GlobalSignOut with the real
// @aws-sdk/client-cognito-identity-provider. The tokens come from real sign-ins (InitiateAuth USER_PASSWORD_AUTH) of users
// made with AdminCreateUser, groups with CreateGroup and AdminAddUserToGroup.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import {
  AdminAddUserToGroupCommand, CreateGroupCommand, CreateUserPoolClientCommand, CreateUserPoolCommand, GlobalSignOutCommand,
  RevokeTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { useBroker, uniqueName } from '../lib/fixtures.js';
import { expectAwsError, userPools } from '../lib/clients.js';
import { createUser, signIn } from '../lib/user-pool-users.js';

let userPoolId;
let clientId;
let issuer;

const ctx = useBroker({}, async (c) => {
  const idp = userPools(c.broker);
  const pool = await idp.send(new CreateUserPoolCommand({ PoolName: uniqueName('tokens') }));
  userPoolId = pool.UserPool.Id;
  const client = await idp.send(new CreateUserPoolClientCommand({
    UserPoolId: userPoolId, ClientName: 'web', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  }));
  clientId = client.UserPoolClient.ClientId;
  issuer = `${c.broker.url}/${userPoolId}`;
});

/** aws-jwt-verify fetches over https only; the broker runs on plain loopback http, so the JWKS it publishes is fetched here and handed over. */
async function verifier(props) {
  const discovery = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
  assert.equal(discovery.issuer, issuer);
  assert.equal(discovery.jwks_uri, `${issuer}/.well-known/jwks.json`);
  const jwks = await (await fetch(discovery.jwks_uri)).json();
  const v = JwtRsaVerifier.create({ issuer, jwksUri: discovery.jwks_uri, ...props });
  v.cacheJwks(jwks);
  return v;
}

test('aws-jwt-verify accepts the ID token with the pool issuer, JWKS and client id as audience', async () => {
  const username = await createUser(ctx.broker, userPoolId);
  const idp = userPools(ctx.broker);
  await idp.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: 'admins', Precedence: 1, RoleArn: 'arn:aws:iam::000000000000:role/Admins' }));
  await idp.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, GroupName: 'admins', Username: username }));
  const tokens = await signIn(ctx.broker, clientId, username);
  const payload = await (await verifier({ audience: clientId, tokenUse: 'id' })).verify(tokens.IdToken);
  assert.match(payload.sub, /^[0-9a-f-]{36}$/);
  assert.equal(payload['cognito:username'], username);
  assert.equal(payload.token_use, 'id');
  assert.deepEqual(payload['cognito:groups'], ['admins']);
  assert.equal(payload['cognito:preferred_role'], 'arn:aws:iam::000000000000:role/Admins');
});

test('aws-jwt-verify accepts the access token (no aud; client_id and scope)', async () => {
  const tokens = await signIn(ctx.broker, clientId, await createUser(ctx.broker, userPoolId, { username: 'access' }));
  const payload = await (await verifier({ audience: null, tokenUse: 'access' })).verify(tokens.AccessToken);
  assert.equal(payload.client_id, clientId);
  assert.equal(payload.scope, 'aws.cognito.signin.user.admin');
  assert.equal(payload.username, 'access');
});

test('aws-jwt-verify refuses a token of the pool with another audience, another issuer or an altered payload', async () => {
  const tokens = await signIn(ctx.broker, clientId, await createUser(ctx.broker, userPoolId, { username: 'refused' }));
  await assert.rejects((await verifier({ audience: 'another-client', tokenUse: 'id' })).verify(tokens.IdToken));
  const other = JwtRsaVerifier.create({ issuer: `${ctx.broker.url}/us-east-1_Other1234`, audience: clientId, jwksUri: `${issuer}/.well-known/jwks.json` });
  other.cacheJwks(await (await fetch(`${issuer}/.well-known/jwks.json`)).json());
  await assert.rejects(other.verify(tokens.IdToken));
  const [header, payload, signature] = tokens.IdToken.split('.');
  const altered = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url')), sub: 'mallory' })).toString('base64url');
  await assert.rejects((await verifier({ audience: clientId, tokenUse: 'id' })).verify(`${header}.${altered}.${signature}`));
});

test('GlobalSignOut with the SDK revokes the access token; the next call answers "Access Token has been revoked"', async () => {
  const tokens = await signIn(ctx.broker, clientId, await createUser(ctx.broker, userPoolId, { username: 'signout' }));
  const idp = userPools(ctx.broker);
  await idp.send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken }));
  await expectAwsError(idp.send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken })),
    { name: 'NotAuthorizedException', message: 'Access Token has been revoked' });
});

test('RevokeToken with the SDK revokes the refresh token session and its access token', async () => {
  const tokens = await signIn(ctx.broker, clientId, await createUser(ctx.broker, userPoolId, { username: 'revoke' }));
  const idp = userPools(ctx.broker);
  await idp.send(new RevokeTokenCommand({ Token: tokens.RefreshToken, ClientId: clientId }));
  await expectAwsError(idp.send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken })),
    { name: 'NotAuthorizedException', message: 'Access Token has been revoked' });
  await expectAwsError(idp.send(new RevokeTokenCommand({ Token: tokens.AccessToken, ClientId: clientId })),
    { name: 'UnsupportedTokenTypeException' });
});
