// Runs tools/IdentityBroker.TokenMint (the Release build) against a running broker's data directory: a new sign-in
// session of a broker user pool, its tokens minted by the broker's own issuer and key (what sign-in will call), until the
// User Pools sign-in flows are served. mintTokens(broker, { userPoolId, clientId, sub, username, groups }) →
// { IdToken, AccessToken, RefreshToken, ExpiresIn }.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './broker.js';

export const MINT_DLL = join(REPO_ROOT, 'tools', 'IdentityBroker.TokenMint', 'bin', 'Release', 'net10.0', 'IdentityBroker.TokenMint.dll');

const run = promisify(execFile);

/** groups: [{ name, precedence, roleArn }] */
export async function mintTokens(broker, { userPoolId, clientId, sub, username, groups = [] }) {
  if (!existsSync(MINT_DLL)) {
    throw new Error(`The token mint is not built: ${MINT_DLL} does not exist.\nBuild it first with: dotnet build IdentityBroker.sln -c Release`);
  }
  const specs = groups.map((g) => `${g.name}:${g.precedence ?? ''}:${g.roleArn ?? ''}`);
  const { stdout } = await run('dotnet', [MINT_DLL, broker.dataDir, broker.url, userPoolId, clientId, sub, username, ...specs], { timeout: 60_000 });
  return JSON.parse(stdout);
}
