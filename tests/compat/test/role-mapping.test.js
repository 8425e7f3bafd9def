// Role mapping through the AWS SDK v3 against the jose OIDC stand-in: Rules mappings choose the role by
// claims (GetCallerIdentity shows the mapped role), Deny resolution, CustomRoleArn, the operator checks,
// Set/GetPrincipalTagAttributeMap and the session tags that reach STS.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  GetCredentialsForIdentityCommand, GetIdCommand, GetOpenIdTokenCommand, GetPrincipalTagAttributeMapCommand,
  SetIdentityPoolRolesCommand, SetPrincipalTagAttributeMapCommand,
} from '@aws-sdk/client-cognito-identity';
import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { base64url } from 'jose';
import { anonymousCognito, expectAwsError, fromCognitoCredentials, sts } from '../lib/clients.js';
import { cognitoTrust, createOidcPool, createRole, uniqueName, useBroker } from '../lib/fixtures.js';

let client;
const ctx = useBroker({ withIdp: true }, async () => { client = anonymousCognito(ctx.broker); });

const withTagSession = (trust) => {
  trust.Statement[0].Action = ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'];
  return trust;
};

const loginsFor = async (sub, claims = {}) => ({ [ctx.idp.providerKey]: await ctx.idp.mint({ sub, claims }) });

async function credentialsFor(poolId, sub, claims, extra = {}) {
  const Logins = await loginsFor(sub, claims);
  const { IdentityId } = await client.send(new GetIdCommand({ IdentityPoolId: poolId, Logins }));
  return client.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins, ...extra }));
}

async function callerRoleName(credentials) {
  const who = await sts(ctx.broker, fromCognitoCredentials(credentials)).send(new GetCallerIdentityCommand({}));
  return who.Arn.split(':assumed-role/')[1].split('/')[0];
}

/** A pool federating the IdP with a Rules mapping on the "dept" claim. */
async function rulesPool(ambiguous) {
  const pool = await createOidcPool(ctx);
  const engineers = await createRole(ctx.iam, uniqueName('Eng'), cognitoTrust(pool.poolId, 'authenticated'));
  const sales = await createRole(ctx.iam, uniqueName('Sales'), cognitoTrust(pool.poolId, 'authenticated'));
  await ctx.cognito.send(new SetIdentityPoolRolesCommand({
    IdentityPoolId: pool.poolId,
    Roles: { authenticated: pool.authRole.Arn },
    RoleMappings: {
      [ctx.idp.providerKey]: {
        Type: 'Rules',
        AmbiguousRoleResolution: ambiguous,
        RulesConfiguration: {
          Rules: [
            { Claim: 'dept', MatchType: 'StartsWith', Value: 'eng', RoleARN: engineers.Arn },
            { Claim: 'dept', MatchType: 'Equals', Value: 'sales', RoleARN: sales.Arn },
            { Claim: 'email', MatchType: 'Contains', Value: '@example.test', RoleARN: sales.Arn },
          ],
        },
      },
    },
  }));
  return { ...pool, engineers, sales };
}

test('Rules mapping: the first matching rule chooses the role GetCallerIdentity shows', async () => {
  const pool = await rulesPool('Deny');
  const eng = await credentialsFor(pool.poolId, 'rm-eng', { dept: 'engineering' });
  assert.equal(await callerRoleName(eng.Credentials), pool.engineers.RoleName);
  const sales = await credentialsFor(pool.poolId, 'rm-sales', { dept: 'sales' });
  assert.equal(await callerRoleName(sales.Credentials), pool.sales.RoleName);
});

test('Rules mapping with Deny: no matching rule is refused with Cognito\'s message', async () => {
  const pool = await rulesPool('Deny');
  // The stand-in IdP always sends an email claim; give one that no rule matches.
  await expectAwsError(credentialsFor(pool.poolId, 'rm-nobody', { dept: 'hr', email: 'x@other.test' }), {
    name: 'NotAuthorizedException',
    status: 400,
    message: `The ambiguous role mapping rules for: ${ctx.idp.providerKey} denied this request.`,
  });
});

test('Rules mapping with AuthenticatedRole: no matching rule falls back to the authenticated role', async () => {
  const pool = await rulesPool('AuthenticatedRole');
  const out = await credentialsFor(pool.poolId, 'rm-default', { dept: 'hr', email: 'x@other.test' });
  assert.equal(await callerRoleName(out.Credentials), pool.authRole.RoleName);
});

test('CustomRoleArn picks among matching rules; another role is forbidden', async () => {
  const pool = await rulesPool('Deny');
  const picked = await credentialsFor(pool.poolId, 'rm-custom', { dept: 'engineering' }, { CustomRoleArn: pool.sales.Arn });
  assert.equal(await callerRoleName(picked.Credentials), pool.sales.RoleName);
  await expectAwsError(credentialsFor(pool.poolId, 'rm-custom2', { dept: 'engineering' }, { CustomRoleArn: pool.authRole.Arn }), {
    name: 'NotAuthorizedException', message: `Access to Role '${pool.authRole.Arn}' is forbidden.`,
  });
});

test('SetIdentityPoolRoles names the role whose trust would refuse this pool', async () => {
  const pool = await createOidcPool(ctx);
  const stranger = await createRole(ctx.iam, uniqueName('Stranger'), cognitoTrust('us-east-1:00000000-0000-0000-0000-000000000000'));
  await expectAwsError(ctx.cognito.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: pool.poolId, Roles: { authenticated: stranger.Arn } })), {
    name: 'InvalidParameterException', message: new RegExp(`${stranger.Arn}.*sts:AssumeRoleWithWebIdentity`),
  });
});

test('principal tags: TagSession is required, maps round-trip, and the tags reach STS', async () => {
  const pool = await createOidcPool(ctx, { classicFlow: true });
  // The fixture's authenticated role does not allow sts:TagSession: mapping tags is refused, naming it.
  await expectAwsError(ctx.cognito.send(new SetPrincipalTagAttributeMapCommand({
    IdentityPoolId: pool.poolId, IdentityProviderName: ctx.idp.providerKey, UseDefaults: true,
  })), { name: 'InvalidParameterException', message: /sts:TagSession/ });

  const tagged = await createRole(ctx.iam, uniqueName('Tagged'), withTagSession(cognitoTrust(pool.poolId, 'authenticated')));
  await ctx.cognito.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: pool.poolId, Roles: { authenticated: tagged.Arn } }));
  const set = await ctx.cognito.send(new SetPrincipalTagAttributeMapCommand({
    IdentityPoolId: pool.poolId, IdentityProviderName: ctx.idp.providerKey, PrincipalTags: { dept: 'dept', username: 'sub' },
  }));
  assert.equal(set.UseDefaults, false);
  const got = await ctx.cognito.send(new GetPrincipalTagAttributeMapCommand({ IdentityPoolId: pool.poolId, IdentityProviderName: ctx.idp.providerKey }));
  assert.deepEqual(got.PrincipalTags, { dept: 'dept', username: 'sub' });

  // Enhanced flow: credentials for the tagging role (STS checked sts:TagSession against the tags claim).
  const out = await credentialsFor(pool.poolId, 'tag-user', { dept: 'eng' });
  assert.equal(await callerRoleName(out.Credentials), tagged.RoleName);

  // The broker's token carries the tags as Cognito writes them; STS refuses them for a role without TagSession.
  const Logins = await loginsFor('tag-user', { dept: 'eng' });
  const { IdentityId } = await client.send(new GetIdCommand({ IdentityPoolId: pool.poolId, Logins }));
  const { Token } = await client.send(new GetOpenIdTokenCommand({ IdentityId, Logins }));
  const payload = JSON.parse(new TextDecoder().decode(base64url.decode(Token.split('.')[1])));
  assert.deepEqual(payload['https://aws.amazon.com/tags'], { principal_tags: { dept: ['eng'], username: ['tag-user'] } });
  const session = await sts(ctx.broker).send(new AssumeRoleWithWebIdentityCommand({ RoleArn: tagged.Arn, RoleSessionName: 'tagged-session', WebIdentityToken: Token }));
  assert.ok(session.PackedPolicySize > 0, 'session tags count in PackedPolicySize');
  await expectAwsError(sts(ctx.broker).send(new AssumeRoleWithWebIdentityCommand({
    RoleArn: pool.authRole.Arn, RoleSessionName: 'tagged-session', WebIdentityToken: Token,
  })), { name: 'AccessDenied', status: 403, message: /sts:TagSession/ });
});
