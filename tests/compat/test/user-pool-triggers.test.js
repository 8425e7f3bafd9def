// CUSTOM_AUTH with the real amazon-cognito-identity-js (setAuthenticationFlowType('CUSTOM_AUTH'), initiateAuth,
// sendCustomChallengeAnswer, unchanged) against a broker pool whose DefineAuthChallenge, CreateAuthChallenge and
// VerifyAuthChallengeResponse ARNs map to an HTTP receiver in this test (docs/user-pools.md, "Triggers"). The functions
// are configured through environment variables (every ':' of the ARN as '__'), and the receiver checks each call's HMAC.
import assert from 'node:assert/strict';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from 'amazon-cognito-identity-js';
import { CreateUserPoolClientCommand, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { useBroker, uniqueName } from '../lib/fixtures.js';
import { userPools } from '../lib/clients.js';
import { PASSWORD, createUser } from '../lib/user-pool-users.js';

const SECRET = randomBytes(24).toString('base64url');
const arn = (name) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const env = {};
const calls = [];
let receiver;

// The guide's math-question challenge: tokens after a right answer, failure after three wrong ones. With SRP inside the
// flow (the session starts with SRP_A), the guide's define example first asks for PASSWORD_VERIFIER and fails a wrong
// password, then goes on with the math question.
const functions = {
  define: (e) => {
    let history = e.request.session;
    if (history[0]?.challengeName === 'SRP_A') {
      if (history.length === 1) { e.response.challengeName = 'PASSWORD_VERIFIER'; return; }
      if (history[1].challengeName !== 'PASSWORD_VERIFIER' || !history[1].challengeResult) { e.response.failAuthentication = true; return; }
      history = history.slice(2);
    }
    if (history.length > 0 && history.at(-1).challengeResult) e.response.issueTokens = true;
    else if (history.length >= 3) e.response.failAuthentication = true;
    else e.response.challengeName = 'CUSTOM_CHALLENGE';
  },
  create: (e) => {
    e.response.publicChallengeParameters = { question: '6 x 7?' };
    e.response.privateChallengeParameters = { answer: '42' };
    e.response.challengeMetadata = 'MATH';
  },
  verify: (e) => { e.response.answerCorrect = e.request.challengeAnswer === e.request.privateChallengeParameters.answer; },
};

function verified(req, body) {
  const timestamp = req.headers['x-broker-trigger-timestamp'] ?? '';
  const expected = Buffer.from(`v1=${createHmac('sha256', SECRET).update(`${timestamp}.`).update(body).digest('hex')}`);
  const given = Buffer.from(req.headers['x-broker-trigger-signature'] ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected) && Math.abs(Date.now() / 1000 - Number(timestamp)) < 300;
}

before(async () => {
  receiver = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const name = req.url.slice(1);
      const event = JSON.parse(body);
      calls.push({ name, event: structuredClone(event), verified: verified(req, body) });
      functions[name](event);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(event));
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  for (const name of Object.keys(functions)) {
    const key = arn(name).replaceAll(':', '__');
    env[`Broker__Triggers__Functions__${key}`] = `http://127.0.0.1:${receiver.address().port}/${name}`;
    env[`Broker__Triggers__Secrets__${key}`] = SECRET;
  }
});

after(() => new Promise((r) => receiver.close(r)));

let userPoolId;
let clientId;
let hidingClientId;
const ctx = useBroker({ env }, async (c) => {
  const idp = userPools(c.broker);
  userPoolId = (await idp.send(new CreateUserPoolCommand({
    PoolName: uniqueName('triggers'),
    LambdaConfig: { DefineAuthChallenge: arn('define'), CreateAuthChallenge: arn('create'), VerifyAuthChallengeResponse: arn('verify') },
  }))).UserPool.Id;
  // No ExplicitAuthFlows: Cognito's default set includes ALLOW_CUSTOM_AUTH.
  clientId = (await idp.send(new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: 'spa' }))).UserPoolClient.ClientId;
  hidingClientId = (await idp.send(new CreateUserPoolClientCommand({
    UserPoolId: userPoolId, ClientName: 'hiding', PreventUserExistenceErrors: 'ENABLED',
  }))).UserPoolClient.ClientId;
});

/** CUSTOM_AUTH; with a password the library does SRP inside the flow (authenticateUser sends SRP_A and CHALLENGE_NAME SRP_A). */
function customAuth(username, answers, { password, client = clientId } = {}) {
  const pool = new CognitoUserPool({ UserPoolId: userPoolId, ClientId: client, endpoint: ctx.broker.url });
  const user = new CognitoUser({ Username: username, Pool: pool });
  user.setAuthenticationFlowType('CUSTOM_AUTH');
  const questions = [];
  return new Promise((resolve) => {
    const callbacks = {
      onSuccess: (session) => resolve({ ok: true, session, questions }),
      onFailure: (err) => resolve({ ok: false, err, questions }),
      customChallenge: (parameters) => {
        questions.push(parameters);
        user.sendCustomChallengeAnswer(answers.shift(), callbacks);
      },
    };
    if (password === undefined) user.initiateAuth(new AuthenticationDetails({ Username: username }), callbacks);
    else user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), callbacks);
  });
}

test('amazon-cognito-identity-js signs in with CUSTOM_AUTH after a wrong and a right answer', async () => {
  calls.length = 0;
  const username = await createUser(ctx.broker, userPoolId);
  const result = await customAuth(username, ['41', '42']);
  assert.equal(result.ok, true, result.err?.message);
  assert.equal(result.session.getIdToken().payload['cognito:username'], username);
  assert.deepEqual(result.questions.map((q) => q.question), ['6 x 7?', '6 x 7?']);
  assert.equal(result.questions[0].answer, undefined, 'private challenge parameters stay private');
  assert.deepEqual(calls.map((c) => c.name), ['define', 'create', 'verify', 'define', 'create', 'verify', 'define']);
  assert.ok(calls.every((c) => c.verified), 'every call carries a valid HMAC');
  const lastDefine = calls.at(-1).event;
  assert.equal(lastDefine.triggerSource, 'DefineAuthChallenge_Authentication');
  assert.equal(lastDefine.callerContext.clientId, clientId);
  assert.deepEqual(lastDefine.request.session.map((s) => [s.challengeName, s.challengeResult, s.challengeMetadata]),
    [['CUSTOM_CHALLENGE', false, 'MATH'], ['CUSTOM_CHALLENGE', true, 'MATH']]);
});

test('three wrong answers fail the sign-in as DefineAuthChallenge decides', async () => {
  const username = await createUser(ctx.broker, userPoolId);
  const result = await customAuth(username, ['1', '2', '3']);
  assert.equal(result.ok, false);
  assert.equal(result.err.code ?? result.err.name, 'NotAuthorizedException');
  assert.equal(result.questions.length, 3);
});

const sessionOf = (call) => call.event.request.session.map((s) => [s.challengeName, s.challengeResult]);

test('SRP inside CUSTOM_AUTH: PASSWORD_VERIFIER first, then the custom challenge, as DefineAuthChallenge decides', async () => {
  calls.length = 0;
  const username = await createUser(ctx.broker, userPoolId);
  const result = await customAuth(username, ['42'], { password: PASSWORD });
  assert.equal(result.ok, true, result.err?.message);
  assert.equal(result.session.getIdToken().payload['cognito:username'], username);
  assert.deepEqual(result.questions.map((q) => q.question), ['6 x 7?']);
  const defines = calls.filter((c) => c.name === 'define');
  assert.deepEqual(defines.map(sessionOf), [
    [['SRP_A', true]],
    [['SRP_A', true], ['PASSWORD_VERIFIER', true]],
    [['SRP_A', true], ['PASSWORD_VERIFIER', true], ['CUSTOM_CHALLENGE', true]],
  ]);
  assert.ok(defines.every((c) => c.event.request.userNotFound === false));
});

test('SRP inside CUSTOM_AUTH with a wrong password: define sees PASSWORD_VERIFIER false and fails the sign-in', async () => {
  calls.length = 0;
  const username = await createUser(ctx.broker, userPoolId);
  const result = await customAuth(username, [], { password: 'Wrong-Horse-Battery-9!' });
  assert.equal(result.ok, false);
  assert.equal(result.err.code ?? result.err.name, 'NotAuthorizedException');
  assert.equal(result.questions.length, 0, 'no custom challenge after a wrong password');
  assert.deepEqual(sessionOf(calls.filter((c) => c.name === 'define').at(-1)), [['SRP_A', true], ['PASSWORD_VERIFIER', false]]);
});

test('CUSTOM_AUTH for an unknown name with PreventUserExistenceErrors: the functions see userNotFound, the right answer still fails', async () => {
  calls.length = 0;
  const result = await customAuth(`ghost-${randomBytes(4).toString('hex')}`, ['42'], { client: hidingClientId });
  assert.equal(result.ok, false);
  assert.equal(result.err.code ?? result.err.name, 'NotAuthorizedException');
  assert.equal(result.err.message, 'Incorrect username or password.');
  assert.deepEqual(result.questions.map((q) => q.question), ['6 x 7?'], 'asked as a real user is');
  assert.deepEqual(calls.map((c) => c.name), ['define', 'create', 'verify', 'define']);
  for (const call of calls) {
    assert.equal(call.event.request.userNotFound, true, call.name);
    assert.deepEqual(call.event.request.userAttributes, {}, call.name);
  }
  assert.equal(calls.at(-1).event.request.session.at(-1).challengeResult, true, 'the answer was right; the name is unknown');

  const named = await customAuth(`ghost-${randomBytes(4).toString('hex')}`, ['42']);
  assert.equal(named.err.code ?? named.err.name, 'UserNotFoundException', 'a LEGACY client names the missing user, as before');
});

test('SRP inside CUSTOM_AUTH for an unknown name: a PASSWORD_VERIFIER challenge as a user gets, then the wrong-password failure', async () => {
  calls.length = 0;
  const result = await customAuth(`ghost-${randomBytes(4).toString('hex')}`, ['42'], { password: PASSWORD, client: hidingClientId });
  assert.equal(result.ok, false);
  assert.equal(result.err.code ?? result.err.name, 'NotAuthorizedException');
  assert.deepEqual(sessionOf(calls.filter((c) => c.name === 'define').at(-1)), [['SRP_A', true], ['PASSWORD_VERIFIER', false]]);
});
