// Developer-authenticated identities and linking/merging/unlinking, driven through the AWS SDK for JavaScript v3
// exactly as an app backend and an app would: the backend signs GetOpenIdTokenForDeveloperIdentity and the other
// developer APIs with admin keys; the app calls GetCredentialsForIdentity unsigned with
// Logins {"cognito-identity.amazonaws.com": token} (what fromCognitoIdentity does) and uses the credentials with STS.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CreateIdentityPoolCommand, DescribeIdentityCommand, GetCredentialsForIdentityCommand, GetIdCommand,
  GetOpenIdTokenCommand, GetOpenIdTokenForDeveloperIdentityCommand, ListIdentitiesCommand, LookupDeveloperIdentityCommand,
  MergeDeveloperIdentitiesCommand, SetIdentityPoolRolesCommand, UnlinkDeveloperIdentityCommand, UnlinkIdentityCommand,
} from '@aws-sdk/client-cognito-identity';
import { fromCognitoIdentity } from '@aws-sdk/credential-providers';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { anonymousCognito, expectAwsError, fromCognitoCredentials, sts } from '../lib/clients.js';
import { cognitoTrust, createRole, registerIdp, uniqueName, useBroker } from '../lib/fixtures.js';

const DEV = 'login.compat.app';
const COGNITO_KEY = 'cognito-identity.amazonaws.com';

let poolId;
let authRole;
let app;
const ctx = useBroker({ withIdp: true }, async () => {
  const providerArn = await registerIdp(ctx.iam, ctx.idp);
  const pool = await ctx.cognito.send(new CreateIdentityPoolCommand({
    IdentityPoolName: uniqueName('dev'),
    AllowUnauthenticatedIdentities: true,
    DeveloperProviderName: DEV,
    OpenIdConnectProviderARNs: [providerArn],
  }));
  poolId = pool.IdentityPoolId;
  authRole = await createRole(ctx.iam, uniqueName('DevAuth'), cognitoTrust(poolId, 'authenticated'));
  const unauthRole = await createRole(ctx.iam, uniqueName('DevUnauth'), cognitoTrust(poolId, 'unauthenticated'));
  await ctx.cognito.send(new SetIdentityPoolRolesCommand({
    IdentityPoolId: poolId, Roles: { authenticated: authRole.Arn, unauthenticated: unauthRole.Arn },
  }));
  app = anonymousCognito(ctx.broker);
});

const idpLogin = async (sub) => ({ [ctx.idp.providerKey]: await ctx.idp.mint({ sub }) });
const developerToken = (user, extra = {}) => ctx.cognito.send(new GetOpenIdTokenForDeveloperIdentityCommand({
  IdentityPoolId: poolId, ...extra, Logins: { [DEV]: user, ...(extra.Logins ?? {}) },
}));
const getId = async (Logins) => (await app.send(new GetIdCommand({ IdentityPoolId: poolId, Logins }))).IdentityId;
const guest = () => getId(undefined);
const describe = (IdentityId) => ctx.cognito.send(new DescribeIdentityCommand({ IdentityId }));
const forbidden = (IdentityId) => ({ name: 'NotAuthorizedException', status: 400, message: `Access to Identity '${IdentityId}' is forbidden.` });

test('the backend gets a developer token; the app turns it into credentials with fromCognitoIdentity; STS knows the role', async () => {
  const { IdentityId, Token } = await developerToken('dev-alice', { TokenDuration: 1200 });
  assert.match(IdentityId, /^us-east-1:[0-9a-f-]{36}$/);
  const [, payload] = Token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  assert.equal(claims.sub, IdentityId);
  assert.equal(claims.aud, poolId);
  assert.equal(claims.exp - claims.iat, 1200);
  assert.deepEqual(claims.amr, ['authenticated', DEV, `${DEV}:${poolId}:dev-alice`]);

  const credentials = fromCognitoIdentity({ client: app, identityId: IdentityId, logins: { [COGNITO_KEY]: Token } });
  const who = await sts(ctx.broker, credentials).send(new GetCallerIdentityCommand({}));
  assert.match(who.Arn, new RegExp(`:assumed-role/${authRole.RoleName}/CognitoIdentityCredentials$`));

  assert.equal((await developerToken('dev-alice')).IdentityId, IdentityId, 'the same developer user keeps its identity');
  assert.deepEqual((await describe(IdentityId)).Logins, [DEV], 'the cognito key is never linked as a login');
});

test('a developer token only opens its own identity; anything else under the cognito key is not a Cognito token', async () => {
  const victim = (await developerToken('dev-victim')).IdentityId;
  const { Token } = await developerToken('dev-intruder');
  await expectAwsError(app.send(new GetCredentialsForIdentityCommand({ IdentityId: victim, Logins: { [COGNITO_KEY]: Token } })), forbidden(victim));
  await expectAwsError(app.send(new GetCredentialsForIdentityCommand({ IdentityId: victim, Logins: { [COGNITO_KEY]: await ctx.idp.mint({ sub: 'x' }) } })),
    { name: 'NotAuthorizedException', status: 400, message: 'Invalid login token. Not a Cognito token.' });
  // A guest's broker token has another audience: it is not accepted as a developer token either.
  const guestId = await guest();
  const { Token: guestToken } = await app.send(new GetOpenIdTokenCommand({ IdentityId: guestId }));
  await expectAwsError(app.send(new GetCredentialsForIdentityCommand({ IdentityId: guestId, Logins: { [COGNITO_KEY]: guestToken } })),
    { name: 'NotAuthorizedException', message: 'Invalid login token. Not a Cognito token.' });
});

test('the developer provider name cannot be used in the public GetId', async () => {
  await expectAwsError(app.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { [DEV]: 'dev-alice' } })),
    { name: 'NotAuthorizedException', status: 400, message: 'Token is not from a supported provider of this identity pool.' });
});

test('TokenDuration is 1..86400 and a token from GetOpenIdTokenForDeveloperIdentity defaults to 900 s', async () => {
  const { Token } = await developerToken('dev-duration');
  const claims = JSON.parse(Buffer.from(Token.split('.')[1], 'base64url').toString('utf8'));
  assert.equal(claims.exp - claims.iat, 900);
  await expectAwsError(developerToken('dev-duration', { TokenDuration: 86401 }), { name: 'ValidationException', status: 400 });
  await expectAwsError(developerToken('dev-duration', { TokenDuration: 0 }), { name: 'ValidationException', status: 400 });
});

test('LookupDeveloperIdentity finds the identity of a user and the users of an identity; a mismatch is a conflict', async () => {
  const { IdentityId } = await developerToken('dev-lookup');
  const other = (await developerToken('dev-lookup-2')).IdentityId;
  const byUser = await ctx.cognito.send(new LookupDeveloperIdentityCommand({ IdentityPoolId: poolId, DeveloperUserIdentifier: 'dev-lookup' }));
  assert.equal(byUser.IdentityId, IdentityId);
  const byId = await ctx.cognito.send(new LookupDeveloperIdentityCommand({ IdentityPoolId: poolId, IdentityId, MaxResults: 5 }));
  assert.deepEqual(byId.DeveloperUserIdentifierList, ['dev-lookup']);
  const both = await ctx.cognito.send(new LookupDeveloperIdentityCommand({ IdentityPoolId: poolId, IdentityId, DeveloperUserIdentifier: 'dev-lookup' }));
  assert.equal(both.IdentityId, IdentityId);
  await expectAwsError(ctx.cognito.send(new LookupDeveloperIdentityCommand({ IdentityPoolId: poolId, IdentityId: other, DeveloperUserIdentifier: 'dev-lookup' })),
    { name: 'ResourceConflictException', status: 400 });
});

test('MergeDeveloperIdentities puts the source user on the destination identity, pages its users, and disables the source identity', async () => {
  const destination = (await developerToken('dev-dest')).IdentityId;
  const source = (await developerToken('dev-src')).IdentityId;
  const merged = await ctx.cognito.send(new MergeDeveloperIdentitiesCommand({
    IdentityPoolId: poolId, DeveloperProviderName: DEV, SourceUserIdentifier: 'dev-src', DestinationUserIdentifier: 'dev-dest',
  }));
  assert.equal(merged.IdentityId, destination);
  assert.equal((await developerToken('dev-src')).IdentityId, destination);
  const first = await ctx.cognito.send(new LookupDeveloperIdentityCommand({ IdentityPoolId: poolId, IdentityId: destination, MaxResults: 1 }));
  assert.equal(first.DeveloperUserIdentifierList.length, 1);
  assert.ok(first.NextToken, 'a second page exists');
  const second = await ctx.cognito.send(new LookupDeveloperIdentityCommand({ IdentityPoolId: poolId, IdentityId: destination, MaxResults: 1, NextToken: first.NextToken }));
  assert.deepEqual([...first.DeveloperUserIdentifierList, ...second.DeveloperUserIdentifierList].sort(), ['dev-dest', 'dev-src']);
  assert.equal(second.NextToken, undefined);
  await expectAwsError(app.send(new GetOpenIdTokenCommand({ IdentityId: source })), forbidden(source));
});

test('a developer user already on another identity cannot be linked: DeveloperUserAlreadyRegisteredException', async () => {
  const a = (await developerToken('dev-owner-a')).IdentityId;
  await developerToken('dev-owner-b');
  await expectAwsError(developerToken('dev-owner-b', { IdentityId: a }), { name: 'DeveloperUserAlreadyRegisteredException', status: 400 });
});

test('linking a public login from the backend; a second user of that provider on the identity is a conflict', async () => {
  const { IdentityId } = await developerToken('dev-linker', { Logins: await idpLogin('linked-alice') });
  assert.deepEqual((await describe(IdentityId)).Logins.sort(), [ctx.idp.providerKey, DEV].sort());
  // The public login now works in the public flow and leads to the same identity.
  assert.equal(await getId(await idpLogin('linked-alice')), IdentityId);
  await expectAwsError(developerToken('dev-linker', { Logins: await idpLogin('linked-bob') }), { name: 'ResourceConflictException', status: 400 });
  // Linking from the backend to an authenticated identity needs one of its logins.
  const stranger = (await developerToken('dev-stranger')).IdentityId;
  await expectAwsError(ctx.cognito.send(new GetOpenIdTokenForDeveloperIdentityCommand({
    IdentityPoolId: poolId, IdentityId: stranger, Logins: { [DEV]: 'dev-newcomer' },
  })), { name: 'NotAuthorizedException', status: 400, message: /^Logins don't match/ });
});

test('a guest presenting a login keeps its id and becomes authenticated', async () => {
  const guestId = await guest();
  const out = await app.send(new GetCredentialsForIdentityCommand({ IdentityId: guestId, Logins: await idpLogin('from-guest') }));
  assert.equal(out.IdentityId, guestId);
  assert.deepEqual((await describe(guestId)).Logins, [ctx.idp.providerKey]);
  await expectAwsError(app.send(new GetCredentialsForIdentityCommand({ IdentityId: guestId })), forbidden(guestId));
  const who = await sts(ctx.broker, fromCognitoCredentials(out.Credentials)).send(new GetCallerIdentityCommand({}));
  assert.match(who.Arn, new RegExp(`:assumed-role/${authRole.RoleName}/`));
});

test('a login linked to another identity merges: its owner is returned, the other identity is disabled', async () => {
  const owner = await getId(await idpLogin('merge-owner'));
  const guestId = await guest();
  const out = await app.send(new GetOpenIdTokenCommand({ IdentityId: guestId, Logins: await idpLogin('merge-owner') }));
  assert.equal(out.IdentityId, owner, 'the identity owning the login is the owner');
  await expectAwsError(app.send(new GetOpenIdTokenCommand({ IdentityId: guestId })), forbidden(guestId));
  const visible = await ctx.cognito.send(new ListIdentitiesCommand({ IdentityPoolId: poolId, MaxResults: 60, HideDisabled: true }));
  assert.ok(!visible.Identities.some((i) => i.IdentityId === guestId), 'the merged identity is hidden with HideDisabled');
});

test('GetId with logins of two identities merges them into the older, which keeps every login', async () => {
  const { IdentityId: older, Token } = await developerToken('dev-merge-old');
  const younger = await getId(await idpLogin('merge-younger'));
  const merged = await getId({ [COGNITO_KEY]: Token, ...(await idpLogin('merge-younger')) });
  assert.equal(merged, older);
  assert.deepEqual((await describe(older)).Logins.sort(), [ctx.idp.providerKey, DEV].sort());
  assert.equal(await getId(await idpLogin('merge-younger')), older);
  await expectAwsError(app.send(new GetCredentialsForIdentityCommand({ IdentityId: younger, Logins: await idpLogin('merge-younger') })),
    forbidden(younger));
});

test('UnlinkIdentity needs a current login; the unlinked login makes a new identity; the last login leaves the identity unusable', async () => {
  const { IdentityId } = await developerToken('dev-unlink', { Logins: await idpLogin('unlink-carol') });
  await expectAwsError(app.send(new UnlinkIdentityCommand({ IdentityId, Logins: await idpLogin('someone-else'), LoginsToRemove: [ctx.idp.providerKey] })),
    { name: 'NotAuthorizedException', status: 400 });
  await app.send(new UnlinkIdentityCommand({ IdentityId, Logins: await idpLogin('unlink-carol'), LoginsToRemove: [ctx.idp.providerKey] }));
  assert.deepEqual((await describe(IdentityId)).Logins, [DEV]);
  const fresh = await getId(await idpLogin('unlink-carol'));
  assert.notEqual(fresh, IdentityId);

  await app.send(new UnlinkIdentityCommand({ IdentityId: fresh, Logins: await idpLogin('unlink-carol'), LoginsToRemove: [ctx.idp.providerKey] }));
  await expectAwsError(app.send(new GetOpenIdTokenCommand({ IdentityId: fresh })), forbidden(fresh));
});

test('UnlinkDeveloperIdentity frees the developer user: next time it is a new identity', async () => {
  const { IdentityId } = await developerToken('dev-leaver');
  await ctx.cognito.send(new UnlinkDeveloperIdentityCommand({
    IdentityPoolId: poolId, IdentityId, DeveloperProviderName: DEV, DeveloperUserIdentifier: 'dev-leaver',
  }));
  await expectAwsError(ctx.cognito.send(new LookupDeveloperIdentityCommand({ IdentityPoolId: poolId, DeveloperUserIdentifier: 'dev-leaver' })),
    { name: 'ResourceNotFoundException', status: 400 });
  assert.notEqual((await developerToken('dev-leaver')).IdentityId, IdentityId);
});
