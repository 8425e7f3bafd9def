// The AWS CLI pointed at a broker, isolated from the caller's own AWS settings: every AWS_* variable is dropped and
// the configuration and credentials files are empty, so only the credentials given here (or none, for
// --no-sign-request) reach the CLI.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const empty = mkdtempSync(join(tmpdir(), 'aws-cli-'));

/** false when the CLI is installed, otherwise the reason a CLI test is skipped (./test.sh installs it; CI fails on skips). */
export const cliSkip = await run('aws', ['--version']).then(
  () => false,
  () => 'the aws CLI is not installed (./test.sh installs the Debian package awscli)',
);

/**
 * Runs `aws <args> --endpoint-url <broker> --output json` and returns the parsed output ({} for none).
 * credentials: { accessKeyId, secretAccessKey } to sign with, or null with '--no-sign-request' among args.
 */
export async function awsCli(broker, args, credentials = broker.adminCredentials) {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
  const env = {
    ...inherited,
    AWS_CONFIG_FILE: join(empty, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(empty, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    AWS_DEFAULT_REGION: 'us-east-1',
    ...(credentials ? { AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey } : {}),
  };
  try {
    const { stdout } = await run('aws', [...args, '--endpoint-url', broker.url, '--output', 'json'], { env, timeout: 60_000 });
    return stdout.trim() === '' ? {} : JSON.parse(stdout);
  } catch (err) {
    throw new Error(`aws ${args.join(' ')} failed (exit ${err.code}): ${err.stderr || err.message}`);
  }
}
