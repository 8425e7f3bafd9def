// The whole Amplify Auth stack against the broker alone: aws-amplify v6 in Node with userPoolEndpoint and
// identityPoolEndpoint pointing at the broker, a real SMTP server on loopback receiving the broker's mail (sign-up code,
// invitation), the admin set-up over the AWS SDK (signed with the admin key), SRP sign-in and NEW_PASSWORD_REQUIRED,
// identity-pool credentials from fetchAuthSession checked with STS GetCallerIdentity, aws-jwt-verify on the tokens, and
// signOut({ global: true }) revoking the session.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Amplify } from 'aws-amplify';
import {
  confirmSignIn, confirmSignUp, fetchAuthSession, getCurrentUser, setUpTOTP, signIn, signOut, signUp, updateMFAPreference, verifyTOTPSetup,
} from 'aws-amplify/auth';
import * as OTPAuth from 'otpauth';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import { ConsoleLogger } from 'aws-amplify/utils';
import { cognitoCredentialsProvider, cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import {
  AdminAddUserToGroupCommand, AdminCreateUserCommand, AdminGetUserCommand, CreateGroupCommand, CreateUserPoolClientCommand,
  CreateUserPoolCommand, GlobalSignOutCommand, InitiateAuthCommand, SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  CreateIdentityPoolCommand, GetCredentialsForIdentityCommand, SetIdentityPoolRolesCommand,
} from '@aws-sdk/client-cognito-identity';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { startBroker } from '../lib/broker.js';
import { anonymousCognito, cognito, expectAwsError, iam, sts, userPools } from '../lib/clients.js';
import { cognitoTrust, createRole, uniqueName } from '../lib/fixtures.js';
import { MemoryStorage, codeIn, startMailSink } from '../lib/amplify-harness.js';

// Amplify warns on every configure that the endpoints are custom: that is the point here.
ConsoleLogger.LOG_LEVEL = 'ERROR';

const ctx = {};
const storage = new MemoryStorage();

before(async () => {
  ctx.mail = await startMailSink();
  ctx.broker = await startBroker({
    env: {
      Broker__Mail__Smtp__Host: '127.0.0.1',
      Broker__Mail__Smtp__Port: String(ctx.mail.port),
      Broker__Mail__Smtp__From: 'no-reply@broker.test',
      Broker__Mail__Smtp__UseTls: 'false',
    },
  });
  const idp = userPools(ctx.broker);
  const pool = await idp.send(new CreateUserPoolCommand({
    PoolName: uniqueName('amplify'),
    AutoVerifiedAttributes: ['email'],
    UsernameAttributes: ['email'],
  }));
  ctx.userPoolId = pool.UserPool.Id;
  const client = await idp.send(new CreateUserPoolClientCommand({
    UserPoolId: ctx.userPoolId,
    ClientName: 'amplify-web',
    ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  }));
  ctx.clientId = client.UserPoolClient.ClientId;

  const discovery = await (await fetch(`${ctx.broker.url}/${ctx.userPoolId}/.well-known/openid-configuration`)).json();
  ctx.issuer = discovery.issuer;
  ctx.providerName = ctx.issuer.replace(/^https?:\/\//, '');

  const identity = cognito(ctx.broker);
  const idPool = await identity.send(new CreateIdentityPoolCommand({
    IdentityPoolName: uniqueName('amplify'),
    AllowUnauthenticatedIdentities: false,
    CognitoIdentityProviders: [{ ProviderName: ctx.providerName, ClientId: ctx.clientId, ServerSideTokenCheck: true }],
  }));
  ctx.identityPoolId = idPool.IdentityPoolId;
  const trust = cognitoTrust(ctx.identityPoolId, 'authenticated');
  const iamClient = iam(ctx.broker);
  ctx.defaultRole = await createRole(iamClient, uniqueName('AmplifyDefault'), trust);
  ctx.adminRole = await createRole(iamClient, uniqueName('AmplifyAdmins'), trust);
  ctx.readerRole = await createRole(iamClient, uniqueName('AmplifyReaders'), trust);
  // Token mapping: the role comes from the ID token's cognito:preferred_role (the lowest-Precedence group with a role).
  await identity.send(new SetIdentityPoolRolesCommand({
    IdentityPoolId: ctx.identityPoolId,
    Roles: { authenticated: ctx.defaultRole.Arn },
    RoleMappings: { [`${ctx.providerName}:${ctx.clientId}`]: { Type: 'Token', AmbiguousRoleResolution: 'Deny' } },
  }));
  // Readers is created first and with the higher Precedence: the role must come from precedence, not order.
  await idp.send(new CreateGroupCommand({ UserPoolId: ctx.userPoolId, GroupName: 'readers', RoleArn: ctx.readerRole.Arn, Precedence: 5 }));
  await idp.send(new CreateGroupCommand({ UserPoolId: ctx.userPoolId, GroupName: 'admins', RoleArn: ctx.adminRole.Arn, Precedence: 1 }));

  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId: ctx.userPoolId,
        userPoolClientId: ctx.clientId,
        identityPoolId: ctx.identityPoolId,
        userPoolEndpoint: ctx.broker.url,
        identityPoolEndpoint: ctx.broker.url,
        allowGuestAccess: false,
      },
    },
  });
  // After configure: Amplify.configure installs its default storage (localStorage or a shared in-memory one).
  cognitoUserPoolsTokenProvider.setKeyValueStorage(storage);
});

after(async () => {
  await ctx.broker?.stop();
  await ctx.mail?.stop();
});

/** An AdminCreateUser user (email as username) in both groups; its temporary password is read from the mail it was sent. */
async function invitedUser(prefix) {
  const email = `${uniqueName(prefix)}@example.com`.toLowerCase();
  const idp = userPools(ctx.broker);
  const since = ctx.mail.messages.length;
  const created = await idp.send(new AdminCreateUserCommand({
    UserPoolId: ctx.userPoolId,
    Username: email,
    UserAttributes: [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }],
    DesiredDeliveryMediums: ['EMAIL'],
  }));
  const invitation = await ctx.mail.nextMail(email, since);
  for (const group of ['readers', 'admins']) {
    await idp.send(new AdminAddUserToGroupCommand({ UserPoolId: ctx.userPoolId, Username: email, GroupName: group }));
  }
  const sub = created.User.Attributes.find((a) => a.Name === 'sub').Value;
  return { email, username: created.User.Username, sub, temporaryPassword: codeIn(invitation), invitation };
}

const roleName = (arn) => arn.split('/').pop();

test('AdminCreateUser sends the invitation with the temporary password over SMTP to the loopback server', async () => {
  const user = await invitedUser('invited');
  assert.equal(user.invitation.subject, 'Your temporary password');
  assert.match(user.invitation.body, new RegExp(`^Your username is ${user.email.replace(/[.+]/g, '\\$&')} and temporary password is `));
  assert.ok(user.temporaryPassword.length >= 8, 'a temporary password of the pool policy length');
  const got = await userPools(ctx.broker).send(new AdminGetUserCommand({ UserPoolId: ctx.userPoolId, Username: user.email }));
  assert.equal(got.UserStatus, 'FORCE_CHANGE_PASSWORD');
});

const PASSWORD = 'Amplify-Passw0rd!';

/** Signs out locally (no server call needed between tests) so that the next test starts with no session. */
async function freshStart() {
  await storage.clear();
  await cognitoCredentialsProvider.clearCredentialsAndIdentityId();
}

async function addToGroups(username) {
  const idp = userPools(ctx.broker);
  for (const group of ['readers', 'admins']) {
    await idp.send(new AdminAddUserToGroupCommand({ UserPoolId: ctx.userPoolId, Username: username, GroupName: group }));
  }
}

async function callerRole(credentials) {
  const caller = await sts(ctx.broker, credentials).send(new GetCallerIdentityCommand({}));
  return caller.Arn.split('/')[1];
}

test('signUp, then confirmSignUp with the code from the SMTP server; signIn (SRP) gives the group role through fetchAuthSession', async () => {
  await freshStart();
  const email = `${uniqueName('signup')}@example.com`.toLowerCase();
  const since = ctx.mail.messages.length;
  const up = await signUp({ username: email, password: PASSWORD, options: { userAttributes: { email } } });
  assert.equal(up.isSignUpComplete, false);
  assert.equal(up.nextStep.signUpStep, 'CONFIRM_SIGN_UP');
  assert.equal(up.nextStep.codeDeliveryDetails.deliveryMedium, 'EMAIL');
  const mail = await ctx.mail.nextMail(email, since);
  assert.equal(mail.subject, 'Your verification code');
  const confirmed = await confirmSignUp({ username: email, confirmationCode: codeIn(mail) });
  assert.equal(confirmed.isSignUpComplete, true);
  await addToGroups(email);

  const result = await signIn({ username: email, password: PASSWORD });
  assert.deepEqual(result, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  const session = await fetchAuthSession();
  assert.equal(session.tokens.idToken.payload.email, email);
  assert.equal(await callerRole(session.credentials), roleName(ctx.adminRole.Arn));
});

test('signIn with the temporary password of AdminCreateUser asks for a new one; confirmSignIn sets it and signs in', async () => {
  await freshStart();
  const user = await invitedUser('newpass');
  const first = await signIn({ username: user.email, password: user.temporaryPassword });
  assert.equal(first.isSignedIn, false);
  assert.equal(first.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED');
  const done = await confirmSignIn({ challengeResponse: PASSWORD });
  assert.deepEqual(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  const got = await userPools(ctx.broker).send(new AdminGetUserCommand({ UserPoolId: ctx.userPoolId, Username: user.email }));
  assert.equal(got.UserStatus, 'CONFIRMED');
  const session = await fetchAuthSession();
  assert.equal(await callerRole(session.credentials), roleName(ctx.adminRole.Arn));
});

test('aws-jwt-verify accepts the ID and access tokens of a real SRP sign-in', async () => {
  await freshStart();
  const user = await invitedUser('jwt');
  await signIn({ username: user.email, password: user.temporaryPassword });
  await confirmSignIn({ challengeResponse: PASSWORD });
  const { tokens } = await fetchAuthSession();
  const jwks = await (await fetch(`${ctx.issuer}/.well-known/jwks.json`)).json();
  const idVerifier = JwtRsaVerifier.create({ issuer: ctx.issuer, audience: ctx.clientId, tokenUse: 'id', jwksUri: `${ctx.issuer}/.well-known/jwks.json` });
  idVerifier.cacheJwks(jwks);
  const id = await idVerifier.verify(tokens.idToken.toString());
  assert.equal(id.email, user.email);
  assert.deepEqual(id['cognito:groups'], ['readers', 'admins']);
  const accessVerifier = JwtRsaVerifier.create({ issuer: ctx.issuer, audience: null, tokenUse: 'access', jwksUri: `${ctx.issuer}/.well-known/jwks.json` });
  accessVerifier.cacheJwks(jwks);
  const access = await accessVerifier.verify(tokens.accessToken.toString());
  assert.equal(access.client_id, ctx.clientId);
  assert.equal(access.sub, user.sub);
});

test('signOut({ global: true }) revokes: the old refresh token, access token and ID token are refused afterwards', async () => {
  await freshStart();
  const user = await invitedUser('refresh');
  await signIn({ username: user.email, password: user.temporaryPassword });
  await confirmSignIn({ challengeResponse: PASSWORD });
  const prefix = `CognitoIdentityServiceProvider.${ctx.clientId}`;
  const username = await storage.getItem(`${prefix}.LastAuthUser`);
  const refreshToken = await storage.getItem(`${prefix}.${username}.refreshToken`);
  const accessToken = await storage.getItem(`${prefix}.${username}.accessToken`);
  const idToken = await storage.getItem(`${prefix}.${username}.idToken`);
  const session = await fetchAuthSession();
  const idp = userPools(ctx.broker);
  const refreshed = await idp.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: ctx.clientId, AuthParameters: { REFRESH_TOKEN: refreshToken } }));
  assert.ok(refreshed.AuthenticationResult.AccessToken);
  await signOut({ global: true });
  assert.equal(storage.keys().filter((k) => k.includes(`.${username}.`)).length, 0, 'Amplify cleared its tokens');
  await expectAwsError(idp.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: ctx.clientId, AuthParameters: { REFRESH_TOKEN: refreshToken } })),
    { name: 'NotAuthorizedException' });
  await expectAwsError(idp.send(new GlobalSignOutCommand({ AccessToken: accessToken })),
    { name: 'NotAuthorizedException', message: 'Access Token has been revoked' });
  // ServerSideTokenCheck is on: the identity pool refuses the signed-out session's ID token.
  await expectAwsError(anonymousCognito(ctx.broker).send(new GetCredentialsForIdentityCommand({
    IdentityId: session.identityId,
    Logins: { [ctx.providerName]: idToken },
  })), { name: 'NotAuthorizedException', message: 'Invalid login token. Token has been revoked.' });
});

test('TOTP: setUpTOTP and verifyTOTPSetup with an otpauth code, then signIn asks for the code and confirmSignIn takes it', async () => {
  await freshStart();
  await userPools(ctx.broker).send(new SetUserPoolMfaConfigCommand({
    UserPoolId: ctx.userPoolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true },
  }));
  const user = await invitedUser('totp');
  await signIn({ username: user.email, password: user.temporaryPassword });
  await confirmSignIn({ challengeResponse: PASSWORD });
  const setup = await setUpTOTP();
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(setup.sharedSecret), digits: 6, period: 30, algorithm: 'SHA1' });
  await verifyTOTPSetup({ code: totp.generate() });
  await updateMFAPreference({ totp: 'PREFERRED' });
  await signOut();
  await freshStart();
  const challenged = await signIn({ username: user.email, password: PASSWORD });
  assert.equal(challenged.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_TOTP_CODE');
  // The set-up code may not be used twice: answer with the next period's code (accepted within the allowed drift).
  const done = await confirmSignIn({ challengeResponse: totp.generate({ timestamp: Date.now() + 30_000 }) });
  assert.deepEqual(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  assert.equal((await getCurrentUser()).signInDetails.loginId, user.email);
});
