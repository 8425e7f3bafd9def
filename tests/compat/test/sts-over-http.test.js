// Broker__Sts__InProcess=false: the broker reaches its embedded STS over HTTP (AWSSDK.SecurityToken against its own
// address) instead of in-process (the default, which every other file uses). The same credentials come out of both.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GetCredentialsForIdentityCommand, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ACCOUNT_ID } from '../lib/broker.js';
import { anonymousCognito, fromCognitoCredentials, sts } from '../lib/clients.js';
import { useBroker } from '../lib/fixtures.js';

const ctx = useBroker({ env: { Broker__Sts__InProcess: 'false' } });

test('guest credentials minted over the HTTP hop resolve to the demo guest role', async () => {
  const client = anonymousCognito(ctx.broker);
  const { IdentityId } = await client.send(new GetIdCommand({ IdentityPoolId: ctx.broker.demoPoolId() }));
  const out = await client.send(new GetCredentialsForIdentityCommand({ IdentityId }));
  assert.equal(out.IdentityId, IdentityId);
  assert.match(out.Credentials.AccessKeyId, /^ASIA[A-Z0-9]{12,}$/);
  const who = await sts(ctx.broker, fromCognitoCredentials(out.Credentials)).send(new GetCallerIdentityCommand({}));
  assert.equal(who.Account, ACCOUNT_ID);
  assert.match(who.Arn, new RegExp(`^arn:aws:sts::${ACCOUNT_ID}:assumed-role/DemoUnauthenticatedRole/CognitoIdentityCredentials$`));
});
