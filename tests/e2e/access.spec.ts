/**
 * Access control as people meet it: first-run setup creates the admin; an invite adds an analyst;
 * an admin shares a view link; a manager without an account watches the timeline live, has no
 * edit controls, and a write forced from the page is refused; revoking the link ends their view.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { inviteMember } from '../integration/helpers/auth';
import { createTestDatabase, type TestDatabase } from '../integration/helpers/postgres';
import { ROOT, startServerProcess } from '../integration/helpers/serverProcess';
import { expect, openTimeline, sessionState, tableRow, test } from './fixtures';

test('first-run setup creates the admin, who then signs out and in again', async ({
  browser,
}, testInfo) => {
  test.setTimeout(120_000);
  // A fresh instance of this project's back end, with no accounts yet.
  const dataDir = await mkdtemp(path.join(ROOT, 'tests/.tmp-e2e-setup-'));
  let database: TestDatabase | undefined;
  if (testInfo.project.name === 'postgresql') database = await createTestDatabase();
  const server = await startServerProcess({ dataDir, databaseUrl: database?.url, admin: false });
  const context = await browser.newContext({ baseURL: server.url });
  try {
    const page = await context.newPage();
    // Anything protected sends a fresh instance to setup.
    await page.goto('/t/anything');
    await expect(page).toHaveURL(/\/setup$/);
    await page.screenshot({ path: `test-results/screens/setup-${testInfo.project.name}.png` });
    await page.getByLabel('Email').fill('Chief@Example.org');
    await page.getByLabel('Your name (shown to others)').fill('Chief Analyst');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create admin account' }).click();
    // The browser's own check stops a too-short password; the server's would too.
    await expect(page).toHaveURL(/\/setup$/);
    await page.getByLabel('Password').fill('a long enough passphrase');
    await page.getByRole('button', { name: 'Create admin account' }).click();

    await expect(page).toHaveURL(`${server.url}/`);
    await expect(page.getByTestId('user-menu')).toContainText('Chief Analyst');
    await expect(page.getByTestId('user-menu')).toContainText('admin');
    await expect(
      page.getByTestId('timeline-list').locator('tr', { hasText: 'Border network outages' }),
    ).toBeVisible();

    // Setup happens once: the page and the API both refuse a second admin.
    await page.goto('/setup');
    await expect(page).toHaveURL(`${server.url}/`);
    const again = await fetch(`${server.url}/api/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'x@example.org', name: 'X', password: 'another passphrase' }),
    });
    expect(again.status).toBe(409);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login$/);
    await page.goto('/');
    await expect(page).toHaveURL(/\/login\?next=%2F$/);
    await page.getByLabel('Email').fill('chief@example.org');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.locator('main [role=alert]')).toHaveText('Wrong email or password.');
    await page.getByLabel('Password').fill('a long enough passphrase');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('user-menu')).toContainText('Chief Analyst');

    // The admin changes the password in Settings; the next sign-in needs the new one.
    await page.getByRole('link', { name: 'Settings' }).click();
    const password = page.getByTestId('password');
    await password.getByLabel('Current password').fill('a long enough passphrase');
    await password.getByLabel('New password').fill('an even longer passphrase');
    await password.getByRole('button', { name: 'Change password' }).click();
    await expect(password.getByRole('status')).toContainText('Password changed');
    await page.screenshot({
      path: `test-results/screens/settings-${testInfo.project.name}.png`,
      fullPage: true,
    });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login$/);
    await page.getByLabel('Email').fill('chief@example.org');
    await page.getByLabel('Password').fill('an even longer passphrase');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('user-menu')).toContainText('Chief Analyst');
  } finally {
    await context.close();
    await server.stop();
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('an admin invites an analyst, who joins with the invited role', async ({ page, browser }) => {
  await page.goto('/settings');
  const invites = page.getByTestId('invites');
  await invites.getByLabel('Role').selectOption('viewer');
  await invites.getByRole('button', { name: 'Create invite link' }).click();
  const link = await invites.getByTestId('secret-value').inputValue();
  expect(link).toMatch(/\/invite\/cbi_/);

  const context = await browser.newContext();
  try {
    const newcomer = await context.newPage();
    await newcomer.goto(link);
    await expect(newcomer.getByText('You have been invited as a viewer')).toBeVisible();
    const email = `newcomer-${Date.now()}@chronoboard.test`;
    await newcomer.getByLabel('Email').fill(email);
    await newcomer.getByLabel('Your name (shown to others)').fill('New Viewer');
    await newcomer.getByLabel('Password').fill('a long enough passphrase');
    await newcomer.getByRole('button', { name: 'Create account' }).click();
    await expect(newcomer.getByTestId('user-menu')).toContainText('viewer');
    // Viewers read but do not create.
    await expect(newcomer.getByLabel('New timeline')).toHaveCount(0);

    // The invite worked once.
    await newcomer.goto(link);
    await expect(newcomer.locator('main [role=alert]')).toContainText('already been used');

    // The admin sees the new person and can change their role.
    await page.reload();
    const row = page.getByTestId('people').locator(`tr[data-user-email="${email}"]`);
    await expect(row).toContainText('New Viewer');
    await row.getByRole('combobox').selectOption('editor');
    await expect(row.getByRole('combobox')).toHaveValue('editor');
    await newcomer.goto('/');
    await expect(newcomer.getByTestId('user-menu')).toContainText('editor');
  } finally {
    await context.close();
  }
});

test('a manager opens a view link: sees edits live, has no edit controls, a forced write is refused; revoking ends it', async ({
  browser,
  baseURL,
  contextAs,
  createTimeline,
}, testInfo) => {
  test.setTimeout(90_000);
  const id = await createTimeline('Briefing for managers');
  const analystContext = await contextAs('Ana Lim');
  const analyst = await analystContext.newPage();
  await openTimeline(analyst, id);

  // The analyst creates a view link in the share panel.
  await analyst.getByRole('button', { name: 'Share' }).click();
  const share = analyst.getByTestId('share-panel');
  await share.getByLabel('Access').selectOption('view');
  await share.getByLabel('Note (optional)').fill('Managers’ screen');
  await share.getByRole('button', { name: 'Create link' }).click();
  const url = await share.getByTestId('secret-value').inputValue();
  expect(url).toContain(`/t/${id}?token=cbl_`);
  await expect(share.getByTestId('share-links').locator('[data-status=active]')).toHaveCount(1);

  // The manager has no account: a fresh context, no cookies.
  const managerContext = await browser.newContext({ baseURL });
  try {
    const manager = await managerContext.newPage();
    const closes: number[] = [];
    manager.on('websocket', (ws) => ws.on('close', () => closes.push(Date.now())));
    // A view link lands on the dashboard; its link opens the read-only timeline.
    await manager.goto(url);
    await expect(manager).toHaveURL(new RegExp(`/t/${id}/dashboard\\?token=cbl_`));
    await manager.getByTestId('open-timeline').click();
    await expect(manager).toHaveURL(new RegExp(`/t/${id}\\?view=timeline&token=cbl_`));
    await expect(manager.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
    await expect(manager.getByTestId('read-only')).toContainText('View only');
    await expect(manager.getByRole('button', { name: '+ Add event' })).toHaveCount(0);
    await expect(manager.getByLabel('New lane name')).toHaveCount(0);
    await expect(manager.getByRole('button', { name: 'Share' })).toHaveCount(0);
    await manager.getByRole('button', { name: 'History' }).click();
    await expect(manager.getByRole('button', { name: 'Save version' })).toHaveCount(0);
    // The manager shows up for the analyst, marked as viewing.
    await expect(analyst.locator('[data-testid=presence] li[data-viewing=true]')).toHaveCount(1);

    // Edits appear live on the manager's screen.
    await analyst.getByRole('button', { name: '+ Add event' }).click();
    const row = analyst.locator('[data-testid=event-table] tr[data-event-id]');
    const eventId = (await row.getAttribute('data-event-id'))!;
    await analyst.getByTestId('event-panel').getByLabel('Title').fill('Hanoi summit ends early');
    await expect(tableRow(manager, eventId)).toContainText('Hanoi summit ends early');
    // The event panel opens read-only for the manager.
    await tableRow(manager, eventId).getByRole('button').first().click();
    await expect(manager.getByTestId('event-panel').getByLabel('Title')).toBeDisabled();
    await manager.screenshot({
      path: `test-results/screens/view-link-${testInfo.project.name}.png`,
      fullPage: true,
    });

    // A write forced from the manager's page, with the link's token, is dropped by the server and
    // the connection is closed after repeated attempts.
    const forged = new Y.Doc();
    forged.getMap('meta').set('title', 'Forged by a viewer');
    const message = encoding.encode((encoder) => {
      encoding.writeVarUint(encoder, 0); // sync
      encoding.writeVarUint(encoder, 2); // update
      encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(forged));
    });
    const token = new URL(url).searchParams.get('token')!;
    const closeCode = await manager.evaluate(
      async ({ timelineId, token, bytes }) => {
        const ws = new WebSocket(
          `ws://${location.host}/collab/${timelineId}?token=${encodeURIComponent(token)}`,
        );
        ws.binaryType = 'arraybuffer';
        return new Promise<number>((resolve) => {
          ws.onopen = () => {
            for (let i = 0; i < 5; i++) ws.send(new Uint8Array(bytes));
          };
          ws.onclose = (event) => resolve(event.code);
        });
      },
      { timelineId: id, token, bytes: Array.from(message) },
    );
    expect(closeCode).toBe(4403);
    await expect(analyst.getByTestId('timeline-title')).toHaveText('Briefing for managers');
    const exported = await (await analyst.request.get(`/api/timelines/${id}/export`)).json();
    expect(exported.timeline.title).toBe('Briefing for managers');

    // Revoking the link ends the manager's view at once.
    await share.getByRole('button', { name: 'Revoke' }).click();
    await expect(share.getByTestId('share-links').locator('[data-status=revoked]')).toHaveCount(1);
    await expect(manager.getByTestId('access-ended')).toContainText('share link revoked');
    await manager.reload();
    await expect(manager.locator('main [role=alert]')).toContainText('revoked');
  } finally {
    await managerContext.close();
  }
});

test('a viewer account reads live but has no edit controls', async ({
  contextAs,
  createTimeline,
}) => {
  const id = await createTimeline('Read-only for viewers');
  const context = await contextAs('Vera Viewer');
  const page = await context.newPage();
  // A viewer lands on the dashboard; its link opens the read-only timeline.
  await page.goto(`/t/${id}`);
  await expect(page).toHaveURL(new RegExp(`/t/${id}/dashboard$`));
  await page.getByTestId('open-timeline').click();
  await expect(page).toHaveURL(new RegExp(`/t/${id}\\?view=timeline$`));
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('read-only')).toContainText('Your role is viewer');
  await expect(page.getByRole('button', { name: '+ Add event' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Share' })).toHaveCount(0);
});

test('an analyst demoted to viewer while editing: the page reloads read-only at once', async ({
  browser,
  baseURL,
  auth,
  createTimeline,
}) => {
  const id = await createTimeline('Demotion');
  const email = `demoted-${Date.now()}@chronoboard.test`;
  const cookie = await inviteMember(baseURL!, auth.token, {
    email,
    name: 'Dana Demoted',
    role: 'editor',
  });
  const context = await browser.newContext({
    baseURL,
    storageState: sessionState(cookie, baseURL!),
  });
  try {
    const page = await context.newPage();
    await openTimeline(page, id);
    await expect(page.getByRole('button', { name: '+ Add event' })).toBeVisible();

    const users = (await (
      await fetch(`${baseURL}/api/users`, { headers: { authorization: `Bearer ${auth.token}` } })
    ).json()) as { users: { id: string; email: string }[] };
    const dana = users.users.find((user) => user.email === email)!;
    const changed = await fetch(`${baseURL}/api/users/${dana.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${auth.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'viewer' }),
    });
    expect(changed.status).toBe(200);

    // Reloaded for the new role, the page is where viewers land: the dashboard.
    await expect(page).toHaveURL(new RegExp(`/t/${id}/dashboard$`));
    await expect(page.getByTestId('read-only')).toContainText('Your role is viewer');
    await expect(page.getByRole('button', { name: '+ Add event' })).toHaveCount(0);
    await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
  } finally {
    await context.close();
  }
});
