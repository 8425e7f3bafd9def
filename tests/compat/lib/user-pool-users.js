// Users of a broker user pool for the compat tests, made through the admin API as an operator would, and real sign-ins
// with @aws-sdk/client-cognito-identity-provider (InitiateAuth USER_PASSWORD_AUTH).
import { createHmac, randomUUID } from 'node:crypto';
import {
  AdminCreateUserCommand, AdminSetUserPasswordCommand, InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { userPools } from './clients.js';

export const PASSWORD = 'Correct-Horse-Battery-9!';

/** A user with a permanent password (CONFIRMED), or with only a temporary one (FORCE_CHANGE_PASSWORD). */
export async function createUser(broker, userPoolId, { username = `user-${randomUUID().slice(0, 8)}`, password = PASSWORD, temporary = false, attributes = {} } = {}) {
  const idp = userPools(broker);
  await idp.send(new AdminCreateUserCommand({
    UserPoolId: userPoolId, Username: username, MessageAction: 'SUPPRESS',
    TemporaryPassword: temporary ? password : undefined,
    UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
  }));
  if (!temporary) {
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: username, Password: password, Permanent: true }));
  }
  return username;
}

export const secretHash = (secret, username, clientId) => createHmac('sha256', secret).update(username + clientId).digest('base64');

/** InitiateAuth USER_PASSWORD_AUTH, unsigned as apps call it; the client must allow ALLOW_USER_PASSWORD_AUTH. */
export async function signIn(broker, clientId, username, password = PASSWORD, extra = {}) {
  const reply = await userPools(broker).send(new InitiateAuthCommand({
    ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password, ...extra },
  }));
  return reply.AuthenticationResult;
}
