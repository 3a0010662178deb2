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
