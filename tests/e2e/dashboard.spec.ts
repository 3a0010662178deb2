/**
 * The managers' dashboard: a viewer lands on it, sees an analyst's edit in the figures and the
 * feed within a second without reloading, has no edit controls, and a write forced from the page
 * is refused; a histogram bar narrows the timeline and the figures (mouse and keyboard); what
 * changed between two visits is marked, for an account (server) and a view-link visitor (browser).
 */

import type { Page } from '@playwright/test';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import {
  createEvent,
  createLane,
  deleteEvent,
  type EventInput,
  readLanes,
  updateEvent,
} from '../../lib/timeline/model';
import { createApiToken } from '../integration/helpers/auth';
import { connectClient, waitFor, waitForSync } from '../integration/helpers/clients';
import { expect, openTimeline, test } from './fixtures';

const wsUrlOf = (baseURL: string) => `${baseURL.replace(/^http/, 'ws')}/collab`;

/** Writes lanes and events into a timeline as the person whose API token is given. */
async function seed(
  baseURL: string,
  token: string,
  timelineId: string,
  write: (doc: Y.Doc, lanes: { outages: string; diplomacy: string }) => void,
): Promise<void> {
  const client = connectClient(wsUrlOf(baseURL), timelineId, undefined, { token });
  try {
    await waitForSync(client);
    const outages = createLane(client.doc, { title: 'Outages', color: '#dc2626' });
    const diplomacy = createLane(client.doc, { title: 'Diplomacy', color: '#7c3aed' });
    write(client.doc, { outages, diplomacy });
    await waitFor(async () => {
      const response = await fetch(`${baseURL}/api/timelines/${timelineId}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return ((await response.json()) as { eventCount: number }).eventCount > 0;
    }, 'the seeded events saved');
  } finally {
    client.destroy();
  }
}

const point = (title: string, start: string, lane: string, more: Partial<EventInput> = {}) => ({
  title,
  kind: 'point' as const,
  start,
  lane,
  ...more,
});

const figure = (page: Page, key: string) => page.getByTestId(`figure-${key}`);

test('a manager watches live: an analyst’s edit shows within a second, nothing can be edited, a forced write is refused, a histogram bar narrows the page', async ({
  auth,
  baseURL,
  contextAs,
  createTimeline,
}, testInfo) => {
  test.setTimeout(120_000);
  const id = await createTimeline('Dashboard, live');
  await seed(baseURL!, auth.token, id, (doc, lanes) => {
    createEvent(doc, point('Outage at Sinuiju', '2019-02-18T00:00:00.000Z', lanes.outages));
    createEvent(
      doc,
      point('Talks announced', '2019-02-20T00:00:00.000Z', lanes.diplomacy, {
        confidence: 'high',
        sources: [
          { title: 'Wire', publisher: 'Reuters' },
          { title: 'Paper', publisher: 'Yonhap' },
        ],
      }),
    );
    createEvent(doc, point('Summit', '2019-02-27T00:00:00.000Z', lanes.diplomacy));
    createEvent(doc, point('Follow-up', '2019-06-12T00:00:00.000Z', lanes.diplomacy));
  });

  const analyst = await (await contextAs('Ana Lim')).newPage();
  await openTimeline(analyst, id);
  const managerContext = await contextAs('Vera Viewer');
  const manager = await managerContext.newPage();
  await manager.setViewportSize({ width: 1280, height: 800 });

  // An empty timeline's dashboard says so plainly, with zeroes rather than broken charts.
  const empty = await createTimeline('Nothing yet');
  await manager.goto(`/t/${empty}/dashboard`);
  await expect(manager.getByTestId('dashboard-empty')).toContainText('No events yet');
  await expect(figure(manager, 'events')).toHaveAttribute('data-value', '0');
  await manager.screenshot({ path: 'test-results/screens/dashboard-empty-1280x800.png' });

  // A viewer opening the timeline lands on its dashboard, with a way to the read-only timeline.
  await manager.goto(`/t/${id}`);
  await expect(manager).toHaveURL(new RegExp(`/t/${id}/dashboard$`));
  await expect(manager.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
  await expect(manager.getByTestId('open-timeline')).toHaveAttribute(
    'href',
    `/t/${id}?view=timeline`,
  );
  await expect(figure(manager, 'events')).toHaveAttribute('data-value', '4');
  await expect(figure(manager, 'attention')).toHaveAttribute('data-value', '3');
  await expect(manager.getByTestId('timeline').locator('.vis-item').first()).toBeVisible();
  // No edit controls anywhere: no add, share or history buttons, no text fields.
  await expect(manager.getByRole('button', { name: '+ Add event' })).toHaveCount(0);
  await expect(manager.getByRole('button', { name: 'Share' })).toHaveCount(0);
  await expect(manager.getByRole('textbox')).toHaveCount(0);
  await expect(manager.getByRole('combobox')).toHaveCount(0);

  // The analyst adds an event: figures and feed follow within a second, without a reload.
  await analyst.getByRole('button', { name: '+ Add event' }).click();
  const added = Date.now();
  await expect(figure(manager, 'events')).toHaveAttribute('data-value', '5', { timeout: 1_000 });
  await expect(figure(manager, 'attention')).toHaveAttribute('data-value', '4', {
    timeout: 1_000,
  });
  const feed = manager.getByTestId('feed');
  await expect(feed.locator('[data-action=created]', { hasText: 'New event' })).toHaveCount(1, {
    timeout: 1_000,
  });
  const latency = Date.now() - added;
  testInfo.annotations.push({ type: 'edit → dashboard', description: `${latency} ms` });
  console.log(`dashboard: an analyst's new event showed in the figures and feed in ${latency} ms`);
  // The activity log names who did it soon after (the server writes it about a second later).
  await expect(feed.locator('.feed-entry', { hasText: 'Ana Lim' })).toHaveCount(1);
  await expect(figure(manager, 'contributors')).toHaveAttribute('data-value', /[1-9]/);

  await manager.screenshot({ path: `test-results/screens/dashboard-1280x800.png` });
  await manager.setViewportSize({ width: 1920, height: 1080 });
  await manager.screenshot({ path: `test-results/screens/dashboard-1920x1080.png` });
  await manager.setViewportSize({ width: 390, height: 844 });
  await manager.screenshot({ path: `test-results/screens/dashboard-390x844.png`, fullPage: true });
  await manager.setViewportSize({ width: 1280, height: 800 });

  // A write forced from the dashboard's page, with the viewer's own session, is refused.
  const forged = new Y.Doc();
  forged.getMap('meta').set('title', 'Forged from the dashboard');
  const message = encoding.encode((encoder) => {
    encoding.writeVarUint(encoder, 0); // sync
    encoding.writeVarUint(encoder, 2); // update
    encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(forged));
  });
  const closeCode = await manager.evaluate(
    async ({ timelineId, bytes }) => {
      const ws = new WebSocket(`ws://${location.host}/collab/${timelineId}`);
      ws.binaryType = 'arraybuffer';
      return new Promise<number>((resolve) => {
        ws.onopen = () => {
          for (let i = 0; i < 5; i++) ws.send(new Uint8Array(bytes));
        };
        ws.onclose = (event) => resolve(event.code);
      });
    },
    { timelineId: id, bytes: Array.from(message) },
  );
  expect(closeCode).toBe(4403);
  const exported = await (await analyst.request.get(`/api/timelines/${id}/export`)).json();
  expect(exported.timeline.title).toBe('Dashboard, live');
  await expect(manager.getByTestId('timeline-title')).toContainText('Dashboard, live');

  // Clicking the last bar with events narrows the figures and the timeline to its range.
  const bars = manager.locator('[data-testid=histogram] g[data-index] rect');
  await expect(bars.first()).toBeVisible();
  const labels = await bars.evaluateAll((rects) =>
    rects.map((rect) => rect.getAttribute('aria-label') ?? ''),
  );
  const last = labels.findLastIndex((label) => !label.endsWith(': 0 events'));
  const count = Number(/: (\d+) events?$/.exec(labels[last]!)![1]);
  expect(count).toBeLessThan(5);
  await bars.nth(last).click();
  const range = manager.getByTestId('range');
  await expect(range).toContainText(labels[last]!.split(':')[0]!);
  await expect(figure(manager, 'events')).toHaveAttribute('data-value', String(count));
  const start = await range.getAttribute('data-start');
  const end = await range.getAttribute('data-end');
  const timeline = manager.getByTestId('timeline');
  await expect(timeline).toHaveAttribute('data-window-start', start!);
  await expect(timeline).toHaveAttribute('data-window-end', end!);
  await expect(timeline.locator('[data-event-id]', { hasText: 'Outage at Sinuiju' })).toHaveCount(
    0,
  );
  // Enter on the focused bar chooses it again, which goes back to the whole timeline.
  await bars.nth(last).focus();
  await manager.keyboard.press('Enter');
  await expect(range).toHaveAttribute('data-start', '');
  await expect(figure(manager, 'events')).toHaveAttribute('data-value', '5');

  // A figure lists its events.
  await figure(manager, 'attention').click();
  await expect(manager.getByTestId('event-list').locator('.event-row')).toHaveCount(4);

  // Wall screen: the same figures, large, with nothing to click.
  await manager.setViewportSize({ width: 1920, height: 1080 });
  await manager.goto(`/t/${id}/dashboard?wall=1`);
  await expect(manager.getByTestId('dashboard')).toHaveAttribute('data-wall', 'true');
  await expect(figure(manager, 'events')).toHaveAttribute('data-value', '5');
  await expect(manager.getByRole('link')).toHaveCount(0);
  await expect(manager.locator('button:enabled')).toHaveCount(0);
  await manager.screenshot({ path: 'test-results/screens/dashboard-wall-1920x1080.png' });
});

test('what changed between two visits is marked, for an account and for a view-link visitor', async ({
  auth,
  baseURL,
  browser,
  contextAs,
  createTimeline,
}) => {
  test.setTimeout(120_000);
  const id = await createTimeline('Since your last visit');
  const ids: Record<string, string> = {};
  await seed(baseURL!, auth.token, id, (doc, lanes) => {
    ids.stays = createEvent(doc, point('Stays', '2019-02-18T00:00:00.000Z', lanes.outages));
    ids.renamed = createEvent(
      doc,
      point('Renamed later', '2019-02-19T00:00:00.000Z', lanes.outages),
    );
    ids.deleted = createEvent(
      doc,
      point('Deleted later', '2019-02-20T00:00:00.000Z', lanes.outages),
    );
  });
  const since = (page: Page) => page.getByTestId('since-visit');

  // First visits: a viewer account, and a manager with a view link and no account.
  const vera = await (await contextAs('Vera Viewer')).newPage();
  await vera.goto(`/t/${id}/dashboard`);
  await expect(since(vera)).toContainText('First visit');
  const link = await (
    await vera.request.post(`/api/timelines/${id}/links`, {
      data: { role: 'view' },
      headers: { authorization: `Bearer ${auth.token}` },
    })
  ).json();
  const visitorContext = await browser.newContext({ baseURL });
  try {
    const visitor = await visitorContext.newPage();
    await visitor.goto(`/t/${id}?token=${link.token}`);
    await expect(visitor).toHaveURL(new RegExp(`/t/${id}/dashboard\\?token=`));
    await expect(since(visitor)).toContainText('First visit');
    await expect(visitor.getByTestId('open-timeline')).toHaveAttribute(
      'href',
      `/t/${id}?view=timeline&token=${link.token}`,
    );

    // Meanwhile an analyst adds, changes and removes events.
    const anaToken = await createApiToken(baseURL!, auth.cookies['Ana Lim']!);
    const ana = connectClient(wsUrlOf(baseURL!), id, undefined, { token: anaToken });
    try {
      await waitForSync(ana);
      const lane = readLanes(ana.doc)[0]!.id;
      createEvent(ana.doc, point('Added later', '2019-02-21T00:00:00.000Z', lane));
      updateEvent(ana.doc, ids.renamed!, { title: 'Renamed, now' });
      deleteEvent(ana.doc, ids.deleted!);
      await waitFor(async () => {
        const response = await fetch(`${baseURL}/api/timelines/${id}/activity`, {
          headers: { authorization: `Bearer ${auth.token}` },
        });
        const { entries } = (await response.json()) as { entries: { actor: string }[] };
        return entries.filter((entry) => entry.actor === 'Ana Lim').length === 3;
      }, 'the analyst’s changes logged');
    } finally {
      ana.destroy();
    }

    // Vera's open dashboard shows the changes live, then with Ana's name once they are logged
    // (refreshing its data must not count as a new visit).
    const feed = vera.getByTestId('feed');
    await expect(feed.locator('.feed-entry', { hasText: 'Ana Lim' })).toHaveCount(3);

    // The second visits mark them.
    const summary = /^1 new, 1 changed, 1 removed since today \d\d:\d\d UTC/;
    for (const page of [vera, visitor]) {
      await page.reload();
      await expect(since(page)).toHaveAttribute('data-ready', 'true');
      await expect(since(page)).toContainText(summary);
      await page.getByRole('button', { name: 'Show them' }).click();
      const list = page.getByTestId('event-list');
      await expect(list.locator('li[data-mark=added]')).toContainText('Added later');
      await expect(list.locator('li[data-mark=changed]')).toContainText('Renamed, now');
      await expect(list.locator('li[data-mark=removed]')).toContainText('Deleted later');
      await expect(list.locator(`[data-event-id="${ids.stays}"]`)).toHaveCount(0);
    }
    // A third visit has nothing new to show.
    await vera.reload();
    await expect(since(vera)).toContainText(/^No changes since today/);
  } finally {
    await visitorContext.close();
  }
});
