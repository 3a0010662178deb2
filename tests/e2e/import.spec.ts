/**
 * Import from the editor: A picks a CSV with one bad row, the preview lists the row and its
 * reason with the counts and a sample, A imports the good rows, and B (another context, live on
 * the same timeline) sees the imported events and the new lane at once.
 */
import { mkdirSync } from 'node:fs';
import { expect, test } from './fixtures';

const CSV = [
  'title,start,end,lane,tags,confidence',
  'Cable cut reported,2019-02-18T06:00:00Z,,Network,outage,reported',
  'Outage across the border region,2019-02-18,2019-02-21,Network,outage; region,high',
  'Ministry statement,2019-02-30,,Statements,,',
  'Repairs announced,2019-02-22,,Statements,repairs,moderate',
  // Enough rows that the activity log records the import as one entry (more than 20 events).
  ...Array.from(
    { length: 20 },
    (_, i) =>
      `Probe ${i + 1} unanswered,2019-02-23T${String(i).padStart(2, '0')}:00:00Z,,Network,probe,low`,
  ),
].join('\n');

test('the import preview lists a bad row, imports the good ones, and B sees them', async ({
  openTwo,
  createTimeline,
}, testInfo) => {
  const id = await createTimeline('Imported outages');
  const { a, b } = await openTwo(id);

  await a.getByRole('button', { name: 'Import…' }).click();
  const dialog = a.getByTestId('import-dialog');
  await dialog.getByLabel('File to import').setInputFiles({
    name: 'outages.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(CSV),
  });
  const preview = dialog.getByTestId('import-preview');
  await expect(preview).toContainText('23 events will be created, with 2 new lanes');
  await expect(preview).toContainText('1 row cannot be imported');
  await expect(dialog.getByTestId('import-errors').getByRole('listitem')).toHaveText([
    'Row 4 · start "2019-02-30": 2019-02 has no day 30',
  ]);
  await expect(preview.getByRole('row')).toHaveCount(11); // header + the first 10 events
  await expect(dialog.getByLabel('Format')).toHaveValue('csv');
  // The file's name is shown once (by the file input), not repeated beside it.
  await expect(dialog.getByText('outages.csv')).toHaveCount(0);
  mkdirSync('/work/scratch/import', { recursive: true });
  await a.screenshot({ path: `/work/scratch/import/preview-${testInfo.project.name}.png` });

  await dialog.getByRole('button', { name: 'Import 23 events, skip 1 row' }).click();
  await expect(dialog.getByTestId('import-done')).toContainText(
    'Imported 23 events and 2 new lanes',
  );

  // B sees the events and lanes live, without reloading.
  const rows = b.locator('[data-testid=event-table] tr[data-event-id]');
  await expect(rows).toHaveCount(23);
  await expect(b.locator('[data-testid=event-table]')).toContainText(
    'Outage across the border region',
  );
  await expect(b.locator('.vis-labelset .vis-label')).toHaveText([
    'Events',
    'Network',
    'Statements',
  ]);
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toHaveCount(0);
  // A's axis moved to the imported events (they are in 2019, far from today).
  await expect(
    a.locator('.vis-item .vis-item-content', { hasText: 'Cable cut reported' }),
  ).toBeVisible();

  // The history's activity shows the import as one entry, not 23.
  await b.getByRole('button', { name: 'History' }).click();
  await b.getByRole('tab', { name: 'Activity' }).click();
  const activity = b.getByTestId('activity-list');
  await expect(activity.getByRole('listitem')).toHaveCount(1);
  await expect(activity.getByRole('listitem')).toContainText('Ana Lim created 23 events at once');
  await b.screenshot({ path: `/work/scratch/import/activity-${testInfo.project.name}.png` });
});

test("an import is one undo step: A's Ctrl+Z takes it back, B's rename made after it stays", async ({
  openTwo,
  createTimeline,
}) => {
  const id = await createTimeline('Import then undo');
  const { a, b } = await openTwo(id);
  const rowsOf = (page: typeof a) => page.locator('[data-testid=event-table] tr[data-event-id]');

  // B adds an event of their own first.
  await b.keyboard.press('n');
  const bPanel = b.getByTestId('event-panel');
  await expect(bPanel.getByLabel('Title')).toBeFocused();
  await b.keyboard.type('Before the import');
  await b.keyboard.press('Escape');
  await expect(rowsOf(a)).toHaveCount(1);

  await a.getByRole('button', { name: 'Import…' }).click();
  const dialog = a.getByTestId('import-dialog');
  await dialog.getByLabel('File to import').setInputFiles({
    name: 'three.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(
      [
        'title,start,lane',
        'Tower offline,2019-02-18,Network',
        'Second tower offline,2019-02-19,Network',
        'Service restored,2019-02-21,Network',
      ].join('\n'),
    ),
  });
  await dialog.getByRole('button', { name: 'Import 3 events' }).click();
  await expect(dialog.getByTestId('import-done')).toContainText('Undo (Ctrl+Z) takes the whole');
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(rowsOf(b)).toHaveCount(4);

  // B renames their own event after the import; A undoes the import.
  await rowsOf(b).filter({ hasText: 'Before the import' }).click();
  await bPanel.getByLabel('Title').fill('Renamed by B');
  await bPanel.getByLabel('Title').press('Enter');
  await expect(rowsOf(a).filter({ hasText: 'Renamed by B' })).toHaveCount(1);
  await a.keyboard.press('Control+z');
  await expect(rowsOf(a)).toHaveCount(1);
  await expect(rowsOf(b)).toHaveCount(1);
  await expect(rowsOf(a)).toContainText('Renamed by B');
  await expect(a.locator('.vis-labelset .vis-label', { hasText: 'Network' })).toHaveCount(0);

  // Redo brings the whole import back, again in one step.
  await a.keyboard.press('Control+Shift+z');
  await expect(rowsOf(b)).toHaveCount(4);
  await expect(rowsOf(b).filter({ hasText: 'Service restored' })).toHaveCount(1);
});
