// The console at /console in a real browser (Debian chromium through playwright-core): sign in with the admin key, create
// an identity pool federating the jose IdP, a Rules mapping naming a role that does not trust the pool (the message is
// shown at the field and nothing is saved), a valid rule (the simulator shows its role), then the audit page showing the
// GetCredentialsForIdentity of a real identity with the rule that chose its role. Hostile cases: script in pool names,
// rule values and claims is inert, a POST without the CSRF token is refused, a wrong secret gives no session, and the
// session cookie is refused after sign-out. Any console error or dialog in the browser fails the test.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { GetCredentialsForIdentityCommand, GetIdCommand, GetIdentityPoolRolesCommand } from '@aws-sdk/client-cognito-identity';
import { anonymousCognito } from '../lib/clients.js';
import { cognitoTrust, createRole, registerIdp, uniqueName, useBroker } from '../lib/fixtures.js';
import { launchChromium, resultsDir } from '../lib/hosted-ui.js';

const TEST_TIMEOUT = 120_000;
const ctx = useBroker({ withIdp: true }, async (c) => { c.providerArn = await registerIdp(c.iam, c.idp); });
let browser;

before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

/** A fresh browser context and page whose console errors, page errors and dialogs are collected (any one fails the test). */
async function openPage() {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', async (d) => { problems.push(`dialog: ${d.message()}`); await d.dismiss(); });
  return { context, page, problems, url: (path) => `${ctx.broker.url}${path}` };
}

async function signIn(session, secret = ctx.broker.adminCredentials.secretAccessKey) {
  const { page, url } = session;
  await page.goto(url('/console/signin'));
  await page.getByLabel('Access key ID', { exact: true }).fill(ctx.broker.adminCredentials.accessKeyId);
  await page.getByLabel('Secret access key', { exact: true }).fill(secret);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const shot = (page, name) => page.screenshot({ path: join(resultsDir(), `console-${name}.png`), fullPage: true });

/** Creates a pool through the console's form and returns its id (read from the pool page). */
async function createPoolInConsole(page, name) {
  await page.getByRole('link', { name: 'Identity pools' }).click();
  await page.locator('#name').fill(name);
  await page.locator(`input[name="oidc"][value="${ctx.providerArn}"]`).check();
  await page.getByRole('button', { name: 'Create pool' }).click();
  return (await page.locator('#pool-id').textContent()).trim();
}

/** The index of the editor's provider fieldset for the IdP (p0, p1, ...). */
async function idpPrefix(page) {
  const keys = await page.locator('input[type=hidden][name$=".key"]').evaluateAll((inputs) => inputs.map((i) => [i.name, i.value]));
  const found = keys.find(([, value]) => value === ctx.idp.providerKey);
  assert.ok(found, `the editor has a row for ${ctx.idp.providerKey}: ${JSON.stringify(keys)}`);
  return found[0].slice(0, -'.key'.length);
}

async function fillRule(page, prefix, { claim, value, role }) {
  await page.locator(`[name="${prefix}.type"]`).selectOption('Rules');
  await page.locator(`[name="${prefix}.ambiguous"]`).selectOption('Deny');
  await page.locator(`[name="${prefix}.r0.claim"]`).fill(claim);
  await page.locator(`[name="${prefix}.r0.match"]`).selectOption('Equals');
  await page.locator(`[name="${prefix}.r0.value"]`).fill(value);
  await page.locator(`[name="${prefix}.r0.role"]`).fill(role);
}

async function waitFor(check, what, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('console: sign in, create a pool, an untrusting role is refused at the field, a valid rule simulates, the audit shows the rule', { timeout: TEST_TIMEOUT }, async () => {
  const session = await openPage();
  const { page, problems } = session;
  try {
    await signIn(session);
    assert.equal(await page.locator('h1').textContent(), 'Overview');
    const cookies = await session.context.cookies();
    const sessionCookie = cookies.find((c) => c.name === 'ib-console');
    assert.ok(sessionCookie, 'a session cookie is set');
    assert.equal(sessionCookie.httpOnly, true);
    assert.equal(sessionCookie.sameSite, 'Strict');
    await shot(page, 'overview');

    const poolId = await createPoolInConsole(page, uniqueName('console'));
    assert.match(poolId, /^us-east-1:/);
    const authRole = await createRole(ctx.iam, uniqueName('Auth'), cognitoTrust(poolId, 'authenticated'));
    const engineers = await createRole(ctx.iam, uniqueName('Eng'), cognitoTrust(poolId, 'authenticated'));
    const stranger = await createRole(ctx.iam, uniqueName('Other'), cognitoTrust('us-east-1:00000000-0000-0000-0000-000000000000', 'authenticated'));

    // A rule naming a role that trusts another pool: the review shows the check's message at the rule's role field; nothing is saved.
    await page.reload();
    const prefix = await idpPrefix(page);
    await page.locator('[name="role.authenticated"]').fill(authRole.Arn);
    await fillRule(page, prefix, { claim: 'dept', value: 'engineering', role: stranger.Arn });
    await page.getByRole('button', { name: 'Review changes' }).click();
    const fieldError = page.locator(`[id="${prefix}.r0.role.error"]`);
    assert.match(await fieldError.textContent(), /does not trust this pool/);
    assert.match(await fieldError.textContent(), new RegExp(stranger.RoleName));
    await shot(page, 'untrusted-role');
    const stored = await ctx.cognito.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: poolId }));
    assert.deepEqual(stored.Roles ?? {}, {}, 'nothing was saved');
    assert.equal(stored.RoleMappings, undefined);

    // The same rule with a role that trusts the pool: review shows the diff, save stores it.
    await page.locator(`[name="${prefix}.r0.role"]`).fill(engineers.Arn);
    await page.getByRole('button', { name: 'Review changes' }).click();
    assert.match(await page.locator('#diff').textContent(), /\+\s+"Value": "engineering"/);
    await shot(page, 'diff');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('#saved').waitFor();
    const saved = await ctx.cognito.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: poolId }));
    assert.equal(saved.RoleMappings[ctx.idp.providerKey].RulesConfiguration.Rules[0].RoleARN, engineers.Arn);

    // The simulator with pasted claims shows the rule's role and the policy verdict for an action.
    await page.locator('#sim\\.provider').selectOption(ctx.idp.providerKey);
    await page.locator('#sim\\.claims').fill('{"dept": "engineering"}');
    await page.locator('#sim\\.action').fill('s3:GetObject');
    await page.locator('#sim\\.resource').fill('arn:aws:s3:::bucket/key');
    await page.getByRole('button', { name: 'Simulate' }).click();
    assert.equal((await page.locator('#sim-role').textContent()).trim(), engineers.Arn);
    assert.match(await page.locator('#sim-result').textContent(), /denied/);
    await shot(page, 'simulator');

    // A real identity gets credentials through the rule; the audit page shows the event with the rule that chose the role.
    const client = anonymousCognito(ctx.broker);
    const Logins = { [ctx.idp.providerKey]: await ctx.idp.mint({ sub: 'console-eng', claims: { dept: 'engineering' } }) };
    const { IdentityId } = await client.send(new GetIdCommand({ IdentityPoolId: poolId, Logins }));
    await client.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins }));
    const auditUrl = session.url(`/console/audit?attribute=ResourceName&value=${encodeURIComponent(IdentityId)}`);
    const row = page.locator('#events tr', { hasText: 'GetCredentialsForIdentity' });
    await waitFor(async () => { await page.goto(auditUrl); return (await row.count()) > 0; }, 'the GetCredentialsForIdentity audit event');
    const rowText = await row.first().textContent();
    assert.match(rowText, /role\.chosenBy=Rules/);
    assert.match(rowText, /role\.rule\.claim=dept/);
    assert.match(rowText, /role\.rule\.value=engineering/);
    assert.ok(rowText.includes(engineers.Arn));
    await shot(page, 'audit');
    await row.first().getByRole('link', { name: 'GetCredentialsForIdentity' }).click();
    assert.match(await page.locator('#decision').textContent(), /engineering/);
    await shot(page, 'audit-event');

    for (const path of ['/console', '/console/identities?identityId=' + encodeURIComponent(IdentityId), '/console/identities/' + encodeURIComponent(IdentityId),
      '/console/iam', '/console/userpools']) {
      const response = await page.goto(session.url(path));
      assert.equal(response.status(), 200, path);
    }
    assert.ok((await page.locator('body').textContent()).length > 0);
    await page.goto(session.url('/console'));
    await shot(page, 'overview-after');
    assert.deepEqual(problems, []);
  } finally {
    await session.context.close();
  }
});

test('console hostile: script in pool names, rule values and claims is rendered inert', { timeout: TEST_TIMEOUT }, async () => {
  const session = await openPage();
  const { page, problems } = session;
  const script = '<script>alert("x")</script><img src=x onerror=alert(1)>';
  try {
    await signIn(session);
    // A pool name with markup is refused by the model check; the message quoting it is text.
    await page.getByRole('link', { name: 'Identity pools' }).click();
    await page.locator('#name').fill(script);
    await page.getByRole('button', { name: 'Create pool' }).click();
    assert.ok((await page.locator('#create-error').textContent()).length > 0);

    const poolId = await createPoolInConsole(page, uniqueName('hostile'));
    const role = await createRole(ctx.iam, uniqueName('Eng'), cognitoTrust(poolId, 'authenticated'));
    const prefix = await idpPrefix(page);
    await fillRule(page, prefix, { claim: 'dept', value: script, role: role.Arn });
    await page.getByRole('button', { name: 'Review changes' }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('#saved').waitFor();
    assert.equal(await page.locator(`[name="${prefix}.r0.value"]`).inputValue(), script);

    await page.locator('#sim\\.provider').selectOption(ctx.idp.providerKey);
    await page.locator('#sim\\.claims').fill(JSON.stringify({ dept: script, [script]: script }));
    await page.getByRole('button', { name: 'Simulate' }).click();
    assert.ok((await page.locator('#sim-result').textContent()).includes(script), 'the claim is shown as text');
    await shot(page, 'hostile');

    // Nothing the values carried became markup: no script, no injected image, no dialog, no console error.
    assert.equal(await page.locator('script').count(), 0);
    assert.equal(await page.locator('img[src="x"]').count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await session.context.close();
  }
});

test('console hostile: a POST without the CSRF token is refused and changes nothing', { timeout: TEST_TIMEOUT }, async () => {
  const session = await openPage();
  try {
    await signIn(session);
    const name = uniqueName('nocsrf');
    // The browser's own cookies (session and CSRF cookie), but a form without the _csrf field.
    const refused = await session.page.request.post(session.url('/console/pools'), { form: { name }, maxRedirects: 0 });
    assert.equal(refused.status(), 403);
    const forged = await session.page.request.post(session.url('/console/pools'), { form: { name, _csrf: 'A'.repeat(43) }, maxRedirects: 0 });
    assert.equal(forged.status(), 403);
    await session.page.goto(session.url('/console/pools'));
    assert.equal(await session.page.getByText(name).count(), 0, 'no pool was created');
  } finally {
    await session.context.close();
  }
});

test('console hostile: a wrong secret gives no session', { timeout: TEST_TIMEOUT }, async () => {
  const session = await openPage();
  try {
    await signIn(session, 'not-the-secret');
    assert.match(await session.page.locator('#error').textContent(), /not right/);
    assert.equal((await session.context.cookies()).some((c) => c.name === 'ib-console'), false);
    const response = await session.page.goto(session.url('/console/pools'));
    assert.equal(new URL(response.url()).pathname, '/console/signin');
    assert.deepEqual(session.problems, []);
  } finally {
    await session.context.close();
  }
});

test('console hostile: the session cookie is refused after sign-out', { timeout: TEST_TIMEOUT }, async () => {
  const session = await openPage();
  try {
    await signIn(session);
    const cookie = (await session.context.cookies()).find((c) => c.name === 'ib-console');
    assert.ok(cookie);
    await session.page.getByRole('button', { name: 'Sign out' }).click();
    assert.equal(new URL(session.page.url()).pathname, '/console/signin');

    // The cookie as it was before sign-out, replayed from outside the browser, opens nothing.
    const replay = await fetch(session.url('/console/pools'), { headers: { cookie: `ib-console=${cookie.value}` }, redirect: 'manual' });
    assert.equal(replay.status, 302);
    assert.equal(replay.headers.get('location'), '/console/signin');
    const headers = (await fetch(session.url('/console/signin'))).headers;
    assert.match(headers.get('content-security-policy'), /default-src 'none'/);
    assert.equal(headers.get('x-frame-options'), 'DENY');
  } finally {
    await session.context.close();
  }
});
