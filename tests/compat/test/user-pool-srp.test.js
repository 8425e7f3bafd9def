// USER_SRP_AUTH with the real amazon-cognito-identity-js (CognitoUser.authenticateUser, unchanged) against the broker's
// SRP server side (tools/IdentityBroker.SrpProbe), through a loopback stand-in for the Cognito front end that only
// forwards the SRP steps. The User Pools wire API does not exist yet; this proves the cryptography is Cognito's.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from 'amazon-cognito-identity-js';
import { startCognitoStandIn, startSrpProbe } from '../lib/srp-probe.js';

const POOL_ID = 'us-east-1_SrpProbe1';
const PASSWORD = 'Correct-Horse-Battery-9!';
let probe;
let standIn;

before(async () => {
  probe = startSrpProbe();
  for (const username of ['alice', 'bob.üñí', 'carol']) {
    assert.deepEqual(await probe.request({ op: 'setPassword', poolId: POOL_ID, username, password: PASSWORD }), { ok: true });
  }
  standIn = await startCognitoStandIn(probe, { poolId: POOL_ID });
});

after(async () => {
  await standIn?.close();
  await probe?.stop();
});

function signIn(username, password, tamper = null) {
  standIn.state.tamper = tamper;
  const pool = new CognitoUserPool({ UserPoolId: POOL_ID, ClientId: 'probeclient', endpoint: standIn.url });
  const user = new CognitoUser({ Username: username, Pool: pool });
  return new Promise((resolve) => {
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
      onSuccess: (session) => resolve({ ok: true, session }),
      onFailure: (err) => resolve({ ok: false, err }),
    });
  });
}

const assertRefused = (result) => {
  assert.equal(result.ok, false, 'sign-in should be refused');
  assert.equal(result.err.code ?? result.err.name, 'NotAuthorizedException');
  assert.equal(result.err.message, 'Incorrect username or password.');
};

test('the correct password signs in through the library SRP flow', async () => {
  const result = await signIn('alice', PASSWORD);
  assert.equal(result.ok, true, `sign-in failed: ${result.err?.message}`);
  assert.equal(result.session.getIdToken().payload.sub, 'alice');
});

test('a user name outside ASCII signs in (UTF-8 in the verifier and the signature)', async () => {
  const result = await signIn('bob.üñí', PASSWORD);
  assert.equal(result.ok, true, `sign-in failed: ${result.err?.message}`);
});

test('repeated sign-ins succeed: each uses a fresh a, b and secret block', async () => {
  for (let i = 0; i < 5; i++) {
    const result = await signIn('carol', PASSWORD);
    assert.equal(result.ok, true, `attempt ${i}: ${result.err?.message}`);
  }
  const blocks = standIn.state.requests.filter((r) => r.target.endsWith('RespondToAuthChallenge')).map((r) => r.input.ChallengeResponses.PASSWORD_CLAIM_SECRET_BLOCK);
  assert.equal(new Set(blocks).size, blocks.length);
});

test('a wrong password is refused', async () => {
  assertRefused(await signIn('alice', PASSWORD.replace('9', '8')));
});

test('a tampered secret block is refused', async () => {
  assertRefused(await signIn('alice', PASSWORD, (answer) => {
    const block = Buffer.from(answer.PASSWORD_CLAIM_SECRET_BLOCK, 'base64');
    block[block.length - 1] ^= 1;
    answer.PASSWORD_CLAIM_SECRET_BLOCK = block.toString('base64');
  }));
});

test('a tampered timestamp is refused', async () => {
  assertRefused(await signIn('alice', PASSWORD, (answer) => {
    answer.TIMESTAMP = answer.TIMESTAMP.replace(/:(\d\d) /, (_, s) => `:${String((Number(s) + 1) % 60).padStart(2, '0')} `);
  }));
});

test('a tampered signature is refused', async () => {
  assertRefused(await signIn('alice', PASSWORD, (answer) => {
    const signature = Buffer.from(answer.PASSWORD_CLAIM_SIGNATURE, 'base64');
    signature[0] ^= 0x40;
    answer.PASSWORD_CLAIM_SIGNATURE = signature.toString('base64');
  }));
});

test('SRP_A = N (A mod N = 0) is refused by the server', async () => {
  const N = 'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF';
  const started = await probe.request({ op: 'start', poolId: POOL_ID, username: 'alice', srpA: N });
  assert.equal(started.ok, false);
  assert.equal(started.error.type, 'InvalidParameterException');
});

test('a challenge answers once: replaying a correct answer is refused', async () => {
  const result = await signIn('alice', PASSWORD);
  assert.equal(result.ok, true);
  const last = standIn.state.requests.filter((r) => r.target.endsWith('RespondToAuthChallenge')).at(-1).input;
  const replay = await probe.request({
    op: 'verify', challengeId: last.Session, secretBlock: last.ChallengeResponses.PASSWORD_CLAIM_SECRET_BLOCK,
    timestamp: last.ChallengeResponses.TIMESTAMP, signature: last.ChallengeResponses.PASSWORD_CLAIM_SIGNATURE,
  });
  assert.equal(replay.ok, false);
});
