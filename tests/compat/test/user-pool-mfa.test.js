// Multi-factor authentication of the broker's user pools with the real @aws-sdk/client-cognito-identity-provider and
// codes from npm otpauth (RFC 6238, as authenticator apps compute them): the pool's MFA configuration, a software token
// associated and verified with the access token, SOFTWARE_TOKEN_MFA at sign-in, MFA_SETUP with the Session, and SMS_MFA
// with the code the broker posts to a real SMS webhook receiver on loopback; amazon-cognito-identity-js's totpRequired and
// sendMFACode after its own SRP sign-in.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, test } from 'node:test';
import * as OTPAuth from 'otpauth';
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from 'amazon-cognito-identity-js';
import {
  AdminCreateUserCommand, AdminGetUserCommand, AdminSetUserMFAPreferenceCommand, AdminSetUserPasswordCommand,
  AssociateSoftwareTokenCommand, CreateUserPoolClientCommand, CreateUserPoolCommand, DescribeUserPoolCommand,
  GetUserPoolMfaConfigCommand, InitiateAuthCommand, RespondToAuthChallengeCommand, SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand, VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { useBroker, uniqueName } from '../lib/fixtures.js';
import { expectAwsError, userPools } from '../lib/clients.js';

const password = 'Correct-horse-1';

/** The code of the step `stepsAhead` from now (the broker accepts ±1 step and each step once). */
const totpCode = (secret, stepsAhead = 0) => new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 })
  .generate({ timestamp: Date.now() + stepsAhead * 30_000 });

async function pool(client, mode, { totp = false, sms = false } = {}) {
  const { UserPool } = await client.send(new CreateUserPoolCommand({ PoolName: uniqueName('mfa') }));
  await client.send(new SetUserPoolMfaConfigCommand({
    UserPoolId: UserPool.Id, MfaConfiguration: mode, SoftwareTokenMfaConfiguration: { Enabled: totp },
    ...(sms ? { SmsMfaConfiguration: { SmsAuthenticationMessage: 'Code: {####}' } } : {}),
  }));
  const { UserPoolClient } = await client.send(new CreateUserPoolClientCommand({
    UserPoolId: UserPool.Id, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  }));
  return { UserPoolId: UserPool.Id, ClientId: UserPoolClient.ClientId };
}

async function user(client, { UserPoolId }, attributes = []) {
  const Username = uniqueName('u');
  await client.send(new AdminCreateUserCommand({ UserPoolId, Username, MessageAction: 'SUPPRESS', UserAttributes: attributes }));
  await client.send(new AdminSetUserPasswordCommand({ UserPoolId, Username, Password: password, Permanent: true }));
  return Username;
}

const signIn = (client, { ClientId }, Username) => client.send(new InitiateAuthCommand({
  ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: Username, PASSWORD: password },
}));

const respond = (client, { ClientId }, ChallengeName, Session, Username, answers = {}) => client.send(new RespondToAuthChallengeCommand({
  ClientId, ChallengeName, Session, ChallengeResponses: { USERNAME: Username, ...answers },
}));

/** The SMS webhook the broker posts to ({userPoolId, username, destination, purpose, message}); the latest per user. */
const sms = new Map();
const webhook = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', () => {
    const message = JSON.parse(body);
    sms.set(message.username, message);
    res.writeHead(204).end();
  });
});
await new Promise((resolve) => webhook.listen(0, '127.0.0.1', resolve));
after(() => new Promise((resolve) => webhook.close(resolve)));
const ctx = useBroker({ env: { Broker__Sms__WebhookUrl: `http://127.0.0.1:${webhook.address().port}/sms` } });

test('the pool MFA configuration round-trips, DescribeUserPool agrees, and Cognito refuses ON without a factor', async () => {
  const client = userPools(ctx.broker);
  const { UserPoolId } = await pool(client, 'OPTIONAL', { totp: true });
  const got = await client.send(new GetUserPoolMfaConfigCommand({ UserPoolId }));
  assert.equal(got.MfaConfiguration, 'OPTIONAL');
  assert.equal(got.SoftwareTokenMfaConfiguration.Enabled, true);
  assert.equal((await client.send(new DescribeUserPoolCommand({ UserPoolId }))).UserPool.MfaConfiguration, 'OPTIONAL');
  await expectAwsError(client.send(new SetUserPoolMfaConfigCommand({ UserPoolId, MfaConfiguration: 'ON' })),
    { name: 'InvalidParameterException', message: /can't disable all MFAs/ });
});

test('a software token associated and verified with otpauth codes makes sign-in answer SOFTWARE_TOKEN_MFA, then tokens', async () => {
  const client = userPools(ctx.broker);
  const p = await pool(client, 'OPTIONAL', { totp: true });
  const name = await user(client, p);
  const { AuthenticationResult: first } = await signIn(client, p, name);

  const { SecretCode } = await client.send(new AssociateSoftwareTokenCommand({ AccessToken: first.AccessToken }));
  await expectAwsError(client.send(new VerifySoftwareTokenCommand({ AccessToken: first.AccessToken, UserCode: '000000' === totpCode(SecretCode) ? '000001' : '000000' })),
    { name: 'EnableSoftwareTokenMFAException', message: 'Code mismatch and fail enable Software Token MFA' });
  const verified = await client.send(new VerifySoftwareTokenCommand({ AccessToken: first.AccessToken, UserCode: totpCode(SecretCode), FriendlyDeviceName: 'phone' }));
  assert.equal(verified.Status, 'SUCCESS');
  await client.send(new SetUserMFAPreferenceCommand({ AccessToken: first.AccessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
  const shown = await client.send(new AdminGetUserCommand({ UserPoolId: p.UserPoolId, Username: name }));
  assert.equal(shown.PreferredMfaSetting, 'SOFTWARE_TOKEN_MFA');
  assert.deepEqual(shown.UserMFASettingList, ['SOFTWARE_TOKEN_MFA']);

  const challenge = await signIn(client, p, name);
  assert.equal(challenge.ChallengeName, 'SOFTWARE_TOKEN_MFA');
  const good = totpCode(SecretCode, 1);
  await expectAwsError(respond(client, p, 'SOFTWARE_TOKEN_MFA', challenge.Session, name, { SOFTWARE_TOKEN_MFA_CODE: good === '000000' ? '000001' : '000000' }),
    { name: 'CodeMismatchException', message: 'Invalid code or auth state for the user.' });
  const retry = await signIn(client, p, name);
  const done = await respond(client, p, 'SOFTWARE_TOKEN_MFA', retry.Session, name, { SOFTWARE_TOKEN_MFA_CODE: good });
  assert.ok(done.AuthenticationResult.IdToken);
});

test('MFA ON: a user without a factor sets up a software token through MFA_SETUP with the Session', async () => {
  const client = userPools(ctx.broker);
  const p = await pool(client, 'ON', { totp: true });
  const name = await user(client, p);

  const setup = await signIn(client, p, name);
  assert.equal(setup.ChallengeName, 'MFA_SETUP');
  assert.deepEqual(JSON.parse(setup.ChallengeParameters.MFAS_CAN_SETUP), ['SOFTWARE_TOKEN_MFA']);
  const associated = await client.send(new AssociateSoftwareTokenCommand({ Session: setup.Session }));
  const verified = await client.send(new VerifySoftwareTokenCommand({ Session: associated.Session, UserCode: totpCode(associated.SecretCode) }));
  assert.equal(verified.Status, 'SUCCESS');
  const done = await respond(client, p, 'MFA_SETUP', verified.Session, name);
  assert.ok(done.AuthenticationResult.AccessToken);

  await expectAwsError(respond(client, p, 'MFA_SETUP', verified.Session, name), { name: 'NotAuthorizedException' });
  assert.equal((await signIn(client, p, name)).ChallengeName, 'SOFTWARE_TOKEN_MFA');
});

test('SMS_MFA sends the code to the phone (read from the SMS webhook) and a wrong code is CodeMismatchException', async () => {
  const client = userPools(ctx.broker);
  const p = await pool(client, 'OPTIONAL', { sms: true });
  const name = await user(client, p, [{ Name: 'phone_number', Value: '+15555550142' }]);
  await client.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: p.UserPoolId, Username: name, SMSMfaSettings: { Enabled: true, PreferredMfa: true } }));

  const wrong = await signIn(client, p, name);
  assert.equal(wrong.ChallengeName, 'SMS_MFA');
  assert.equal(wrong.ChallengeParameters.CODE_DELIVERY_DELIVERY_MEDIUM, 'SMS');
  assert.equal(wrong.ChallengeParameters.CODE_DELIVERY_DESTINATION, '+*******0142');
  assert.equal(sms.get(name).destination, '+15555550142');
  const code = sms.get(name).message.replace('Code: ', '');
  await expectAwsError(respond(client, p, 'SMS_MFA', wrong.Session, name, { SMS_MFA_CODE: code === '000000' ? '000001' : '000000' }),
    { name: 'CodeMismatchException', message: 'Invalid code or auth state for the user.' });

  const challenge = await signIn(client, p, name);
  const done = await respond(client, p, 'SMS_MFA', challenge.Session, name, { SMS_MFA_CODE: sms.get(name).message.replace('Code: ', '') });
  assert.ok(done.AuthenticationResult.IdToken);
});

test('amazon-cognito-identity-js: SRP sign-in calls totpRequired and sendMFACode completes it with an otpauth code', async () => {
  const client = userPools(ctx.broker);
  const p = await pool(client, 'OPTIONAL', { totp: true });
  const name = await user(client, p);
  const { AuthenticationResult: first } = await signIn(client, p, name);
  const { SecretCode } = await client.send(new AssociateSoftwareTokenCommand({ AccessToken: first.AccessToken }));
  await client.send(new VerifySoftwareTokenCommand({ AccessToken: first.AccessToken, UserCode: totpCode(SecretCode) }));
  await client.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: p.UserPoolId, Username: name, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
  // No ExplicitAuthFlows: Cognito's default set, with SRP, which amazon-cognito-identity-js uses.
  const { UserPoolClient } = await client.send(new CreateUserPoolClientCommand({ UserPoolId: p.UserPoolId, ClientName: 'spa' }));

  const cognitoUser = new CognitoUser({ Username: name, Pool: new CognitoUserPool({ UserPoolId: p.UserPoolId, ClientId: UserPoolClient.ClientId, endpoint: ctx.broker.url }) });
  const outcome = await new Promise((resolve) => {
    cognitoUser.authenticateUser(new AuthenticationDetails({ Username: name, Password: password }), {
      onSuccess: () => resolve({ ok: false, err: new Error('signed in without MFA') }),
      onFailure: (err) => resolve({ ok: false, err }),
      totpRequired: (challengeName) => {
        assert.equal(challengeName, 'SOFTWARE_TOKEN_MFA');
        cognitoUser.sendMFACode(totpCode(SecretCode, 1), {
          onSuccess: (session) => resolve({ ok: true, session }),
          onFailure: (err) => resolve({ ok: false, err }),
        }, 'SOFTWARE_TOKEN_MFA');
      },
    });
  });
  assert.ok(outcome.ok, outcome.err?.message);
  assert.equal(outcome.session.getIdToken().payload['cognito:username'], name);
});
