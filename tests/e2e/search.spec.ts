/**
 * Search and filters: the URL's search text and filters narrow the axis and the list, survive a
 * reload and walk with back/forward; single-source only shows exactly the single-source events;
 * junk in the URL is named and ignored; a saved view made by an editor appears live for a viewer.
 * The events are written by a Node y-websocket client through the model, as an import would.
 */
import type { Page } from '@playwright/test';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { addSource, createEvent, createLane } from '../../lib/timeline/model';
import { expect, openTimeline, tableRow, test } from './fixtures';

type Seeded = Record<'summit' | 'launch' | 'drill' | 'incident' | 'trade' | 'rumour', string>;

/** Writes the story's six events into the live timeline and waits until the server has them. */
async function seedStory(
  baseURL: string,
  token: string,
  timelineId: string,
  request: import('@playwright/test').APIRequestContext,
): Promise<Seeded> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(
    `${baseURL.replace(/^http/, 'ws')}/collab`,
    timelineId,
    doc,
    {
      params: { token },
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    },
  );
  await new Promise<void>((resolve) => {
    const handle = (synced: boolean) => {
      if (synced) {
        provider.off('sync', handle);
        resolve();
      }
    };
    provider.on('sync', handle);
  });
  let ids!: Seeded;
  doc.transact(() => {
    const politics = createLane(doc, { title: 'Politics' });
    const military = createLane(doc, { title: 'Military' });
    const at = (day: string) => `2019-${day}T00:00:00.000Z`;
    const point = (title: string, lane: string, start: string, extra: object = {}) =>
      createEvent(doc, { title, kind: 'point', lane, start, ...extra });
    ids = {
      summit: point('Hanoi summit', politics, at('02-27'), {
        tags: ['diplomacy'],
        confidence: 'high',
      }),
      launch: point('Missile launch', military, at('05-04'), { confidence: 'low' }),
      drill: point('Artillery drill', military, at('07-25'), { tags: ['border'] }),
      incident: point('Border incident', military, at('08-10'), { tags: ['border'] }),
      trade: point('Trade talks', politics, at('10-05')),
      rumour: point('Sanctions relief rumour', politics, at('12-01')),
    };
    addSource(doc, ids.summit, { title: 'Summit ends early', publisher: 'Reuters' });
    addSource(doc, ids.summit, { title: 'Talks collapse', publisher: 'AP' });
    addSource(doc, ids.launch, {
      title: 'Launch statement',
      publisher: 'KCNA',
      excerpt: 'a transporter erector launcher was seen',
    });
    // Two sources, one publisher: still single-source.
    addSource(doc, ids.drill, { title: 'Drill seen', publisher: 'Yonhap' });
    addSource(doc, ids.drill, { title: 'Drill continues', publisher: ' yonhap ' });
    addSource(doc, ids.trade, { title: 'Trade', url: 'https://www.bbc.co.uk/news/1' });
    addSource(doc, ids.rumour, { title: 'Rumour', publisher: 'AP' });
    addSource(doc, ids.rumour, { title: 'Rumour denied', url: 'https://bbc.co.uk/news/2' });
  });
  await expect
    .poll(async () => {
      const response = await request.get(`/api/timelines/${timelineId}/export?format=json`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return ((await response.json()) as { events: unknown[] }).events.length;
    })
    .toBe(6);
  provider.destroy();
  doc.destroy();
  return ids;
}

/** The event ids in the list, in any order. */
async function listed(page: Page): Promise<string[]> {
  const ids = await page
    .locator('[data-testid=event-table] tbody tr')
    .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-event-id') ?? ''));
  return ids.sort();
}

/** The event ids drawn on the axis. */
async function onAxis(page: Page): Promise<string[]> {
  const ids = await page
    .locator('.vis-item .vis-item-content [data-event-id]')
    .evaluateAll((items) => items.map((item) => item.getAttribute('data-event-id') ?? ''));
  return [...new Set(ids)].sort();
}

async function expectShown(page: Page, ids: string[], total = 6) {
  const sorted = [...ids].sort();
  await expect.poll(() => listed(page)).toEqual(sorted);
  await expect.poll(() => onAxis(page)).toEqual(sorted);
  await expect(page.getByTestId('filter-count')).toHaveText(`${ids.length} of ${total} events`);
}

test('search and filters narrow the axis and the list, live in the URL, survive reload and walk with back/forward', async ({
  page,
  request,
  auth,
  baseURL,
  createTimeline,
}) => {
  const id = await createTimeline('Search story');
  const e = await seedStory(baseURL!, auth.token, id, request);

  // A link with a search: a source's excerpt matches.
  await page.goto(`/t/${id}?q=launcher`);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
  await expectShown(page, [e.launch]);
  const search = page.getByRole('searchbox', { name: 'Search events' });
  await expect(search).toHaveValue('launcher');
  // The "/" shortcut reaches the box from anywhere on the page that is not a field.
  await page.getByRole('region', { name: 'Timeline' }).click({ position: { x: 5, y: 5 } });
  await expect(search).not.toBeFocused();
  await page.keyboard.press('/');
  await expect(search).toBeFocused();

  // A pause after a space (the URL catches up) must not eat the space before the next word.
  await search.fill('');
  await search.pressSequentially('drill ');
  await expect(page).toHaveURL(/[?&]q=drill(&|$)/);
  await search.pressSequentially('-x');
  await expect(search).toHaveValue('drill -x');
  await expectShown(page, [e.drill]);

  // Typing: results as you type (tags and titles), the URL follows.
  await search.fill('bord');
  await expectShown(page, [e.drill, e.incident]);
  await expect(page).toHaveURL(/[?&]q=bord(&|$)/);

  // A discrete filter: single-source only → the border event with one publisher.
  await page.getByRole('button', { name: 'Single-source only' }).click();
  await expectShown(page, [e.drill]);
  await expect(page).toHaveURL(/single=1/);

  await page.reload();
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
  await expectShown(page, [e.drill]);
  await expect(search).toHaveValue('bord');
  await expect(page.getByRole('list', { name: 'Active filters' })).toContainText(
    'Single-source only',
  );

  await page.goBack();
  await expectShown(page, [e.drill, e.incident]);
  await page.goForward();
  await expectShown(page, [e.drill]);

  // Clear all, then single-source only alone: exactly the events with one independent publisher
  // (two sources from one publisher count once; a host name stands in for a missing publisher).
  await page.getByRole('button', { name: 'Clear all' }).click();
  await expect(page.getByTestId('filter-count')).toHaveText('6 events');
  await expect(search).toHaveValue('');
  await page.getByRole('button', { name: 'Single-source only' }).click();
  await expectShown(page, [e.launch, e.drill, e.trade]);

  // Filters from the menu combine with it; a chip removes one.
  await page.locator('.filter-menu > summary').click();
  await page.getByRole('group', { name: 'Lane' }).getByLabel('Military').check();
  await expectShown(page, [e.launch, e.drill]);
  await page.getByRole('group', { name: 'Confidence' }).getByLabel('Low').check();
  // Each choice reads on one line (the page's input width once squeezed labels letter by letter).
  const label = page.getByRole('group', { name: 'Confidence' }).getByText('Not assessed');
  expect((await label.boundingBox())!.height).toBeLessThan(24);
  await expectShown(page, [e.launch]);
  await page.screenshot({ path: 'test-results/screens/search-filters-1280.png' });
  await page.locator('.filter-menu > summary').click();
  await page.getByRole('button', { name: 'Remove filter Confidence: Low' }).click();
  await expectShown(page, [e.launch, e.drill]);

  // Dim instead of hide: every event stays, the others are faded on the axis and in the list.
  await page.getByLabel('Dim instead of hide').check();
  await expect.poll(() => listed(page)).toEqual(Object.values(e).sort());
  await expect(page.getByTestId('filter-count')).toHaveText('2 of 6 events');
  await expect(tableRow(page, e.summit)).toHaveClass(/dimmed/);
  await expect(tableRow(page, e.launch)).not.toHaveClass(/dimmed/);
  // The window stays where the filters put it; "Fit" shows all six, four of them faded.
  await page.getByRole('button', { name: 'Fit', exact: true }).click();
  await expect.poll(() => onAxis(page)).toEqual(Object.values(e).sort());
  await expect(page.locator('.vis-item.vis-point.cb-dimmed')).toHaveCount(4);
  await expect(page.locator('.vis-item.vis-point:not(.cb-dimmed)')).toHaveCount(2);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: 'test-results/screens/search-filters-390.png', fullPage: true });
  await page.locator('.filter-menu > summary').click();
  await page.screenshot({ path: 'test-results/screens/search-menu-390.png' });
  await page.locator('.filter-menu > summary').click();
  await page.setViewportSize({ width: 1280, height: 800 });

  // Junk in a link is named and ignored; the rest applies.
  await page.goto(`/t/${id}?q=summit&minSources=abc&confidence=certain&from=2019-02-30`);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
  await expectShown(page, [e.summit]);
  const notice = page.getByRole('status').filter({ hasText: 'Ignored from the link' });
  await expect(notice).toContainText('minSources=abc');
  await expect(notice).toContainText('confidence=certain');
  await expect(notice).toContainText('from=2019-02-30');

  // Changed since (from the activity log): all six were written today, none tomorrow.
  const day = (offset: number) =>
    new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  await page.goto(`/t/${id}?changed=${day(0)}`);
  await expect(page.getByTestId('filter-count')).toHaveText('6 of 6 events');
  await page.goto(`/t/${id}?changed=${day(1)}`);
  await expect(page.getByTestId('filter-count')).toHaveText('0 of 6 events');
  await expect(page.getByText('No events match the search and filters.')).toBeVisible();
});

test('a view saved by an editor appears live for a viewer, who applies it', async ({
  request,
  auth,
  baseURL,
  createTimeline,
  contextAs,
}) => {
  const id = await createTimeline('Views story');
  const e = await seedStory(baseURL!, auth.token, id, request);
  const a = await (await contextAs('Ana Lim')).newPage();
  const v = await (await contextAs('Vera Viewer')).newPage();
  await openTimeline(a, id);
  // Viewers land on the dashboard; `view=timeline` opens the read-only timeline.
  await openTimeline(v, id, '?view=timeline');
  await v.locator('.saved-views > summary').click();
  await expect(v.getByText('No saved views yet.')).toBeVisible();
  // A viewer applies views but cannot save them.
  await expect(v.getByRole('button', { name: 'Save view' })).toHaveCount(0);

  await a.goto(`/t/${id}?tag=border&minSources=1`);
  await expect(a.getByTestId('filter-count')).toHaveText('1 of 6 events');
  await a.locator('.saved-views > summary').click();
  await a.getByLabel('View name').fill('Sourced border events');
  await a.getByRole('button', { name: 'Save view' }).click();
  await expect(a.getByRole('list', { name: 'Saved views' })).toContainText('Sourced border events');

  const saved = v.getByRole('list', { name: 'Saved views' }).getByRole('button', {
    name: 'Sourced border events',
  });
  await expect(saved).toBeVisible();
  await saved.click();
  await expectShown(v, [e.drill]);
  await expect(v).toHaveURL(/tag=border/);
  await expect(v).toHaveURL(/minSources=1/);
  await v.screenshot({ path: 'test-results/screens/search-saved-view.png' });
});
