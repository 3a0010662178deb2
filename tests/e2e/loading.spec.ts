/**
 * What a first visit shows before the document has arrived (a big timeline takes seconds): the
 * timeline's own title and how many events are coming, never "Untitled timeline" or "No events
 * yet" for a timeline that has events. The server's answer is held back by the test (Playwright's
 * WebSocket routing), so the loading state lasts until the test has looked.
 */
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test } from './fixtures';

const COUNT = 30;

/** Imports COUNT events into timeline `id` through the API. */
async function importEvents(request: APIRequestContext, token: string, id: string, title: string) {
  const rows = ['title,start'];
  for (let i = 0; i < COUNT; i++) {
    rows.push(`${title} ${i},2019-02-${String((i % 28) + 1).padStart(2, '0')}`);
  }
  const response = await request.post(`/api/timelines/${id}/import?format=csv`, {
    data: rows.join('\n'),
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
  });
  expect(response.status()).toBe(200);
}

/**
 * Holds what the collaboration server says to `page` until the returned function is called;
 * what the page says goes through.
 */
async function holdServerMessages(page: Page): Promise<() => void> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.routeWebSocket(/\/collab\//, (ws) => {
    const server = ws.connectToServer();
    server.onMessage((message) => {
      void released.then(() => ws.send(message));
    });
  });
  return release;
}

test('a first visit says the events are loading, with the title and count, until they arrive', async ({
  page,
  request,
  auth,
  createTimeline,
}) => {
  const id = await createTimeline('Border outages');
  await importEvents(request, auth.token, id, 'Outage');
  const release = await holdServerMessages(page);
  await page.goto(`/t/${id}`);

  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'connecting');
  await expect(page.getByTestId('timeline-title')).toHaveText('Border outages');
  await expect(page.getByTestId('events-loading')).toHaveText(`Loading ${COUNT} events…`);
  await expect(page.getByTestId('filter-count')).toHaveText('Loading…');
  await expect(page.getByText('No events yet')).toHaveCount(0);
  await expect(page.getByText('Untitled timeline')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/screens/loading-first-visit.png' });

  release();
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
  await expect(page.locator('[data-testid=event-table] tr[data-event-id]')).toHaveCount(COUNT);
  await expect(page.getByTestId('filter-count')).toHaveText(`${COUNT} events`);
  await expect(page.getByTestId('events-loading')).toHaveCount(0);
  await expect(page.getByTestId('timeline-title')).toHaveText('Border outages');
});

test('a manager’s first look at the dashboard says the timeline is loading, not empty', async ({
  page,
  request,
  auth,
  createTimeline,
}) => {
  const id = await createTimeline('Summit watch');
  await importEvents(request, auth.token, id, 'Talks');
  const release = await holdServerMessages(page);
  await page.goto(`/t/${id}/dashboard`);

  await expect(page.getByTestId('dashboard-loading')).toContainText(`Loading ${COUNT} events…`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Summit watch');
  await expect(page.getByText('Untitled timeline')).toHaveCount(0);
  await expect(page.getByTestId('dashboard-empty')).toHaveCount(0);
  // No zeros that read as facts while nothing has arrived.
  await expect(page.getByTestId('figure-events')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/screens/loading-dashboard.png' });

  release();
  await expect(page.getByTestId('dashboard-loading')).toHaveCount(0);
  await expect(page.getByTestId('dashboard-empty')).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Summit watch');
  await expect(page.getByTestId('by-lane')).toBeVisible();
  await expect(page.getByTestId('figure-events')).toContainText(String(COUNT));
});

test('the connection opens while the editor’s code is still on its way, and only one is opened', async ({
  page,
  createTimeline,
}) => {
  const id = await createTimeline('Early connection');
  const sockets: string[] = [];
  let socketOpened!: () => void;
  const socketSeen = new Promise<void>((resolve) => {
    socketOpened = resolve;
  });
  page.on('websocket', (socket) => {
    if (!socket.url().includes('/collab/')) return;
    sockets.push(socket.url());
    socketOpened();
  });
  // vis-timeline's code (the editor's biggest part) is held back until the page has opened its
  // collaboration socket: a page that opened it only from the editor would never get there.
  let held = 0;
  await page.route(/\/_next\/static\/chunks\/.*\.js$/, async (route) => {
    const response = await route.fetch();
    const body = await response.text();
    if (body.includes('vis-item-overflow')) {
      held++;
      await socketSeen;
    }
    await route.fulfill({ response, body });
  });
  await page.goto(`/t/${id}`);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('timeline').locator('.vis-timeline')).toBeVisible();
  expect(held).toBeGreaterThan(0);
  // The editor took the page's connection rather than opening a second one.
  expect(sockets).toHaveLength(1);
});

/** Sync messages a page's collaboration socket sent and received (y-websocket's type 0). */
function recordSync(page: Page) {
  const record = { step1Sent: [] as Buffer[], step2Received: [] as Buffer[], socketAt: 0 };
  page.on('websocket', (socket) => {
    if (!socket.url().includes('/collab/')) return;
    record.socketAt = Date.now();
    socket.on('framesent', ({ payload }) => {
      if (typeof payload !== 'string' && payload[0] === 0 && payload[1] === 0) {
        record.step1Sent.push(payload);
      }
    });
    socket.on('framereceived', ({ payload }) => {
      if (typeof payload !== 'string' && payload[0] === 0 && payload[1] === 1) {
        record.step2Received.push(payload);
      }
    });
  });
  return record;
}

test('a first visit asks for the document from its HTML, before any of its code has loaded, and gets it once', async ({
  page,
  request,
  auth,
  createTimeline,
}) => {
  const id = await createTimeline('Early document');
  await importEvents(request, auth.token, id, 'Early');
  const sync = recordSync(page);
  // Every script file of the page is held until the document has arrived: only the HTML's own
  // script can have asked for it.
  let documentIn!: () => void;
  const arrived = new Promise<void>((resolve) => {
    documentIn = resolve;
  });
  const timer = setInterval(() => {
    if (sync.step2Received.some((payload) => payload.length > 1_000)) documentIn();
  }, 20);
  let held = 0;
  await page.route(/\/_next\/static\/chunks\/.*\.js$/, async (route) => {
    held++;
    await arrived;
    await route.continue();
  });
  try {
    await page.goto(`/t/${id}`, { waitUntil: 'commit' });
    await arrived;
  } finally {
    clearInterval(timer);
  }
  expect(held).toBeGreaterThan(0);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('filter-count')).toContainText(String(COUNT));
  await expect(page.locator('.vis-item', { hasText: 'Early 0' }).first()).toBeVisible();
  // One socket asked once for everything (an empty state vector); the page's own sync step 1,
  // the same question, was not sent again, and the document came once.
  expect(sync.step1Sent.map((payload) => [...payload])).toEqual([[0, 0, 1, 0]]);
  expect(sync.step2Received.filter((payload) => payload.length > 1_000)).toHaveLength(1);
});

test('a reload with the timeline kept in the browser asks only for what the copy lacks', async ({
  page,
  request,
  auth,
  createTimeline,
}) => {
  const id = await createTimeline('Kept copy');
  await importEvents(request, auth.token, id, 'Kept');
  await page.goto(`/t/${id}`);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('filter-count')).toContainText(String(COUNT));
  const first = await page.evaluate(async (name) => {
    // The copy is written in the background: wait until it holds the document.
    for (let attempt = 0; attempt < 100; attempt++) {
      const count = await new Promise<number>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const request = db.transaction('updates').objectStore('updates').count();
          request.onsuccess = () => {
            db.close();
            resolve(request.result);
          };
        };
      });
      if (count > 0) return count;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return 0;
  }, `chronoboard:${id}`);
  expect(first).toBeGreaterThan(0);

  const sync = recordSync(page);
  await page.reload();
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('filter-count')).toContainText(String(COUNT));
  // The early socket asked nothing; the page asked with the copy's state vector, and the answer
  // was not the document again.
  expect(sync.step1Sent).toHaveLength(1);
  expect([...sync.step1Sent[0]!]).not.toEqual([0, 0, 1, 0]);
  expect(sync.step2Received).toHaveLength(1);
  expect(sync.step2Received[0]!.length).toBeLessThan(100);
});
