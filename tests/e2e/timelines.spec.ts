/**
 * A timeline's own actions from its header: rename in place (live for others, and the timeline
 * list follows), duplicate (opens the copy), delete (admins, after confirmation; others on the
 * page are told), and the export download named after the timeline.
 */
import { expect, openTimeline, test } from './fixtures';

test('rename from the header, duplicate, and delete with confirmation', async ({
  page,
  contextAs,
  createTimeline,
}) => {
  const id = await createTimeline('Header actions');
  await openTimeline(page, id);
  const other = await (await contextAs('Ana Lim')).newPage();
  await openTimeline(other, id);

  // Rename in place; Escape cancels, Enter saves.
  await page.getByRole('button', { name: 'Rename timeline' }).click();
  await page.getByLabel('Timeline name').fill('Discarded');
  await page.getByLabel('Timeline name').press('Escape');
  await expect(page.getByTestId('timeline-title')).toHaveText('Header actions');
  await page.getByRole('button', { name: 'Rename timeline' }).click();
  await page.getByLabel('Timeline name').fill('Election week 2019');
  await page.getByLabel('Timeline name').press('Enter');
  await expect(other.getByTestId('timeline-title')).toHaveText('Election week 2019');
  await expect
    .poll(async () => {
      const list = await (await page.request.get('/api/timelines')).json();
      return list.timelines.find((t: { id: string }) => t.id === id)?.title;
    })
    .toBe('Election week 2019');

  // The export downloads as <title>-<yyyy-mm-dd>.json (the Export dialog: tests/e2e/export.spec.ts).
  const day = new Date().toISOString().slice(0, 10);
  await page.getByRole('button', { name: 'Export…' }).click();
  await page.getByTestId('export-format').selectOption('json');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  expect((await download).suggestedFilename()).toBe(`Election-week-2019-${day}.json`);
  await page.getByRole('button', { name: 'Close' }).click();

  // Duplicate opens the copy.
  await page.getByRole('button', { name: 'Timeline actions' }).click();
  await page.getByRole('menuitem', { name: 'Duplicate' }).click();
  await expect(page).not.toHaveURL(new RegExp(`/t/${id}$`));
  await expect(page.getByTestId('timeline-title')).toHaveText('Election week 2019 (copy)');
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
  const copyId = new URL(page.url()).pathname.split('/').pop()!;

  // Delete the original: asks first; the other analyst on it is told; the list forgets it.
  await openTimeline(page, id);
  await page.getByRole('button', { name: 'Timeline actions' }).click();
  await page.getByRole('menuitem', { name: 'Delete…' }).click();
  const dialog = page.getByTestId('delete-timeline');
  await expect(dialog).toContainText('Delete “Election week 2019”?');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  await page.getByRole('button', { name: 'Timeline actions' }).click();
  await page.getByRole('menuitem', { name: 'Delete…' }).click();
  await dialog.getByRole('button', { name: 'Delete timeline' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(other.getByRole('heading', { name: 'Timeline not found' })).toBeVisible();
  const list = page.getByTestId('timeline-list');
  await expect(list.locator('tr', { hasText: 'Election week 2019 (copy)' })).toBeVisible();
  // Only the copy is left.
  await expect(list.locator('tr', { hasText: 'Election week 2019' })).toHaveCount(1);
  expect((await page.request.get(`/api/timelines/${id}`)).status()).toBe(404);
  expect((await page.request.get(`/api/timelines/${copyId}`)).status()).toBe(200);
});

test('editors may duplicate but not delete; viewers neither', async ({
  contextAs,
  createTimeline,
}) => {
  const id = await createTimeline('Not yours to delete');
  const editor = await (await contextAs('Ana Lim')).newPage();
  await openTimeline(editor, id);
  await editor.getByRole('button', { name: 'Timeline actions' }).click();
  await expect(editor.getByRole('menuitem', { name: 'Duplicate' })).toBeVisible();
  await expect(editor.getByRole('menuitem', { name: /Delete/ })).toHaveCount(0);

  const viewer = await (await contextAs('Vera Viewer')).newPage();
  await openTimeline(viewer, id, '?view=timeline');
  await expect(viewer.getByRole('button', { name: 'Timeline actions' })).toHaveCount(0);
  await expect(viewer.getByRole('button', { name: 'Rename timeline' })).toHaveCount(0);
});
