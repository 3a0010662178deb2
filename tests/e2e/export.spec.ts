/**
 * The Export dialog as an analyst uses it: open it from the toolbar, export a PDF briefing with a
 * handling line and a CSV; the downloads are named `<title>-<yyyy-mm-dd>.<ext>` and parse.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { expect, openTimeline, test } from './fixtures';

test('export a PDF briefing and a CSV from the Export dialog', async ({
  page,
  createTimeline,
}, testInfo) => {
  const id = await createTimeline('Export drill');
  await openTimeline(page, id);
  await page.getByRole('button', { name: '+ Add event' }).click();
  await page.getByTestId('event-panel').getByLabel('Title').fill('Substation fire <b>');
  await expect(page.locator('[data-testid=event-table] tr[data-event-id]')).toContainText(
    'Substation fire <b>',
  );
  const day = new Date().toISOString().slice(0, 10);

  await page.getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByTestId('export-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('export-format').selectOption('pdf');
  await dialog.getByLabel('Handling line').fill('FOR OFFICIAL USE ONLY');
  await page.screenshot({ path: testInfo.outputPath('export-dialog.png') });
  const pdfDownload = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  const pdf = await pdfDownload;
  expect(pdf.suggestedFilename()).toBe(`Export-drill-${day}.pdf`);
  await expect(dialog.getByRole('status')).toHaveText(`Saved Export-drill-${day}.pdf`);
  const document = await getDocument({ data: new Uint8Array(await readFile((await pdf.path())!)) })
    .promise;
  let text = '';
  for (let number = 1; number <= document.numPages; number++) {
    const content = await (await document.getPage(number)).getTextContent();
    text += content.items.map((item) => ('str' in item ? item.str : '')).join(' ');
  }
  expect(text).toContain('Substation fire <b>');
  expect(text).toContain('FOR OFFICIAL USE ONLY');

  await dialog.getByTestId('export-format').selectOption('csv');
  const csvDownload = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  const csv = await csvDownload;
  expect(csv.suggestedFilename()).toBe(`Export-drill-${day}.csv`);
  const rows = parse(await readFile((await csv.path())!), { bom: true, columns: true }) as {
    title: string;
  }[];
  expect(rows.map((row) => row.title)).toEqual(['Substation fire <b>']);

  // A range that ends before it starts is refused with the server's message, in the dialog.
  await dialog.getByLabel('A time range (UTC)').check();
  await dialog.getByLabel('From', { exact: true }).fill('2019-03-01');
  await dialog.getByLabel('To', { exact: true }).fill('2019-01-01');
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(dialog.getByRole('alert')).toHaveText('to: must not be before from');
});
