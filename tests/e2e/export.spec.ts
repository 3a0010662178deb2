/**
 * The Export dialog as an analyst uses it: open it from the toolbar, export a PDF briefing with a
 * handling line and a CSV; the downloads are named `<title>-<yyyy-mm-dd>.<ext>` and parse. The
 * editor's current filter narrows an export; a view-link visitor exports the dashboard's selected
 * period as a PDF.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { createEvent, createLane } from '../../lib/timeline/model';
import { connectClient, waitFor, waitForSync } from '../integration/helpers/clients';
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

/** Writes a lane and events into a timeline over the websocket, as the test admin. */
async function seedEvents(
  baseURL: string,
  token: string,
  timelineId: string,
  events: { title: string; start: string; tags?: string[] }[],
): Promise<string[]> {
  const client = connectClient(`${baseURL.replace(/^http/, 'ws')}/collab`, timelineId, undefined, {
    token,
  });
  try {
    await waitForSync(client);
    const lane = createLane(client.doc, { title: 'Grid', color: '#2563eb' });
    const ids = events.map((event) => createEvent(client.doc, { kind: 'point', lane, ...event }));
    await waitFor(async () => {
      const response = await fetch(`${baseURL}/api/timelines/${timelineId}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return ((await response.json()) as { eventCount: number }).eventCount === events.length;
    }, 'the seeded events saved');
    return ids;
  } finally {
    client.destroy();
  }
}

async function pdfText(path: string): Promise<string> {
  const document = await getDocument({ data: new Uint8Array(await readFile(path)) }).promise;
  let text = '';
  for (let number = 1; number <= document.numPages; number++) {
    const content = await (await document.getPage(number)).getTextContent();
    text += content.items.map((item) => ('str' in item ? item.str : '')).join(' ');
  }
  return text;
}

test('the current filter narrows an export: set a search in the editor, the CSV holds only its events', async ({
  page,
  auth,
  baseURL,
  createTimeline,
}, testInfo) => {
  const id = await createTimeline('Filtered export');
  await seedEvents(baseURL!, auth.token, id, [
    { title: 'Substation fire', start: '2019-03-07T16:50:00Z', tags: ['fire'] },
    { title: 'Second substation fire', start: '2019-03-09T08:00:00Z', tags: ['fire'] },
    { title: 'Minister visits', start: '2019-03-10T12:00:00Z' },
  ]);
  await openTimeline(page, id);
  await page.getByRole('searchbox', { name: 'Search events' }).fill('substation');
  await expect(page.getByTestId('filter-count')).toHaveText('2 of 3 events');
  await expect(page).toHaveURL(/[?&]q=substation/);

  await page.getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByTestId('export-dialog');
  // The filter is offered, with its count, and chosen: it is what the page shows.
  const current = dialog.getByLabel(/The current filter/);
  await expect(current).toBeChecked();
  await expect(dialog.getByTestId('export-filter-count')).toHaveText('(2 of 3 events)');
  await dialog.getByTestId('export-format').selectOption('csv');
  await expect(dialog.getByLabel('Include comments')).toBeDisabled();
  await dialog.screenshot({ path: testInfo.outputPath('export-dialog-filter.png') });
  const download = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  const csv = parse(await readFile((await (await download).path())!), {
    bom: true,
    columns: true,
  }) as { title: string }[];
  expect(csv.map((row) => row.title)).toEqual(['Substation fire', 'Second substation fire']);

  // The whole timeline is still one click away.
  await dialog.getByLabel('The whole timeline').check();
  const whole = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  const all = parse(await readFile((await (await whole).path())!), {
    bom: true,
    columns: true,
  }) as { title: string }[];
  expect(all).toHaveLength(3);
});

test('a view-link visitor exports a PDF of the dashboard’s selected period; no Export on the wall screen', async ({
  browser,
  auth,
  baseURL,
  createTimeline,
  request,
}, testInfo) => {
  const id = await createTimeline('Dashboard export');
  const [, late] = await seedEvents(baseURL!, auth.token, id, [
    { title: 'Early outage', start: '2019-01-05T10:00:00Z' },
    { title: 'Late outage', start: '2019-06-20T10:00:00Z' },
  ]);
  const comment = await request.post(`/api/timelines/${id}/comments`, {
    data: { eventId: late, body: 'Operator log confirms the outage' },
    headers: { authorization: `Bearer ${auth.token}` },
  });
  expect(comment.status()).toBe(201);
  const link = await (
    await request.post(`/api/timelines/${id}/links`, {
      data: { role: 'view' },
      headers: { authorization: `Bearer ${auth.token}` },
    })
  ).json();
  const context = await browser.newContext({ baseURL });
  try {
    const visitor = await context.newPage();
    await visitor.goto(`/t/${id}/dashboard?token=${link.token}`);
    await expect(visitor.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');

    // The last bar with events is the selected period: only the late outage.
    const bars = visitor.locator('[data-testid=histogram] g[data-index] rect');
    await expect(bars.first()).toBeVisible();
    const labels = await bars.evaluateAll((rects) =>
      rects.map((rect) => rect.getAttribute('aria-label') ?? ''),
    );
    await bars.nth(labels.findLastIndex((label) => !label.endsWith(': 0 events'))).click();
    await expect(visitor.getByTestId('range')).not.toHaveAttribute('data-start', '');

    await visitor.getByTestId('export-button').click();
    const dialog = visitor.getByTestId('export-dialog');
    await expect(dialog.getByLabel(/The selected period/)).toBeChecked();
    await expect(dialog.getByTestId('export-filter-count')).toHaveText('(1 of 2 events)');
    await dialog.getByLabel('Include comments').check();
    await visitor.screenshot({ path: testInfo.outputPath('dashboard-export-dialog.png') });
    const download = visitor.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    const pdf = await download;
    expect(pdf.suggestedFilename()).toMatch(/^Dashboard-export-\d{4}-\d\d-\d\d\.pdf$/);
    const text = await pdfText((await pdf.path())!);
    expect(text).toContain('Late outage');
    expect(text).not.toContain('Early outage');
    // "Include comments": the visitor may read them, so the briefing carries them.
    expect(text).toContain('Operator log confirms the outage');

    // On a phone the header wraps and the button stays reachable.
    await dialog.getByRole('button', { name: 'Close' }).click();
    await visitor.setViewportSize({ width: 390, height: 844 });
    await expect(visitor.getByTestId('export-button')).toBeInViewport();
    await visitor.screenshot({ path: testInfo.outputPath('dashboard-390.png') });

    await visitor.goto(`/t/${id}/dashboard?wall=1&token=${link.token}`);
    await expect(visitor.getByTestId('dashboard')).toHaveAttribute('data-wall', 'true');
    await expect(visitor.getByTestId('export-button')).toHaveCount(0);
  } finally {
    await context.close();
  }
});
