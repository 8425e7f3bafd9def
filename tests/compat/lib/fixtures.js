// Building blocks shared by the test files: register an IdP with the broker's IAM subset, create
// roles with trust policies, create pools that federate the IdP, and one started broker + IdP per file.
import { randomUUID } from 'node:crypto';
import { after, before } from 'node:test';
import {
  CreateIdentityPoolCommand, SetIdentityPoolRolesCommand,
} from '@aws-sdk/client-cognito-identity';
import { CreateOpenIDConnectProviderCommand, CreateRoleCommand } from '@aws-sdk/client-iam';
import { startBroker } from './broker.js';
import { startIdp } from './idp.js';
import { cognito, iam } from './clients.js';

export const COGNITO_PRINCIPAL = 'cognito-identity.amazonaws.com';

/**
 * Registers before/after hooks for a broker (and an IdP when withIdp) shared by one test file.
 * setup(ctx) runs in the same hook once both are up, so that a start-up failure is the error reported.
 */
export function useBroker({ withIdp = false, env } = {}, setup = async () => {}) {
  const ctx = {};
  before(async () => {
    ctx.broker = await startBroker({ env });
    ctx.cognito = cognito(ctx.broker);
    ctx.iam = iam(ctx.broker);
    if (withIdp) ctx.idp = await startIdp();
    await setup(ctx);
  });
  after(async () => {
    await ctx.idp?.stop();
    await ctx.broker?.stop();
  });
  return ctx;
}

export const uniqueName = (prefix) => `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 12)}`;

/** A trust policy for the Cognito principal with an aud condition and an optional amr condition. */
export function cognitoTrust(poolId, amr) {
  const condition = { StringEquals: { [`${COGNITO_PRINCIPAL}:aud`]: poolId } };
  if (amr) condition['ForAnyValue:StringLike'] = { [`${COGNITO_PRINCIPAL}:amr`]: amr };
  return {
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow',
      Principal: { Federated: COGNITO_PRINCIPAL },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: condition,
    }],
  };
}

/** A trust policy naming an IAM OIDC provider ARN, with StringEquals conditions on "<host>:<key>". */
export function oidcTrust(providerArn, conditions) {
  const host = providerArn.split(':oidc-provider/')[1];
  const equals = Object.fromEntries(Object.entries(conditions).map(([k, v]) => [`${host}:${k}`, v]));
  return {
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow',
      Principal: { Federated: providerArn },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: equals },
    }],
  };
}

export async function createRole(iamClient, name, trustPolicy) {
  const out = await iamClient.send(new CreateRoleCommand({
    RoleName: name,
    AssumeRolePolicyDocument: JSON.stringify(trustPolicy),
  }));
  return out.Role;
}

/** Registers the IdP as an IAM OIDC provider (http is allowed for loopback) and returns its ARN. */
export async function registerIdp(iamClient, idp, clientIds = [idp.clientId]) {
  const out = await iamClient.send(new CreateOpenIDConnectProviderCommand({ Url: idp.issuer, ClientIDList: clientIds }));
  return out.OpenIDConnectProviderArn;
}

/**
 * A pool federating the IdP, with an authenticated role (and an unauthenticated one when guests are allowed)
 * trusted through the Cognito principal. Returns { poolId, providerArn, authRole, unauthRole }.
 */
export async function createOidcPool(ctx, { allowGuests = false, classicFlow, providerArn } = {}) {
  const arn = providerArn ?? ctx.providerArn ?? (ctx.providerArn = await registerIdp(ctx.iam, ctx.idp));
  const pool = await ctx.cognito.send(new CreateIdentityPoolCommand({
    IdentityPoolName: uniqueName('compat'),
    AllowUnauthenticatedIdentities: allowGuests,
    ...(classicFlow === undefined ? {} : { AllowClassicFlow: classicFlow }),
    OpenIdConnectProviderARNs: [arn],
  }));
  const poolId = pool.IdentityPoolId;
  const authRole = await createRole(ctx.iam, uniqueName('Auth'), cognitoTrust(poolId, 'authenticated'));
  const roles = { authenticated: authRole.Arn };
  let unauthRole;
  if (allowGuests) {
    unauthRole = await createRole(ctx.iam, uniqueName('Unauth'), cognitoTrust(poolId, 'unauthenticated'));
    roles.unauthenticated = unauthRole.Arn;
  }
  await ctx.cognito.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: poolId, Roles: roles }));
  return { poolId, providerArn: arn, authRole, unauthRole };
}
