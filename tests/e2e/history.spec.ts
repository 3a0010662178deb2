/**
 * Version history in the UI, with two analysts: A saves a version, compares it with now, restores
 * it (B sees the restore live), undoes the restore, replays an earlier version read-only and reads
 * the activity log.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { expect, openTimeline, tableRow, test, timelineItem } from './fixtures';
import type { PersonName } from './people';

/** Opens the timeline signed in as `name` (their account name is what history records). */
async function openAs(
  contextAs: (who: PersonName) => Promise<BrowserContext>,
  name: PersonName,
  id: string,
) {
  const context = await contextAs(name);
  const page = await context.newPage();
  await openTimeline(page, id);
  return { context, page };
}

/** Adds an event with the toolbar button, names it in the side panel and returns its id. */
async function addEvent(page: Page, title: string, known: string[]): Promise<string> {
  await page.getByRole('button', { name: '+ Add event' }).click();
  const rows = page.locator('[data-testid=event-table] tr[data-event-id]');
  await expect(rows).toHaveCount(known.length + 1);
  const ids = await rows.evaluateAll((elements) =>
    elements.map((element) => element.getAttribute('data-event-id')!),
  );
  const id = ids.find((candidate) => !known.includes(candidate))!;
  await page.getByTestId('event-panel').getByLabel('Title').fill(title);
  return id;
}

test('save a version, compare it with now, restore it for everyone, undo, replay and read the activity', async ({
  contextAs,
  createTimeline,
}, testInfo) => {
  // A long scenario with two browsers and several round trips through the server.
  test.setTimeout(120_000);
  const screens = (name: string) =>
    `test-results/screens/history-${name}-${testInfo.project.name}.png`;
  const id = await createTimeline('Border outages');
  const { context: contextA, page: a } = await openAs(contextAs, 'Ana Lim', id);
  const { context: contextB, page: b } = await openAs(contextAs, 'Ben Ode', id);

  // A adds an event and names it; B sees it.
  const outage = await addEvent(a, 'Outage', []);
  await expect(tableRow(b, outage)).toContainText('Outage');

  // A saves a version.
  await a.getByRole('button', { name: 'History' }).click();
  const panel = a.getByTestId('history-panel');
  await expect(panel).toBeVisible();
  await panel.getByLabel('Version name').fill('Before the summit');
  await panel.getByRole('button', { name: 'Save version' }).click();
  const versions = panel.getByTestId('version-list').locator(':scope > li');
  // A version by its exact label (other entries mention it in their "Compare with…" options).
  const version = (label: string) =>
    versions.filter({ has: a.locator('.version-label', { hasText: new RegExp(`^${label}$`) }) });
  const saved = version('Before the summit');
  await expect(saved).toHaveCount(1);
  await expect(saved).toContainText('Ana Lim');
  await expect(saved).toContainText('1 event');
  await expect(panel.getByLabel('Version name')).toHaveValue('');

  // A renames the event and adds another one; B sees both changes.
  await a.getByTestId('event-panel').getByLabel('Title').fill('Network outage near the border');
  const summit = await addEvent(a, 'Hanoi summit', [outage]);
  await expect(tableRow(b, outage)).toContainText('Network outage near the border');
  await expect(tableRow(b, summit)).toContainText('Hanoi summit');

  // Compare with now: the added event and the title change, old → new.
  await saved.getByRole('button', { name: 'Compare with now' }).click();
  const diff = saved.getByTestId('diff-view');
  await expect(diff.locator('[data-diff=added]')).toContainText('Hanoi summit');
  await expect(diff.locator('[data-diff=changed]')).toContainText(
    'Outage → Network outage near the border',
  );
  await expect(diff.locator('[data-diff=removed]')).toHaveCount(0);
  await panel.screenshot({ path: screens('diff') });

  // A restores the saved version (after a confirmation); B sees it without reloading.
  await saved.getByRole('button', { name: 'Restore', exact: true }).click();
  const confirm = saved.getByRole('alertdialog');
  await expect(confirm).toContainText('for everyone');
  await confirm.getByRole('button', { name: 'Restore this version' }).click();
  await expect(panel.getByRole('status').filter({ hasText: 'Restored' })).toBeVisible();
  await expect(tableRow(b, outage).getByRole('button')).toHaveText('Outage');
  await expect(timelineItem(b, outage)).toHaveText('Outage');
  await expect(tableRow(b, summit)).toHaveCount(0);
  await expect(timelineItem(b, summit)).toHaveCount(0);
  await expect(tableRow(a, summit)).toHaveCount(0);

  // Nothing in history was destroyed: a "Before restoring …" version now undoes the restore.
  const backup = version('Before restoring “Before the summit”');
  await expect(backup).toHaveCount(1);
  await expect(backup).toHaveAttribute('data-kind', 'pre-restore');
  await expect(backup).toContainText('2 events');
  await expect(versions).toHaveCount(2);
  await backup.getByRole('button', { name: 'Restore', exact: true }).click();
  await backup
    .getByRole('alertdialog')
    .getByRole('button', { name: 'Restore this version' })
    .click();
  await expect(tableRow(b, outage)).toContainText('Network outage near the border');
  await expect(tableRow(b, summit)).toContainText('Hanoi summit');
  await expect(timelineItem(b, summit)).toHaveText('Hanoi summit');
  await expect(versions).toHaveCount(3);

  // Two versions compared with each other: from the older to the newer.
  const backupId = (await backup.getAttribute('data-snapshot-id'))!;
  await saved.getByRole('combobox').selectOption(backupId);
  const between = saved.getByTestId('diff-view');
  await expect(between.getByRole('heading', { level: 3 })).toContainText(
    'Changes from “Before the summit”',
  );
  await expect(between.getByRole('heading', { level: 3 })).toContainText('to “Before restoring');
  await expect(between.locator('[data-diff=added]')).toContainText('Hanoi summit');
  await expect(between.locator('[data-diff=changed]')).toContainText(
    'Outage → Network outage near the border',
  );
  await panel.screenshot({ path: screens('compare') });
  await between.getByRole('button', { name: 'Close comparison' }).click();
  await expect(between).toHaveCount(0);

  // Replay: the first version, read-only, in the same timeline view and table.
  const slider = panel.getByRole('slider', { name: 'Replay' });
  await expect(slider).toHaveAttribute('max', '3');
  await expect(slider).toHaveValue('3');
  await slider.focus();
  await a.keyboard.press('Home');
  await expect(slider).toHaveValue('0');
  const banner = a.getByTestId('replay-banner');
  await expect(banner).toContainText('Viewing the version of');
  await expect(banner).toContainText('read-only');
  await expect(banner).toContainText('Before the summit');
  await expect(a.getByRole('button', { name: '+ Add event' })).toBeDisabled();
  await expect(a.getByLabel('New lane name')).toBeDisabled();
  await expect(tableRow(a, summit)).toHaveCount(0);
  await expect(timelineItem(a, summit)).toHaveCount(0);
  await expect(tableRow(a, outage).getByRole('button')).toHaveText('Outage');
  await expect(timelineItem(a, outage)).toHaveText('Outage');
  // The side panel shows the event as it was, without letting anyone edit it.
  await tableRow(a, outage).getByRole('button').click();
  await expect(a.getByTestId('event-panel').getByLabel('Title')).toHaveValue('Outage');
  await expect(a.getByTestId('event-panel').getByLabel('Title')).toBeDisabled();
  // B, who is not replaying, still sees (and can edit) the live timeline.
  await expect(tableRow(b, summit)).toContainText('Hanoi summit');
  await expect(b.getByRole('button', { name: '+ Add event' })).toBeEnabled();
  await a.screenshot({ path: screens('replay'), fullPage: true });

  await banner.getByRole('button', { name: 'Back to now' }).click();
  await expect(banner).toHaveCount(0);
  await expect(slider).toHaveValue('3');
  await expect(a.getByRole('button', { name: '+ Add event' })).toBeEnabled();
  await expect(tableRow(a, summit)).toContainText('Hanoi summit');
  await expect(timelineItem(a, outage)).toHaveText('Network outage near the border');
  await expect(a.getByTestId('event-panel').getByLabel('Title')).toBeEnabled();

  // A changes a field; the activity log names A, what A created and which field changed.
  await a.getByTestId('event-panel').getByLabel('Description').fill('Mobile networks down.');
  await panel.getByRole('tab', { name: 'Activity' }).click();
  const activity = panel.getByTestId('activity-list');
  await expect(activity.locator('[data-action=created]').first()).toContainText('Ana Lim created');
  await expect(activity.locator('[data-action=created]')).toHaveCount(2);
  await expect(activity.locator('[data-action=updated]')).toContainText(
    'Ana Lim changed description of “Network outage near the border”',
  );
  const restored = activity.locator('[data-action=restored]');
  await expect(restored.filter({ hasText: 'Ana Lim removed “Hanoi summit”' })).toHaveCount(1);
  await expect(restored.filter({ hasText: 'Ana Lim brought back “Hanoi summit”' })).toHaveCount(1);
  await expect(restored.filter({ hasText: 'Ana Lim restored title of' })).toHaveCount(2);
  await expect(activity).toContainText(/ · \d{2}:\d{2} UTC/);
  await panel.screenshot({ path: screens('activity') });

  await contextA.close();
  await contextB.close();
});

test('a comparison lists each changed field old → new, dates like the table, long text shortened, user text never as HTML', async ({
  contextAs,
  createTimeline,
}, testInfo) => {
  const id = await createTimeline('Field changes');
  const { context, page } = await openAs(contextAs, 'Ana <b>Lim</b>', id);
  const eventId = await addEvent(page, '<img src=x onerror="window.__pwned=1">Outage', []);
  const panel = page.getByTestId('history-panel');
  await page.getByRole('button', { name: 'History' }).click();
  await panel.getByLabel('Version name').fill('<i>v1</i>');
  await panel.getByRole('button', { name: 'Save version' }).click();
  const entry = panel.getByTestId('version-list').locator(':scope > li');
  await expect(entry).toHaveCount(1);
  // Labels and names are shown literally.
  await expect(entry.locator('.version-label')).toHaveText('<i>v1</i>');
  await expect(entry).toContainText('Ana <b>Lim</b>');
  await expect(entry.locator('i, b')).toHaveCount(0);

  const eventPanel = page.getByTestId('event-panel');
  const start = await tableRow(page, eventId).locator('[data-field=start]').innerText();
  await eventPanel.getByLabel('Start date').fill('2019-02-20');
  await eventPanel.getByLabel('Start date').press('Enter');
  const description = `Mobile networks went down along the border. ${'Reports came in from several towns. '.repeat(8)}`;
  await eventPanel.getByLabel('Description').fill(description);
  await eventPanel.getByLabel('Confidence').selectOption('high');
  await expect(tableRow(page, eventId).locator('[data-field=start]')).toHaveText('2019-02-20');

  await entry.getByRole('button', { name: 'Compare with now' }).click();
  const changed = entry.getByTestId('diff-view').locator('[data-diff=changed]');
  await expect(changed.locator('[data-field=start]')).toContainText(`${start} → 2019-02-20`);
  await expect(changed.locator('[data-field=confidence]')).toContainText('(none) → High');
  const descriptionRow = changed.locator('[data-field=description]');
  await expect(descriptionRow).toContainText('(empty) → Mobile networks went down');
  await expect(descriptionRow.locator('.diff-value-after')).toContainText('…');
  await descriptionRow.getByText('Show full text').click();
  await expect(descriptionRow.locator('.diff-full-value').last()).toHaveText(description);
  await expect(changed).toContainText('<img src=x onerror="window.__pwned=1">Outage');
  await expect(page.locator('.history-panel img')).toHaveCount(0);
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  await panel.screenshot({
    path: `test-results/screens/history-fields-${testInfo.project.name}.png`,
  });
  await context.close();
});
