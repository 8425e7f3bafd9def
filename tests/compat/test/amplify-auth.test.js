// The whole Amplify Auth stack against the broker alone: aws-amplify v6 in Node with userPoolEndpoint and
// identityPoolEndpoint pointing at the broker, a real SMTP server on loopback receiving the broker's mail, the admin
// set-up over the AWS SDK (signed with the admin key), identity-pool credentials from fetchAuthSession checked with
// STS GetCallerIdentity, and signOut({ global: true }) revoking the session.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Amplify } from 'aws-amplify';
import { fetchAuthSession, signOut } from 'aws-amplify/auth';
import { ConsoleLogger } from 'aws-amplify/utils';
import { cognitoCredentialsProvider, cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import {
  AdminAddUserToGroupCommand, AdminCreateUserCommand, AdminGetUserCommand, CreateGroupCommand, CreateUserPoolClientCommand,
  CreateUserPoolCommand, GlobalSignOutCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  CreateIdentityPoolCommand, GetCredentialsForIdentityCommand, SetIdentityPoolRolesCommand,
} from '@aws-sdk/client-cognito-identity';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { startBroker, ACCOUNT_ID } from '../lib/broker.js';
import { anonymousCognito, cognito, expectAwsError, iam, sts, userPools } from '../lib/clients.js';
import { cognitoTrust, createRole, uniqueName } from '../lib/fixtures.js';
import { MemoryStorage, codeIn, startMailSink } from '../lib/amplify-harness.js';
import { mintTokens } from '../lib/token-mint.js';

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

/**
 * Puts a broker-issued session for the user into Amplify's token storage under the keys Amplify itself writes
 * (`CognitoIdentityServiceProvider.<clientId>.<username>.*`, and LastAuthUser): what Amplify finds when an app
 * restarts with a session kept in storage. The tokens are the broker's own (its issuer and the pool's key).
 */
async function restoreSession(user) {
  await storage.clear();
  // Another user's identity id and credentials are kept by Amplify until a sign-out; start as an app that has none.
  await cognitoCredentialsProvider.clearCredentialsAndIdentityId();
  const tokens = await mintTokens(ctx.broker, {
    userPoolId: ctx.userPoolId,
    clientId: ctx.clientId,
    sub: user.sub,
    username: user.username,
    groups: [
      { name: 'readers', precedence: 5, roleArn: ctx.readerRole.Arn },
      { name: 'admins', precedence: 1, roleArn: ctx.adminRole.Arn },
    ],
  });
  const prefix = `CognitoIdentityServiceProvider.${ctx.clientId}`;
  await storage.setItem(`${prefix}.LastAuthUser`, user.username);
  await storage.setItem(`${prefix}.${user.username}.idToken`, tokens.IdToken);
  await storage.setItem(`${prefix}.${user.username}.accessToken`, tokens.AccessToken);
  await storage.setItem(`${prefix}.${user.username}.refreshToken`, tokens.RefreshToken);
  await storage.setItem(`${prefix}.${user.username}.clockDrift`, '0');
  return tokens;
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

test('fetchAuthSession turns the broker session into identity-pool credentials; STS shows the lowest-Precedence group role', async () => {
  const user = await invitedUser('session');
  const tokens = await restoreSession(user);
  const session = await fetchAuthSession();
  assert.equal(session.tokens.idToken.toString(), tokens.IdToken);
  assert.equal(session.tokens.idToken.payload['cognito:preferred_role'], ctx.adminRole.Arn);
  assert.match(session.identityId, /^us-east-1:[0-9a-f-]{36}$/);
  assert.ok(session.credentials.accessKeyId && session.credentials.secretAccessKey && session.credentials.sessionToken);
  const caller = await sts(ctx.broker, session.credentials).send(new GetCallerIdentityCommand({}));
  assert.equal(caller.Account, ACCOUNT_ID);
  assert.match(caller.Arn, new RegExp(`^arn:aws:sts::${ACCOUNT_ID}:assumed-role/${roleName(ctx.adminRole.Arn)}/`));
});

test('signOut({ global: true }) calls GlobalSignOut: the old access token and the old ID token are refused afterwards', async () => {
  const user = await invitedUser('signout');
  const tokens = await restoreSession(user);
  const session = await fetchAuthSession();
  await signOut({ global: true });
  assert.equal(storage.keys().filter((k) => k.includes(`.${user.username}.`)).length, 0, 'Amplify cleared its tokens');
  await expectAwsError(userPools(ctx.broker).send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken })),
    { name: 'NotAuthorizedException', message: 'Access Token has been revoked' });
  // ServerSideTokenCheck is on: the identity pool refuses the revoked session's ID token.
  await expectAwsError(anonymousCognito(ctx.broker).send(new GetCredentialsForIdentityCommand({
    IdentityId: session.identityId,
    Logins: { [ctx.providerName]: tokens.IdToken },
  })), { name: 'NotAuthorizedException', message: 'Invalid login token. Token has been revoked.' });
});
