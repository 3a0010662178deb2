/**
 * Big timelines (issue #15): the axis draws only what is in view, with counted bands for crowded
 * lanes that split as you zoom, and the event list is a virtualised table. 3,000 events imported
 * through the API: enough for bands and virtual rows, quick to seed.
 */
import type { APIRequestContext, Page, WebSocketRoute } from '@playwright/test';
import { expect, openTimeline, tableRow, test } from './fixtures';

const COUNT = 3000;

/** Imports `count` events (csvOfEvents) into timeline `id` through the API. */
async function importEvents(request: APIRequestContext, token: string, id: string, count: number) {
  const response = await request.post(`/api/timelines/${id}/import?format=csv`, {
    data: csvOfEvents(count),
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
  });
  expect(response.status()).toBe(200);
}

function csvOfEvents(count: number): string {
  const rows = ['title,start,lane'];
  for (let i = 0; i < count; i++) {
    // Every 20 minutes over ~6 weeks, in two lanes: far too many to draw side by side.
    const start = new Date(Date.UTC(2024, 0, 1) + i * 20 * 60_000).toISOString();
    rows.push(`Big ${i},${start},${i % 2 ? 'North' : 'South'}`);
  }
  return rows.join('\n');
}

test('a crowded timeline shows counted bands that zoom in, and a virtualised list', async ({
  page,
  request,
  auth,
  createTimeline,
}) => {
  test.setTimeout(120_000);
  const id = await createTimeline('Big timeline');
  await importEvents(request, auth.token, id, COUNT);
  await openTimeline(page, id);
  const timeline = page.getByTestId('timeline');

  // Fitted on six weeks: bands with counts, only a few hundred vis items, and every event is
  // either drawn or counted in a band.
  const bands = timeline.locator('[data-cluster-count]');
  await expect(bands.first()).toBeVisible();
  const census = () =>
    page.evaluate(() => {
      const counts = [...document.querySelectorAll('[data-cluster-count]')].map((band) =>
        Number(band.getAttribute('data-cluster-count')),
      );
      return {
        items: document.querySelectorAll('[data-testid=timeline] .vis-item').length,
        bands: counts.length,
        inBands: counts.reduce((sum, count) => sum + count, 0),
        events: document.querySelectorAll('[data-testid=timeline] [data-event-id]').length,
      };
    });
  const fitted = await census();
  expect(fitted.items).toBeLessThan(400);
  expect(fitted.inBands).toBeGreaterThan(COUNT / 2);
  await expect(page.getByTestId('axis-legend')).toContainText('Events (click to zoom)');

  // A click on a band zooms in on it: the window narrows and events are drawn as themselves.
  const span = async () => {
    const start = await timeline.getAttribute('data-window-start');
    const end = await timeline.getAttribute('data-window-end');
    return Date.parse(end!) - Date.parse(start!);
  };
  const before = await span();
  await bands.first().click();
  await expect.poll(span).toBeLessThan(before / 5);
  // Bands split as the window narrows: a few more clicks and the events are drawn themselves.
  for (let click = 0; click < 5 && (await census()).bands > 0; click++) {
    const narrower = await span();
    await bands.first().click();
    await expect.poll(span).toBeLessThan(narrower);
  }
  await expect.poll(async () => (await census()).bands).toBe(0);
  expect((await census()).events).toBeGreaterThan(0);

  // Pick an event drawn on the axis: its row is selected.
  const item = timeline.locator('.vis-item .vis-item-content [data-event-id]').first();
  const eventId = await item.getAttribute('data-event-id');
  await item.click();
  const table = page.getByTestId('event-table');
  await expect(table.locator(`tr[data-event-id="${eventId}"]`)).toHaveAttribute(
    'aria-selected',
    'true',
  );

  // The list: a table that knows its length but renders only the rows in view.
  await expect(table).toHaveAttribute('aria-rowcount', String(COUNT + 1));
  const rendered = await table.locator('tbody tr[data-event-id]').count();
  expect(rendered).toBeGreaterThan(5);
  expect(rendered).toBeLessThan(200);
  // Scrolled to the end, the last events are there with their place in the whole list.
  await page.locator('.event-table-scroll').evaluate((frame) => {
    frame.scrollTop = frame.scrollHeight;
  });
  const last = table.locator(`tr[aria-rowindex="${COUNT + 1}"]`);
  await expect(last).toBeVisible();
  await expect(last).toContainText(`Big ${COUNT - 1}`);
  // A row's button still picks its event, and the axis moves to it: drawn as itself.
  const lastId = await last.getAttribute('data-event-id');
  await last.getByRole('button').click();
  await expect(last).toHaveAttribute('aria-selected', 'true');
  await expect(timeline.locator(`.vis-item-content [data-event-id="${lastId}"]`)).toBeVisible();
});

/** The updates of the timeline's document kept in this browser's IndexedDB (y-indexeddb's store). */
function storedUpdates(page: Page, timelineId: string): Promise<{ count: number; bytes: number }> {
  return page.evaluate(
    (name) =>
      new Promise<{ count: number; bytes: number }>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('updates')) {
            db.close();
            resolve({ count: 0, bytes: 0 });
            return;
          }
          const all = db.transaction('updates').objectStore('updates').getAll();
          all.onsuccess = () => {
            db.close();
            const updates = all.result as Uint8Array[];
            resolve({
              count: updates.length,
              bytes: updates.reduce((sum, update) => sum + update.byteLength, 0),
            });
          };
          all.onerror = () => reject(all.error);
        };
      }),
    `chronoboard:${timelineId}`,
  );
}

/**
 * Opens timeline `id` (`count` events) and waits until this browser's copy holds the whole
 * document (~1 MB); returns the list's heading count.
 */
async function openUntilStored(page: Page, id: string, count: number) {
  await openTimeline(page, id);
  const heading = page.locator('.table-section h2 .count');
  await expect(heading).toHaveText(String(count));
  await expect
    .poll(async () => (await storedUpdates(page, id)).bytes, { timeout: 30_000 })
    .toBeGreaterThan(500_000);
  return heading;
}

/**
 * A slow machine: every pause the page takes between two background tasks (applying a big
 * document's slices, reading its events) lasts `ms`.
 */
async function slowBackgroundTasks(page: Page, ms: number): Promise<void> {
  await page.addInitScript((delay) => {
    const page = window as unknown as {
      scheduler: { postTask(callback: () => unknown, options?: object): Promise<unknown> };
    };
    const postTask = page.scheduler.postTask.bind(page.scheduler);
    page.scheduler.postTask = (callback, options) =>
      new Promise((resolve) => setTimeout(resolve, delay)).then(() => postTask(callback, options));
  }, ms);
}

test('a big timeline arrives in slices and reopens from the browser copy before the server answers', async ({
  page,
  request,
  auth,
  createTimeline,
}) => {
  test.setTimeout(180_000);
  // More events than the page reads at once: the read of the stored copy is done in slices.
  const count = 6000;
  const id = await createTimeline('Big timeline, reopened');
  await importEvents(request, auth.token, id, count);
  const heading = await openUntilStored(page, id, count);
  // The server's first answer (the whole document, ~1 MB) was applied in slices of ~200 kB, one
  // task each: the copy holds one update per slice.
  expect((await storedUpdates(page, id)).count).toBeGreaterThan(3);

  // From now on the collaboration socket opens but the server never answers it.
  let holding = true;
  const held: WebSocketRoute[] = [];
  let sentWhileHeld = 0;
  await page.routeWebSocket(/\/collab\//, (ws) => {
    if (!holding) {
      ws.connectToServer();
      return;
    }
    held.push(ws);
    ws.onMessage(() => {
      sentWhileHeld++;
    });
  });
  await page.reload();
  const badge = page.getByTestId('connection-state');
  const timeline = page.getByTestId('timeline');
  // The timeline is drawn from the stored copy: every event counted, bands on the axis, the
  // list complete — while the connection is still waiting for the server's first answer.
  await expect(heading).toHaveText(String(count), { timeout: 30_000 });
  await expect(timeline.locator('[data-cluster-count]').first()).toBeVisible();
  await expect(page.locator('[data-testid=event-table]')).toHaveAttribute(
    'aria-rowcount',
    String(count + 1),
  );
  await expect(page.getByTestId('reading-events')).toHaveCount(0);
  await expect(badge).toHaveAttribute('data-state', 'connecting');
  expect(held.length).toBeGreaterThan(0);
  expect(sentWhileHeld).toBeGreaterThan(0);

  // The server is let through: the page goes live with the same events.
  holding = false;
  for (const ws of held) await ws.close();
  await expect(badge).toHaveAttribute('data-state', 'live', { timeout: 30_000 });
  await expect(heading).toHaveText(String(count));
});

/** Whether some update kept in this browser's copy of the timeline holds `text` (UTF-8). */
function storedCopyHolds(page: Page, timelineId: string, text: string): Promise<boolean> {
  return page.evaluate(
    ([name, wanted]) =>
      new Promise<boolean>((resolve, reject) => {
        const open = indexedDB.open(name!);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const all = db.transaction('updates').objectStore('updates').getAll();
          all.onsuccess = () => {
            db.close();
            const needle = new TextEncoder().encode(wanted);
            const holds = (update: Uint8Array) => {
              outer: for (let at = 0; at + needle.length <= update.length; at++) {
                for (let i = 0; i < needle.length; i++) {
                  if (update[at + i] !== needle[i]) continue outer;
                }
                return true;
              }
              return false;
            };
            resolve((all.result as Uint8Array[]).some(holds));
          };
          all.onerror = () => reject(all.error);
        };
      }),
    [`chronoboard:${timelineId}`, text],
  );
}

test('an edit made between two slices of a big update reaches the server and the browser copy', async ({
  contextAs,
  request,
  auth,
  createTimeline,
}) => {
  test.setTimeout(180_000);
  const id = await createTimeline('Edited while a big import arrives');
  const context = await contextAs('Ana Lim');
  // The page yields to the browser between two slices (a background task, scheduler.postTask):
  // the test can hold the next slice back, so that an edit is made in the middle of a big update
  // for sure.
  await context.addInitScript(() => {
    const page = window as unknown as {
      scheduler: { postTask(callback: () => unknown, options?: object): Promise<unknown> };
      __holdNextYield?: boolean;
      __held?: number;
      __release?: () => void;
    };
    const postTask = page.scheduler.postTask.bind(page.scheduler);
    page.__held = 0;
    page.scheduler.postTask = (callback, options) => {
      if (!page.__holdNextYield) return postTask(callback, options);
      page.__holdNextYield = false;
      page.__held! += 1;
      return new Promise((resolve) => {
        page.__release = () => resolve(callback());
      });
    };
  });
  try {
    const a = await context.newPage();
    await openTimeline(a, id);
    const save = a.getByTestId('save-state');
    await a.getByRole('button', { name: '+ Add event' }).click();
    const row = a.locator('[data-testid=event-table] tr[data-event-id]');
    const eventId = (await row.getAttribute('data-event-id'))!;
    await expect(save).toHaveText('Live · saved');

    // Someone imports 6,000 events: ~1 MB reaches this page as one update, applied in slices.
    await a.evaluate(() => {
      (window as unknown as { __holdNextYield: boolean }).__holdNextYield = true;
    });
    const imported = await request.post(`/api/timelines/${id}/import?format=csv`, {
      data: csvOfEvents(6000),
      headers: { authorization: `Bearer ${auth.token}`, 'content-type': 'text/csv' },
    });
    expect(imported.status()).toBe(200);
    // The first slice is applied and the page waits before the next one: now the person types.
    await expect
      .poll(() => a.evaluate(() => (window as unknown as { __held: number }).__held))
      .toBe(1);
    await a.getByTestId('event-panel').getByLabel('Title').fill('Typed between slices');
    // The edit is sent and confirmed as saved while the rest of the update still waits.
    await expect(save).toHaveAttribute('data-unsaved', '0');
    await expect(save).toHaveText('Live · saved');
    await expect.poll(() => storedCopyHolds(a, id, 'Typed between slices')).toBe(true);
    await a.evaluate(() => (window as unknown as { __release: () => void }).__release());

    // The rest of the update arrives: every event is there, the edit too.
    await expect(a.locator('.table-section h2 .count')).toHaveText('6001', { timeout: 60_000 });
    await expect(tableRow(a, eventId)).toContainText('Typed between slices');
    const exported = await (await a.request.get(`/api/timelines/${id}/export?format=json`)).json();
    const events = exported.events as { id: string; title: string }[];
    expect(events).toHaveLength(6001);
    expect(events.find((event) => event.id === eventId)?.title).toBe('Typed between slices');
    // And the browser copy holds the whole import as well as the edit.
    await expect
      .poll(async () => (await storedUpdates(a, id)).bytes, { timeout: 30_000 })
      .toBeGreaterThan(500_000);
    expect(await storedCopyHolds(a, id, 'Big 5999')).toBe(true);
    expect(await storedCopyHolds(a, id, 'Typed between slices')).toBe(true);
  } finally {
    await context.close();
  }
});

/**
 * The page at one moment (a big document arriving changes it between two reads): how many events
 * the axis shows — drawn as themselves or counted in a band —, the arrival note, the connection
 * state, the list's and filter's counts, and whether an event can be added.
 */
function readAxis(page: Page) {
  return page.evaluate(() => {
    const text = (selector: string) => document.querySelector(selector)?.textContent ?? null;
    const counts = [...document.querySelectorAll('[data-cluster-count]')].map((band) =>
      Number(band.getAttribute('data-cluster-count')),
    );
    const add = [...document.querySelectorAll('button')].find(
      (button) => button.textContent === '+ Add event',
    );
    return {
      shown:
        counts.reduce((sum, n) => sum + n, 0) +
        document.querySelectorAll('[data-testid=timeline] .vis-item [data-event-id]').length,
      bands: counts.length,
      note: text('[data-testid=arrival-note]'),
      state: document.querySelector('[data-testid=connection-state]')?.getAttribute('data-state'),
      eventsLoading: text('[data-testid=events-loading]'),
      filterCount: text('[data-testid=filter-count]'),
      canAdd: add ? !add.disabled : null,
      // vis keeps its root hidden until its first draw.
      drawn: (() => {
        const root = document.querySelector('.vis-timeline');
        return root !== null && getComputedStyle(root).visibility === 'visible';
      })(),
    };
  });
}

/** How many events the axis shows: drawn as themselves, or counted in a band. */
async function eventsOnAxis(page: Page): Promise<number> {
  return (await readAxis(page)).shown;
}

/**
 * Waits until the axis shows a part (or preview) of a big document still arriving, as its note
 * says (`note` matches it, its first group is the count shown), and returns that moment's page.
 */
async function waitForPart(page: Page, note: RegExp) {
  let seen: Awaited<ReturnType<typeof readAxis>> | null = null;
  let last: Awaited<ReturnType<typeof readAxis>> | null = null;
  await expect
    .poll(
      async () => {
        const read = await readAxis(page);
        last = read;
        const noted = read.note?.match(note)?.[1];
        if (noted === undefined) return false;
        seen = read;
        return read.drawn && read.bands > 0 && Number(noted.replace(/,/g, '')) === read.shown;
      },
      {
        timeout: 30_000,
        message: `a part on the axis, as its note says (last seen: ${JSON.stringify(last)})`,
      },
    )
    .toBe(true);
  return seen!;
}

/** Until the whole document is in: the list and the counts wait, and nothing can be edited. */
function expectArrivingReadOnly(seen: Awaited<ReturnType<typeof readAxis>>, count: number) {
  expect(seen.state).toBe('connecting');
  expect(seen.eventsLoading).toBe(`Loading ${count.toLocaleString('en-US')} events…`);
  expect(seen.filterCount).toBe('Loading…');
  expect(seen.canAdd).toBe(false);
}

/**
 * A first visit to a big timeline on a slow page: each pause between two slices of the server's
 * answer (~1 MB, applied in slices of ~200 kB) lasts 400 ms, so the whole answer takes seconds
 * to apply on the page's thread. `worker: false` takes Web Workers away from the page.
 */
async function openFirstVisitSlowly(page: Page, id: string, worker: boolean) {
  if (worker) await withSpareCores(page);
  else {
    await page.addInitScript(() => {
      (window as unknown as { Worker?: unknown }).Worker = undefined;
    });
  }
  const workers: string[] = [];
  page.on('worker', (started) => workers.push(started.url()));
  await slowBackgroundTasks(page, 400);
  await page.goto(`/t/${id}`);
  return workers;
}

/** The preview worker runs with cores to spare (preview.ts): this machine may have two. */
async function withSpareCores(page: Page) {
  await page.addInitScript(() => {
    Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => 8 });
  });
}

/** Then everything: live, every event counted, listed and on the axis, editable. */
async function expectWholeAndEditable(page: Page, count: number) {
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live', {
    timeout: 60_000,
  });
  await expect(page.locator('.table-section h2 .count')).toHaveText(String(count));
  await expect(page.getByTestId('events-loading')).toHaveCount(0);
  await expect(page.getByTestId('arrival-note')).toHaveCount(0);
  await expect(page.getByRole('button', { name: '+ Add event' })).toBeEnabled();
  expect(await eventsOnAxis(page)).toBe(count);
}

test('a first visit to a big timeline draws every event from a worker’s preview while the page applies them', async ({
  page,
  request,
  auth,
  createTimeline,
}) => {
  test.setTimeout(180_000);
  const count = 6000;
  const title = 'Big timeline, previewed';
  const id = await createTimeline(title);
  await importEvents(request, auth.token, id, count);
  const workers = await openFirstVisitSlowly(page, id, true);

  // The worker read the whole answer while the page's thread is still applying it (seconds, at
  // this pace): every event is on the axis (drawn or counted in a band), read-only.
  const seen = await waitForPart(page, /^All ([\d,]+) events shown; editing opens in a moment…$/);
  expect(seen.shown).toBe(count);
  expectArrivingReadOnly(seen, count);
  await expect(page.getByTestId('timeline-title')).toHaveText(title);
  expect(workers).toHaveLength(1);
  await page.screenshot({ path: 'test-results/screens/big-first-visit-preview.png' });

  await expectWholeAndEditable(page, count);
});

test('with two cores or fewer, a first visit starts no preview worker (it would slow the page)', async ({
  page,
  request,
  auth,
  createTimeline,
}) => {
  test.setTimeout(120_000);
  const count = 6000;
  const id = await createTimeline('Big timeline, two cores');
  await importEvents(request, auth.token, id, count);
  await page.addInitScript(() => {
    Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => 2 });
  });
  const workers: string[] = [];
  page.on('worker', (started) => workers.push(started.url()));
  await page.goto(`/t/${id}`);
  await expectWholeAndEditable(page, count);
  expect(workers).toEqual([]);
});

test('without a worker, a first visit to a big timeline shows the events arrived so far, read-only, while the rest arrives', async ({
  page,
  request,
  auth,
  createTimeline,
}) => {
  test.setTimeout(180_000);
  const count = 6000;
  const title = 'Big timeline, first visit';
  const id = await createTimeline(title);
  await importEvents(request, auth.token, id, count);
  const workers = await openFirstVisitSlowly(page, id, false);

  // Before the whole answer is in: the axis shows the events already applied (bands with counts
  // and events), fitted to them, and says how many they are.
  const seen = await waitForPart(
    page,
    /^Showing the first ([\d,]+) of 6,000 events; the rest is arriving…$/,
  );
  expect(seen.shown).toBeGreaterThan(0);
  expect(seen.shown).toBeLessThan(count);
  expectArrivingReadOnly(seen, count);
  await expect(page.getByTestId('timeline-title')).toHaveText(title);
  expect(workers).toEqual([]);
  await page.screenshot({ path: 'test-results/screens/big-first-visit-partial.png' });

  await expectWholeAndEditable(page, count);
  await page.screenshot({ path: 'test-results/screens/big-first-visit-whole.png' });
});

test('a reload applies the browser copy in slices: its first part shows while the rest loads', async ({
  page,
  request,
  auth,
  createTimeline,
}) => {
  test.setTimeout(180_000);
  const count = 6000;
  const id = await createTimeline('Big timeline, reloaded slowly');
  await importEvents(request, auth.token, id, count);
  const heading = await openUntilStored(page, id, count);

  // The server does not answer, and each pause between two tasks applying the copy lasts 1 s (a
  // slow machine: the page shows a part when the rest should take ≥ 0.6 s more at that pace).
  await page.routeWebSocket(/\/collab\//, () => {});
  await slowBackgroundTasks(page, 1000);
  await page.reload({ waitUntil: 'commit' });
  // Drawn, not only in the page: the axis and its bands are visible, and hold what the note says.
  const seen = await waitForPart(
    page,
    /^Showing the first ([\d,]+) of 6,000 events; the rest is arriving…$/,
  );
  expect(seen.shown).toBeGreaterThan(0);
  expect(seen.shown).toBeLessThan(count);
  await expect(page.getByTestId('timeline').locator('[data-cluster-count]').first()).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/big-reload-partial.png' });

  // Then the whole copy, before the server has said anything.
  await expect(heading).toHaveText(String(count), { timeout: 60_000 });
  await expect(page.getByTestId('arrival-note')).toHaveText('Loading the latest version…');
  expect(await eventsOnAxis(page)).toBe(count);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'connecting');
});
