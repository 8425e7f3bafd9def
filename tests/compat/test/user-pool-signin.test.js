// Sign-in against a broker user pool with real clients, unchanged: amazon-cognito-identity-js (CognitoUserPool with
// `endpoint` set to the broker; CognitoUser.authenticateUser runs USER_SRP_AUTH and PASSWORD_VERIFIER, and
// newPasswordRequired → completeNewPasswordChallenge), and @aws-sdk/client-cognito-identity-provider (InitiateAuth
// USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH, a client with a secret, RespondToAuthChallenge errors, GetTokensFromRefreshToken
// with refresh-token rotation).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from 'amazon-cognito-identity-js';
import {
  AdminGetUserCommand, CreateUserPoolClientCommand, CreateUserPoolCommand, GetTokensFromRefreshTokenCommand, InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { useBroker, uniqueName } from '../lib/fixtures.js';
import { expectAwsError, userPools } from '../lib/clients.js';
import { PASSWORD, createUser, secretHash, signIn } from '../lib/user-pool-users.js';

let userPoolId;
let srpClientId;
let passwordClientId;

const ctx = useBroker({}, async (c) => {
  const idp = userPools(c.broker);
  userPoolId = (await idp.send(new CreateUserPoolCommand({ PoolName: uniqueName('signin') }))).UserPool.Id;
  // No ExplicitAuthFlows: Cognito's default set (SRP, refresh, custom), which is what amazon-cognito-identity-js needs.
  srpClientId = (await idp.send(new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: 'spa' }))).UserPoolClient.ClientId;
  passwordClientId = (await idp.send(new CreateUserPoolClientCommand({
    UserPoolId: userPoolId, ClientName: 'password', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  }))).UserPoolClient.ClientId;
});

const payload = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url'));

function authenticate(username, password, { newPassword } = {}) {
  const pool = new CognitoUserPool({ UserPoolId: userPoolId, ClientId: srpClientId, endpoint: ctx.broker.url });
  const user = new CognitoUser({ Username: username, Pool: pool });
  return new Promise((resolve) => {
    const callbacks = {
      onSuccess: (session) => resolve({ ok: true, session }),
      onFailure: (err) => resolve({ ok: false, err }),
      newPasswordRequired: (userAttributes, requiredAttributes) => {
        if (!newPassword) {
          resolve({ ok: false, err: new Error('unexpected newPasswordRequired') });
          return;
        }
        user.completeNewPasswordChallenge(newPassword, {}, {
          onSuccess: (session) => resolve({ ok: true, session, challenge: { userAttributes, requiredAttributes } }),
          onFailure: (err) => resolve({ ok: false, err }),
        });
      },
    };
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), callbacks);
  });
}

test('amazon-cognito-identity-js signs in with SRP, unchanged, and gets the pool\'s tokens', async () => {
  const username = await createUser(ctx.broker, userPoolId, { attributes: { email: 'srp@example.com' } });
  const result = await authenticate(username, PASSWORD);
  assert.equal(result.ok, true, result.err?.message);
  const id = payload(result.session.getIdToken().getJwtToken());
  assert.equal(id['cognito:username'], username);
  assert.equal(id.iss, `${ctx.broker.url}/${userPoolId}`);
  assert.equal(id.aud, srpClientId);
  assert.equal(id.email, 'srp@example.com');
  assert.equal(payload(result.session.getAccessToken().getJwtToken()).token_use, 'access');
  assert.ok(result.session.getRefreshToken().getToken());
});

test('amazon-cognito-identity-js refreshes its session with the refresh token (REFRESH_TOKEN_AUTH)', async () => {
  const username = await createUser(ctx.broker, userPoolId);
  const result = await authenticate(username, PASSWORD);
  assert.equal(result.ok, true, result.err?.message);
  const pool = new CognitoUserPool({ UserPoolId: userPoolId, ClientId: srpClientId, endpoint: ctx.broker.url });
  const user = new CognitoUser({ Username: username, Pool: pool });
  const refreshed = await new Promise((resolve) => {
    user.refreshSession(result.session.getRefreshToken(), (err, session) => resolve({ err, session }));
  });
  assert.equal(refreshed.err, null, refreshed.err?.message);
  assert.equal(payload(refreshed.session.getAccessToken().getJwtToken()).origin_jti,
    payload(result.session.getAccessToken().getJwtToken()).origin_jti);
});

test('amazon-cognito-identity-js: a wrong password and an unknown user are refused as Cognito refuses them', async () => {
  const username = await createUser(ctx.broker, userPoolId);
  const wrong = await authenticate(username, 'Not-The-Password-1!');
  assert.equal(wrong.ok, false);
  assert.equal(wrong.err.code ?? wrong.err.name, 'NotAuthorizedException');
  assert.equal(wrong.err.message, 'Incorrect username or password.');
  const unknown = await authenticate('nobody-at-all', PASSWORD);
  assert.equal(unknown.ok, false);
  assert.equal(unknown.err.code ?? unknown.err.name, 'UserNotFoundException');
});

test('amazon-cognito-identity-js completes NEW_PASSWORD_REQUIRED for a user with a temporary password', async () => {
  const username = await createUser(ctx.broker, userPoolId, { password: 'Temporary-Pass-1!', temporary: true, attributes: { email: 'np@example.com' } });
  const result = await authenticate(username, 'Temporary-Pass-1!', { newPassword: 'Brand-New-Pass-2!' });
  assert.equal(result.ok, true, result.err?.message);
  assert.deepEqual(result.challenge.requiredAttributes, []);
  assert.equal(result.challenge.userAttributes.email, 'np@example.com');
  const user = await userPools(ctx.broker).send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }));
  assert.equal(user.UserStatus, 'CONFIRMED');
  assert.equal((await authenticate(username, 'Brand-New-Pass-2!')).ok, true);
});

test('the SDK signs in with USER_PASSWORD_AUTH and renews with REFRESH_TOKEN_AUTH and GetTokensFromRefreshToken', async () => {
  const username = await createUser(ctx.broker, userPoolId);
  const tokens = await signIn(ctx.broker, passwordClientId, username);
  assert.equal(tokens.TokenType, 'Bearer');
  assert.equal(tokens.ExpiresIn, 3600);
  const idp = userPools(ctx.broker);
  const refreshed = await idp.send(new InitiateAuthCommand({
    ClientId: passwordClientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken },
  }));
  assert.equal(refreshed.AuthenticationResult.RefreshToken, undefined);
  assert.equal(payload(refreshed.AuthenticationResult.IdToken).sub, payload(tokens.IdToken).sub);
  const again = await idp.send(new GetTokensFromRefreshTokenCommand({ ClientId: passwordClientId, RefreshToken: tokens.RefreshToken }));
  assert.ok(again.AuthenticationResult.AccessToken);
});

test('the SDK: GetTokensFromRefreshToken on a rotating client answers a new refresh token and retires the old one', async () => {
  const idp = userPools(ctx.broker);
  const client = await idp.send(new CreateUserPoolClientCommand({
    UserPoolId: userPoolId, ClientName: 'rotating', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
    RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 },
  }));
  assert.deepEqual(client.UserPoolClient.RefreshTokenRotation, { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 });
  const clientId = client.UserPoolClient.ClientId;
  const username = await createUser(ctx.broker, userPoolId);
  const tokens = await signIn(ctx.broker, clientId, username);
  const rotated = await idp.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: tokens.RefreshToken }));
  assert.ok(rotated.AuthenticationResult.RefreshToken);
  assert.notEqual(rotated.AuthenticationResult.RefreshToken, tokens.RefreshToken);
  assert.equal(payload(rotated.AuthenticationResult.AccessToken).origin_jti, payload(tokens.AccessToken).origin_jti);
  await expectAwsError(idp.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: tokens.RefreshToken })),
    { name: 'NotAuthorizedException', message: 'Invalid Refresh Token' });
  const again = await idp.send(new GetTokensFromRefreshTokenCommand({
    ClientId: clientId, RefreshToken: rotated.AuthenticationResult.RefreshToken,
  }));
  assert.ok(again.AuthenticationResult.IdToken);
});

test('the SDK: USER_PASSWORD_AUTH on a client that does not allow it, and a bad Session, get Cognito\'s errors', async () => {
  const idp = userPools(ctx.broker);
  await expectAwsError(idp.send(new InitiateAuthCommand({
    ClientId: srpClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'x', PASSWORD: PASSWORD },
  })), { name: 'InvalidParameterException', message: 'USER_PASSWORD_AUTH flow not enabled for this client' });
  await expectAwsError(idp.send(new RespondToAuthChallengeCommand({
    ClientId: srpClientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 'x'.repeat(40),
    ChallengeResponses: { USERNAME: 'x', NEW_PASSWORD: PASSWORD },
  })), { name: 'NotAuthorizedException', message: 'Invalid session for the user, session is expired.' });
});

test('the SDK signs in through a client with a secret only with the right SECRET_HASH', async () => {
  const idp = userPools(ctx.broker);
  const client = (await idp.send(new CreateUserPoolClientCommand({
    UserPoolId: userPoolId, ClientName: 'server', GenerateSecret: true, ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  }))).UserPoolClient;
  const username = await createUser(ctx.broker, userPoolId);
  await expectAwsError(signIn(ctx.broker, client.ClientId, username),
    { name: 'NotAuthorizedException', message: `Client ${client.ClientId} is configured for secret but secret was not received` });
  await expectAwsError(signIn(ctx.broker, client.ClientId, username, PASSWORD, { SECRET_HASH: secretHash(client.ClientSecret, 'someone-else', client.ClientId) }),
    { name: 'NotAuthorizedException', message: `Unable to verify secret hash for client ${client.ClientId}` });
  const tokens = await signIn(ctx.broker, client.ClientId, username, PASSWORD, { SECRET_HASH: secretHash(client.ClientSecret, username, client.ClientId) });
  const refreshed = await idp.send(new InitiateAuthCommand({
    ClientId: client.ClientId, AuthFlow: 'REFRESH_TOKEN_AUTH',
    AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken, SECRET_HASH: secretHash(client.ClientSecret, username, client.ClientId) },
  }));
  assert.ok(refreshed.AuthenticationResult.IdToken);
});
