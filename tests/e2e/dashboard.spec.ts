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

/** Asserts that the wall screen fits the viewport: see the wall test. Returns the feed rows shown. */
async function expectWallFits(page: Page): Promise<number> {
  const { width, height } = page.viewportSize()!;
  // Let the charts and the row measurement settle after the last resize.
  await page.waitForTimeout(300);
  const fit = await page.evaluate(() => {
    const box = (element: Element) => {
      const r = element.getBoundingClientRect();
      return { top: r.top, left: r.left, bottom: r.bottom, right: r.right };
    };
    const name = (element: Element) =>
      element.getAttribute('aria-label') ??
      element.getAttribute('data-testid') ??
      element.className;
    const dashboard = document.querySelector('[data-testid=dashboard]')!;
    const panels = [
      ...dashboard.children,
      ...dashboard.querySelectorAll('.dash-card, .figure'),
    ].map((element) => ({ name: name(element), ...box(element) }));
    // What each card shows must lie inside it: headings, charts, the timeline, list rows shown.
    const contents = [...dashboard.querySelectorAll('.dash-card')].flatMap((card) => {
      const outer = box(card);
      return [
        ...card.querySelectorAll(
          'h2, h3, svg[role=img], .vis-timeline, [data-whole-rows] > li:not([data-cut]), .empty',
        ),
      ].map((element) => {
        // Inside the card, and inside the group that clips it ("now and next").
        const group = element.parentElement?.closest('[data-rows-min]');
        const clip = group && card.contains(group) ? box(group) : outer;
        return {
          card: name(card),
          what: `${name(element)} “${element.textContent?.slice(0, 40)}”`,
          outer: {
            top: Math.max(outer.top, clip.top),
            left: Math.max(outer.left, clip.left),
            bottom: Math.min(outer.bottom, clip.bottom),
            right: Math.min(outer.right, clip.right),
          },
          inner: box(element),
        };
      });
    });
    return {
      scrollHeight: document.documentElement.scrollHeight,
      scrollWidth: document.documentElement.scrollWidth,
      panels,
      contents,
      valueSize: Number.parseFloat(
        getComputedStyle(dashboard.querySelector('.figure-value')!).fontSize,
      ),
      feedRows: dashboard.querySelectorAll('[data-testid=feed] > li:not([data-cut])').length,
    };
  });
  const label = `${width}×${height}`;
  expect(fit.scrollHeight, `${label}: page height`).toBeLessThanOrEqual(height);
  expect(fit.scrollWidth, `${label}: page width`).toBeLessThanOrEqual(width);
  for (const panel of fit.panels) {
    const inside =
      panel.top >= 0 && panel.left >= 0 && panel.bottom <= height && panel.right <= width;
    expect(inside, `${label}: ${panel.name} inside the screen ${JSON.stringify(panel)}`).toBe(true);
  }
  for (const { card, what, outer, inner } of fit.contents) {
    const inside =
      inner.top >= outer.top - 1 &&
      inner.bottom <= outer.bottom + 1 &&
      inner.left >= outer.left - 1 &&
      inner.right <= outer.right + 1;
    expect(inside, `${label}: ${what} inside ${card}`).toBe(true);
  }
  // Large type: the figures are readable across a room (at least 6% of the screen's height).
  expect(fit.valueSize, `${label}: figure size`).toBeGreaterThanOrEqual(height * 0.06);
  return fit.feedRows;
}

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
  const feed = manager.getByTestId('feed');
  const newEvent = feed.locator('[data-action=created]', { hasText: 'New event' });
  // Named at once, from the room's presence: the live line (the log's replaces it 1.5–3 s later,
  // so this is checked first).
  await expect(newEvent.and(manager.locator('.feed-entry.live'))).toContainText('Ana Lim', {
    timeout: 1_000,
  });
  const latency = Date.now() - added;
  await expect(figure(manager, 'events')).toHaveAttribute('data-value', '5', { timeout: 1_000 });
  await expect(figure(manager, 'attention')).toHaveAttribute('data-value', '4', {
    timeout: 1_000,
  });
  testInfo.annotations.push({ type: 'edit → dashboard', description: `${latency} ms` });
  console.log(
    `dashboard: an analyst's new event showed, named, in the figures and feed in ${latency} ms`,
  );
  // When the log entry arrives it replaces the live line: one line, still Ana's.
  await expect(newEvent.and(manager.locator('.feed-entry:not(.live)'))).toHaveCount(1, {
    timeout: 10_000,
  });
  await expect(newEvent).toHaveCount(1);
  await expect(newEvent).toContainText('Ana Lim');
  // A field edit is named at once too.
  await analyst.getByTestId('event-panel').getByLabel('Title').fill('Talks, renamed');
  const renamed = Date.now();
  await expect(
    feed.locator('.feed-entry.live[data-action=updated]', { hasText: 'Ana Lim' }),
  ).toHaveCount(1, { timeout: 1_000 });
  console.log(`dashboard: an analyst's field edit showed, named, in ${Date.now() - renamed} ms`);
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

  // Wall screen (entered from the page, so the timeline is re-drawn in the larger type): the
  // same figures, large, with nothing to click, fitting the screen.
  await manager.setViewportSize({ width: 1920, height: 1080 });
  await manager.getByTestId('wall-button').click();
  await expect(manager.getByTestId('dashboard')).toHaveAttribute('data-wall', 'true');
  await expect(manager).toHaveURL(/\?wall=1$/);
  await expect(figure(manager, 'events')).toHaveAttribute('data-value', '5');
  await expect(manager.getByRole('link')).toHaveCount(0);
  await expect(manager.locator('button:enabled')).toHaveCount(0);
  await expect(manager.getByTestId('latest').locator('.event-row').first()).toBeVisible();
  await expectWallFits(manager);
  await manager.screenshot({ path: 'test-results/screens/dashboard-wall-past-1920x1080.png' });
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
      // The timeline marks them on the axis, with a legend and a text alternative.
      const timeline = page.getByTestId('timeline');
      // (vis gives a point's dot the item's classes too: count the labels.)
      const label = (mark: string) => timeline.locator(`.vis-item.cb-mark-${mark} [data-event-id]`);
      await expect(label('added')).toHaveText(['Added later']);
      await expect(label('changed')).toHaveText(['Renamed, now']);
      await expect(timeline.locator('.vis-item', { hasText: 'Stays' })).not.toHaveClass(/cb-mark-/);
      const badge = await timeline
        .locator('.vis-item.cb-mark-added [data-event-id]')
        .evaluate((label) => getComputedStyle(label, '::before').content);
      expect(badge).toContain('New since your last visit');
      await expect(page.getByTestId('mark-legend')).toContainText('added since your last visit');
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
    await expect(vera.getByTestId('timeline').locator('.vis-item').first()).toBeVisible();
    await expect(vera.getByTestId('timeline').locator('.vis-item[class*=cb-mark-]')).toHaveCount(0);
    await expect(vera.getByTestId('mark-legend')).toHaveCount(0);
  } finally {
    await visitorContext.close();
  }
});

test('the wall screen fits the screen: large type, every panel inside the viewport, nothing to scroll', async ({
  auth,
  baseURL,
  contextAs,
  createTimeline,
}) => {
  test.setTimeout(120_000);
  const id = await createTimeline('Wall screen, a busy timeline');
  const day = 86_400_000;
  const now = Date.now();
  const iso = (t: number) => new Date(t).toISOString();
  const confidences = ['high', 'moderate', 'low', undefined] as const;
  await seed(baseURL!, auth.token, id, (doc, lanes) => {
    const more = ['Military', 'Economy', 'Cyber', 'Humanitarian', 'Media'].map((title, i) =>
      createLane(doc, {
        title,
        color: ['#0891b2', '#ca8a04', '#16a34a', '#db2777', '#475569'][i]!,
      }),
    );
    const all = [lanes.outages, lanes.diplomacy, ...more];
    // 40 events from three months ago to four weeks ahead: some ongoing now, some upcoming.
    for (let i = 0; i < 40; i++) {
      const start = now - (30 - i) * 3 * day;
      const confidence = confidences[i % confidences.length];
      createEvent(doc, {
        title: `Event ${i + 1}, with a title of a usual length`,
        kind: i % 4 === 0 ? 'range' : 'point',
        start: iso(start),
        ...(i % 4 === 0 ? { end: iso(start + 12 * day) } : {}),
        lane: all[i % all.length]!,
        ...(confidence ? { confidence } : {}),
      });
    }
  });
  const page = await (await contextAs('Vera Viewer')).newPage();
  for (const [width, height] of [
    [1920, 1080],
    [1280, 720],
    [3840, 2160],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.goto(`/t/${id}/dashboard?wall=1`);
    await expect(page.getByTestId('dashboard')).toHaveAttribute('data-wall', 'true');
    await expect(figure(page, 'events')).toHaveAttribute('data-value', '40');
    await expect(page.getByTestId('timeline').locator('.vis-item').first()).toBeVisible();
    await expect(page.getByTestId('feed').locator('.feed-entry').first()).toBeVisible();
    await expect(page.getByTestId('upcoming').locator('.event-row').first()).toBeVisible();
    // Nothing to click.
    await expect(page.getByRole('link')).toHaveCount(0);
    await expect(page.locator('button:enabled')).toHaveCount(0);
    const feedRows = await expectWallFits(page);
    expect(feedRows, `${width}×${height}: feed rows shown`).toBeGreaterThanOrEqual(3);
    await page.screenshot({ path: `test-results/screens/dashboard-wall-${width}x${height}.png` });
  }
});
