// The console at /console in a real browser (Debian chromium through playwright-core): sign in with the admin key, create
// an identity pool federating the jose IdP, a Rules mapping naming a role that does not trust the pool (the message is
// shown at the field and nothing is saved), a valid rule (the simulator shows its role), then the audit page showing the
// GetCredentialsForIdentity of a real identity with the rule that chose its role. Hostile cases: script in pool names,
// rule values and claims is inert, a POST without the CSRF token is refused, a wrong secret gives no session, and the
// session cookie is refused after sign-out. Then the editors added later: console writes in CloudTrail's LookupEvents (the
// admin key, the console's user agent), pool settings edited after creation (errors at the field, diff before save), and
// expression rules (compiler messages at the rule's field, diff and what-if replay before save, the simulator naming the
// rule; script in a rule expression inert; their POST refused without the CSRF token). Any console error or dialog in the
// browser fails the test.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  DescribeIdentityPoolCommand, GetCredentialsForIdentityCommand, GetIdCommand, GetIdentityPoolRolesCommand, SetIdentityPoolRolesCommand,
} from '@aws-sdk/client-cognito-identity';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256, anonymousCognito } from '../lib/clients.js';
import { REGION } from '../lib/broker.js';
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

/** The pool's expression rules through the signed admin API (GET /admin/api/pools/{id}/rules). */
async function signedRules(poolId) {
  const path = `/admin/api/pools/${encodeURIComponent(poolId)}/rules`;
  const signer = new SignatureV4({ service: 'execute-api', region: REGION, credentials: ctx.broker.adminCredentials, sha256: Sha256 });
  const signed = await signer.sign({ method: 'GET', protocol: 'http:', hostname: '127.0.0.1', port: ctx.broker.port, path, headers: { host: ctx.broker.host } });
  const { host, ...headers } = signed.headers;
  const res = await fetch(`${ctx.broker.url}${path}`, { headers });
  assert.equal(res.status, 200);
  return res.json();
}

const cloudTrail = () => new CloudTrailClient({ endpoint: ctx.broker.url, region: REGION, credentials: ctx.broker.adminCredentials });

/** The CloudTrail records of one event name, newest first, whose record passes the filter (waits for the batched writer). */
async function lookUp(eventName, filter) {
  let found = [];
  await waitFor(async () => {
    const out = await cloudTrail().send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: eventName }], MaxResults: 50 }));
    found = (out.Events ?? []).map((e) => JSON.parse(e.CloudTrailEvent)).filter(filter);
    return found.length > 0;
  }, `a ${eventName} record in LookupEvents`);
  return found;
}

/** A role trusting the pool's authenticated identities for web identity and session tags (expression rules with Tags need both). */
const taggingTrust = (poolId) => {
  const trust = cognitoTrust(poolId, 'authenticated');
  trust.Statement[0].Action = ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'];
  return trust;
};

test('console changes go into the audit trail: LookupEvents shows them as their API calls by the admin key from the console', { timeout: TEST_TIMEOUT }, async () => {
  const session = await openPage();
  const { page, problems } = session;
  try {
    await signIn(session);
    const name = uniqueName('audited');
    const poolId = await createPoolInConsole(page, name);
    const authRole = await createRole(ctx.iam, uniqueName('Auth'), cognitoTrust(poolId, 'authenticated'));
    await page.locator('[name="role.authenticated"]').fill(authRole.Arn);
    await page.getByRole('button', { name: 'Review changes' }).click();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.locator('#saved').waitFor();

    const adminKey = ctx.broker.adminCredentials.accessKeyId;
    const fromConsole = (r) => r.userIdentity?.accessKeyId === adminKey && r.userAgent?.startsWith('IdentityBroker-Console/1.0');
    const [created] = await lookUp('CreateIdentityPool', (r) => r.requestParameters?.identityPoolName === name);
    assert.ok(fromConsole(created), JSON.stringify(created));
    assert.equal(created.eventSource, 'cognito-identity.amazonaws.com');
    assert.equal(created.userIdentity.type, 'Root');
    assert.equal(created.readOnly, false);
    assert.match(created.userAgent, /HeadlessChrome|Chrome/);
    const [roles] = await lookUp('SetIdentityPoolRoles', (r) => r.requestParameters?.identityPoolId === poolId);
    assert.ok(fromConsole(roles));
    assert.equal(roles.requestParameters.roles.authenticated, authRole.Arn);

    // A refused write is recorded with its error, as the API's would be.
    await page.locator('[id="settings.name"]').fill('bad<name>');
    await page.getByRole('button', { name: 'Review settings' }).click();
    await page.locator('[id="settings.name.error"]').waitFor();

    // An identity disabled and deleted in the console: DisableIdentity (the broker's own event) and DeleteIdentities.
    const client = anonymousCognito(ctx.broker);
    const Logins = { [ctx.idp.providerKey]: await ctx.idp.mint({ sub: uniqueName('audited-user') }) };
    const { IdentityId } = await client.send(new GetIdCommand({ IdentityPoolId: poolId, Logins }));
    await page.goto(session.url(`/console/identities/${encodeURIComponent(IdentityId)}`));
    await page.getByRole('button', { name: /^Disable/ }).click();
    await page.getByRole('button', { name: /^Delete/ }).click();
    const [disabled] = await lookUp('DisableIdentity', (r) => r.requestParameters?.identityId === IdentityId);
    assert.ok(fromConsole(disabled));
    const [deleted] = await lookUp('DeleteIdentities', (r) => (r.requestParameters?.identityIdsToDelete ?? []).includes(IdentityId));
    assert.ok(fromConsole(deleted));
    assert.equal(deleted.eventSource, 'cognito-identity.amazonaws.com');

    // By access key id, the console's records are there with the API's.
    const byKey = await cloudTrail().send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: adminKey }], MaxResults: 50 }));
    assert.ok(byKey.Events.some((e) => e.EventName === 'DeleteIdentities'));

    // The console's own audit page shows them too.
    await page.goto(session.url(`/console/audit?attribute=EventName&value=CreateIdentityPool`));
    assert.ok((await page.locator('#events').textContent()).includes('CreateIdentityPool'));
    await shot(page, 'audit-console-writes');
    assert.deepEqual(problems, []);
  } finally {
    await session.context.close();
  }
});

test('console pool settings: edited after creation with the API\'s checks at the field and a diff before saving', { timeout: TEST_TIMEOUT }, async () => {
  const session = await openPage();
  const { page, problems } = session;
  try {
    await signIn(session);
    const poolId = await createPoolInConsole(page, uniqueName('settings'));
    const newName = uniqueName('renamed');

    // A name the model refuses: the message at the name field, nothing saved.
    await page.locator('[id="settings.name"]').fill('bad<name>');
    await page.getByRole('button', { name: 'Review settings' }).click();
    assert.match(await page.locator('[id="settings.name.error"]').textContent(), /identityPoolName/);
    await shot(page, 'settings-error');

    // Name, guests, a social provider and a developer provider: reviewed (diff), then saved.
    await page.locator('[id="settings.name"]').fill(newName);
    await page.locator('[id="settings.guests"]').check();
    await page.locator('[id="settings.supported"]').fill('accounts.google.com=console-client.apps.googleusercontent.com');
    await page.locator('[id="settings.developer"]').fill('login.console.example');
    await page.getByRole('button', { name: 'Review settings' }).click();
    const diff = await page.locator('#settings-diff').textContent();
    assert.match(diff, new RegExp(`\\+\\s+"IdentityPoolName": "${newName}"`));
    assert.match(diff, /\+\s+"AllowUnauthenticatedIdentities": true/);
    assert.match(diff, /\+\s+"DeveloperProviderName": "login.console.example"/);
    await shot(page, 'settings-diff');
    let stored = await ctx.cognito.send(new DescribeIdentityPoolCommand({ IdentityPoolId: poolId }));
    assert.notEqual(stored.IdentityPoolName, newName, 'nothing is saved by the review');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.locator('#settings-saved').waitFor();
    stored = await ctx.cognito.send(new DescribeIdentityPoolCommand({ IdentityPoolId: poolId }));
    assert.equal(stored.IdentityPoolName, newName);
    assert.equal(stored.AllowUnauthenticatedIdentities, true);
    assert.equal(stored.SupportedLoginProviders['accounts.google.com'], 'console-client.apps.googleusercontent.com');
    assert.equal(stored.DeveloperProviderName, 'login.console.example');
    assert.deepEqual(stored.OpenIdConnectProviderARNs, [ctx.providerArn], 'the OIDC provider stays checked');
    assert.equal(await page.locator('h1').textContent(), newName);

    // Once set, the developer provider name cannot change (UpdateIdentityPool's rule): at the field, nothing saved.
    await page.locator('[id="settings.developer"]').fill('login.other.example');
    await page.getByRole('button', { name: 'Review settings' }).click();
    assert.match(await page.locator('[id="settings.developer.error"]').textContent(), /DeveloperProviderName cannot be changed/);
    stored = await ctx.cognito.send(new DescribeIdentityPoolCommand({ IdentityPoolId: poolId }));
    assert.equal(stored.DeveloperProviderName, 'login.console.example');
    assert.deepEqual(problems, []);
  } finally {
    await session.context.close();
  }
});

test('console expression rules: checks at the rule\'s field, diff and what-if replay before saving, the simulator names the rule', { timeout: TEST_TIMEOUT }, async () => {
  const session = await openPage();
  const { page, problems } = session;
  try {
    await signIn(session);
    const poolId = await createPoolInConsole(page, uniqueName('cel'));
    const authRole = await createRole(ctx.iam, uniqueName('Auth'), cognitoTrust(poolId, 'authenticated'));
    const engineers = await createRole(ctx.iam, uniqueName('Eng'), taggingTrust(poolId));
    await ctx.cognito.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: poolId, Roles: { authenticated: authRole.Arn } }));

    // A recorded decision to replay: an engineer gets the default authenticated role today.
    const client = anonymousCognito(ctx.broker);
    const Logins = { [ctx.idp.providerKey]: await ctx.idp.mint({ sub: uniqueName('eng'), claims: { dept: 'engineering', groups: ['admins'] } }) };
    const { IdentityId } = await client.send(new GetIdCommand({ IdentityPoolId: poolId, Logins }));
    await client.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins }));
    await lookUp('GetCredentialsForIdentity', (r) => r.responseElements?.identityId === IdentityId || JSON.stringify(r).includes(IdentityId));

    await page.reload();
    // Two broken rules: each message at its own rule's field, with the position; nothing saved.
    await page.locator('[name="x0.condition"]').fill("claims.dept ==");
    await page.locator('[name="x0.role"]').fill(engineers.Arn);
    await page.locator('[name="x1.condition"]').fill('true');
    await page.locator('[name="x1.role"]').fill(engineers.Arn);
    await page.locator('[name="x1.duration"]').fill('5');
    await page.getByRole('button', { name: 'Review rules' }).click();
    assert.match(await page.locator('[id="x0.condition.error"]').textContent(), /^Expression rule 1, Condition, line 1, column \d+/);
    assert.match(await page.locator('[id="x1.duration.error"]').textContent(), /^Expression rule 2: DurationSeconds must be between 900 and 43200/);
    await shot(page, 'expressions-errors');
    let stored = await signedRules(poolId);
    assert.deepEqual(stored.ExpressionRules, [], 'nothing was saved');

    // A role that does not trust the pool for session tags: the trust check's message at that rule's role.
    await page.locator('[name="x0.condition"]').fill("claims.dept.startsWith('eng') && claims.dept != 'sales' && 'admins' in claims.groups");
    await page.locator('[name="x0.tags"]').fill('team = claims.dept');
    await page.locator('[name="x0.role"]').fill(authRole.Arn);
    await page.locator('[name="x1.condition"]').fill('');
    await page.locator('[name="x1.role"]').fill('');
    await page.locator('[name="x1.duration"]').fill('');
    await page.getByRole('button', { name: 'Review rules' }).click();
    assert.match(await page.locator('[id="x0.role.error"]').textContent(), /expression rule 1/);

    // The right role: the diff, and the replay shows the engineer's decision would change role and tags.
    await page.locator('[name="x0.role"]').fill(engineers.Arn);
    await page.getByRole('button', { name: 'Review rules' }).click();
    assert.match(await page.locator('#rules-diff').textContent(), /\+\s+"Condition": "claims.dept.startsWith\('eng'\) && claims.dept != 'sales' && 'admins' in claims.groups"/);
    await waitFor(async () => (await page.locator('#replay-count').count()) > 0, 'the replay');
    assert.equal((await page.locator('#replay-count').textContent()).trim(), '1');
    const change = await page.locator('#replay-changes').textContent();
    assert.ok(change.includes(IdentityId) && change.includes(engineers.Arn) && change.includes(authRole.Arn), change);
    assert.match(change, /role/);
    await shot(page, 'expressions-replay');
    stored = await signedRules(poolId);
    assert.deepEqual(stored.ExpressionRules, [], 'the review saved nothing');
    await page.getByRole('button', { name: 'Save rules' }).click();
    await page.locator('#rules-saved').waitFor();
    stored = await signedRules(poolId);
    assert.equal(stored.ExpressionRules.length, 1);
    assert.equal(stored.ExpressionRules[0].Role, engineers.Arn);
    assert.deepEqual(stored.ExpressionRules[0].Tags, { team: 'claims.dept' });

    // The simulator names the rule that chose the role; a pasted one-element array is an array, as in a token.
    await page.locator('#sim\\.provider').selectOption(ctx.idp.providerKey);
    await page.locator('#sim\\.claims').fill('{"dept": "engineering", "groups": ["admins"]}');
    await page.getByRole('button', { name: 'Simulate' }).click();
    assert.equal((await page.locator('#sim-role').textContent()).trim(), engineers.Arn);
    assert.match(await page.locator('#sim-expression').textContent(), /expression rule 1/);
    await shot(page, 'expressions-simulator');

    // The save is in the audit trail as the console's.
    const [saved] = await lookUp('SetIdentityPoolExpressionRules', (r) => r.requestParameters?.identityPoolId === poolId);
    assert.equal(saved.userIdentity.accessKeyId, ctx.broker.adminCredentials.accessKeyId);
    assert.deepEqual(problems, []);
  } finally {
    await session.context.close();
  }
});

test('console hostile: script in rule expressions is inert, and the editors refuse a POST without the CSRF token', { timeout: TEST_TIMEOUT }, async () => {
  const session = await openPage();
  const { page, problems } = session;
  const script = '<script>alert("x")</script><img src=x onerror=alert(1)>';
  try {
    await signIn(session);
    const poolId = await createPoolInConsole(page, uniqueName('celhostile'));
    const role = await createRole(ctx.iam, uniqueName('Eng'), cognitoTrust(poolId, 'authenticated'));
    // A condition that does not compile, quoting markup: the message quoting it is text.
    await page.locator('[name="x0.condition"]').fill(script);
    await page.locator('[name="x0.role"]').fill(role.Arn);
    await page.getByRole('button', { name: 'Review rules' }).click();
    await page.locator('[id="x0.condition.error"]').waitFor();
    assert.equal(await page.locator('[name="x0.condition"]').inputValue(), script);
    // A valid condition whose string literal is markup: saved, shown back as text, named by the simulator as text.
    const condition = `claims.dept == '${script}'`;
    await page.locator('[name="x0.condition"]').fill(condition);
    await page.getByRole('button', { name: 'Review rules' }).click();
    await page.getByRole('button', { name: 'Save rules' }).click();
    await page.locator('#rules-saved').waitFor();
    assert.equal(await page.locator('[name="x0.condition"]').inputValue(), condition);
    await page.locator('#sim\\.provider').selectOption(ctx.idp.providerKey);
    await page.locator('#sim\\.claims').fill(JSON.stringify({ dept: script }));
    await page.getByRole('button', { name: 'Simulate' }).click();
    assert.ok((await page.locator('#sim-expression').textContent()).includes('<script>'), 'the condition is shown as text');
    await shot(page, 'expressions-hostile');
    assert.equal(await page.locator('script').count(), 0);
    assert.equal(await page.locator('img[src="x"]').count(), 0);

    // The editors' POSTs without the form's CSRF token: 403, nothing changed.
    for (const [path, form] of [
      ['expressions', { 'x0.condition': 'true', 'x0.role': role.Arn, action: 'save' }],
      ['settings', { 'settings.name': 'csrf-renamed', action: 'save' }],
    ]) {
      const refused = await page.request.post(session.url(`/console/pools/${encodeURIComponent(poolId)}/${path}`), { form, maxRedirects: 0 });
      assert.equal(refused.status(), 403, path);
    }
    const stored = await signedRules(poolId);
    assert.equal(stored.ExpressionRules[0].Condition, condition);
    assert.notEqual((await ctx.cognito.send(new DescribeIdentityPoolCommand({ IdentityPoolId: poolId }))).IdentityPoolName, 'csrf-renamed');
    assert.deepEqual(problems, []);
  } finally {
    await session.context.close();
  }
});
