// Runs tools/IdentityBroker.SrpProbe (the Release build): the broker's user-pool SRP domain behind JSON lines on
// stdin/stdout, until the User Pools wire API serves it. startSrpProbe() → { request(obj), stop() }.
// startCognitoStandIn(probe, { poolId, tamper }) serves InitiateAuth / RespondToAuthChallenge on loopback in AWS JSON 1.1
// for amazon-cognito-identity-js, forwarding the SRP steps to the probe (and, for refusal tests, altering one field of
// the client's answer first).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { REPO_ROOT } from './broker.js';

export const PROBE_DLL = join(REPO_ROOT, 'tools', 'IdentityBroker.SrpProbe', 'bin', 'Release', 'net10.0', 'IdentityBroker.SrpProbe.dll');

export function startSrpProbe() {
  if (!existsSync(PROBE_DLL)) {
    throw new Error(`SRP probe is not built: ${PROBE_DLL} does not exist.\nBuild it first with: dotnet build IdentityBroker.sln -c Release`);
  }
  const child = spawn('dotnet', [PROBE_DLL], { stdio: ['pipe', 'pipe', 'inherit'] });
  const pending = [];
  createInterface({ input: child.stdout }).on('line', (line) => pending.shift()?.resolve(JSON.parse(line)));
  child.on('exit', (code) => { for (const p of pending.splice(0)) p.reject(new Error(`SRP probe exited (${code})`)); });
  process.on('exit', () => child.kill('SIGKILL'));
  return {
    request(message) {
      return new Promise((resolve, reject) => {
        pending.push({ resolve, reject });
        child.stdin.write(JSON.stringify(message) + '\n');
      });
    },
    stop() {
      return new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin.end();
      });
    },
  };
}

const fakeJwt = (claims) => ['{"alg":"none"}', JSON.stringify(claims)].map((p) => Buffer.from(p).toString('base64url')).join('.') + '.';

export async function startCognitoStandIn(probe, { poolId }) {
  const state = { tamper: null, requests: [] };
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const target = req.headers['x-amz-target'];
    const input = JSON.parse(body);
    state.requests.push({ target, input });
    const reply = (status, payload) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(payload));
    };
    const fail = ({ type, message }) => reply(400, { __type: type, message });
    if (target === 'AWSCognitoIdentityProviderService.InitiateAuth') {
      const started = await probe.request({ op: 'start', poolId, username: input.AuthParameters.USERNAME, srpA: input.AuthParameters.SRP_A });
      if (!started.ok) return fail(started.error);
      return reply(200, {
        ChallengeName: 'PASSWORD_VERIFIER',
        ChallengeParameters: {
          SALT: started.salt, SRP_B: started.srpB, SECRET_BLOCK: started.secretBlock,
          USER_ID_FOR_SRP: started.userIdForSrp, USERNAME: started.userIdForSrp,
        },
        Session: started.challengeId,
      });
    }
    if (target === 'AWSCognitoIdentityProviderService.RespondToAuthChallenge') {
      const answer = { ...input.ChallengeResponses };
      if (state.tamper) state.tamper(answer);
      const verified = await probe.request({
        op: 'verify', challengeId: input.Session, secretBlock: answer.PASSWORD_CLAIM_SECRET_BLOCK,
        timestamp: answer.TIMESTAMP, signature: answer.PASSWORD_CLAIM_SIGNATURE,
      });
      if (!verified.ok) return fail(verified.error);
      const now = Math.floor(Date.now() / 1000);
      const claims = { sub: answer.USERNAME, exp: now + 3600, iat: now };
      return reply(200, {
        ChallengeParameters: {},
        AuthenticationResult: { IdToken: fakeJwt(claims), AccessToken: fakeJwt(claims), RefreshToken: 'opaque', ExpiresIn: 3600, TokenType: 'Bearer' },
      });
    }
    return fail({ type: 'UnknownOperationException', message: `${target}` });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    state,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
