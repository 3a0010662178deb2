/**
 * Big timelines in the browser (issue #15): how long a 10k- and a 100k-event timeline take to
 * become interactive in Chromium, and how long a frame takes while zooming and panning at 100k —
 * each next to a bare vis-timeline page given the same items, measured in the same run.
 *
 * "Interactive" = from navigation start until (1) at least one event item is drawn on the axis
 * (in the page, and vis's root shown: vis keeps it hidden until its first draw)
 * and (2) a click on the axis has been handled by the page (a capturing listener saw it and the
 * next animation frame ran). A page whose main thread is busy decoding or laying out 100k items
 * answers the click late, so this counts the blocked time too.
 *
 * The events are written straight into the store (one update appended after the timeline's
 * initial state) before the page opens, so the figure is the browser's, not the import's.
 */

import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Page } from '@playwright/test';
import * as Y from 'yjs';
import { buildEventMap, createLane, getEventsMap, initializeTimeline } from '../lib/timeline/model';
import { openDatabase } from '../server/db/database';
import { createPrismaStore } from '../server/store/prismaStore';
import { CHROMIUM_LAUNCH } from '../tests/e2e/chromium';
import { startServerProcess } from '../tests/integration/helpers/serverProcess';
import { createBenchBackend } from './backends';
import type { Cleanup } from './cleanup';
import { ROOT } from './loadProcess';
import { compared, type Metric } from './report';
import { summarize } from './stats';

export interface BigTimelineConfig {
  /** Event counts opened, one scenario each (the frame figure is taken at the largest). */
  sizes: number[];
  /** Give up on one page opening after this long (the figure is then reported as ≥ it). */
  openCapMs: number;
  /** Zoom and pan steps measured at the largest size. */
  panZoomSteps: number;
  /** Give up on the pan/zoom measurement of one page after this long (no figure then). */
  panZoomCapMs: number;
}

export const DEFAULT_BIG_TIMELINE_CONFIG: BigTimelineConfig = {
  sizes: [10_000, 100_000],
  openCapMs: 60_000,
  panZoomSteps: 12,
  panZoomCapMs: 45_000,
};

export interface OpenFigure {
  events: number;
  /** ms to interactive; `capped` when the page did not get there within openCapMs. */
  chronoboardMs: number;
  chronoboardCapped: boolean;
  referenceMs: number;
  referenceCapped: boolean;
  /**
   * ms until Chronoboard holds the whole document (live, every event read, editable): a big
   * first visit is interactive with the events arrived so far, before that. Null when capped.
   */
  chronoboardCompleteMs: number | null;
  /** Items vis-timeline holds in the DOM once interactive (what the page handed it). */
  chronoboardDomItems: number;
  referenceDomItems: number;
  /** Long tasks (> 50 ms) on the main thread while opening: count, longest and total ms. */
  chronoboardLongTasks: LongTasks;
  referenceLongTasks: LongTasks;
}

export interface LongTasks {
  count: number;
  longestMs: number;
  totalMs: number;
}

export interface PanZoomFigure {
  events: number;
  chronoboard: { p50: number; p95: number; max: number; frames: number } | null;
  reference: { p50: number; p95: number; max: number; frames: number } | null;
}

export interface BigTimelineResult {
  config: BigTimelineConfig;
  open: OpenFigure[];
  panZoom: PanZoomFigure | null;
}

const LANES = ['Politics', 'Military', 'Economy', 'Media', 'Diplomacy', 'Civil society'];
const SPAN_MS = 3 * 365 * 24 * 3600 * 1000;
const BASE_MS = Date.UTC(2022, 0, 1);

/** The generated events: spread over three years and six lanes; one in ten is a range. */
function generateEvents(count: number, laneIds: string[]) {
  const events = [];
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  for (let i = 0; i < count; i++) {
    // Clustered: half the events fall in a few busy weeks, like a real crisis timeline.
    const t =
      random() < 0.5
        ? BASE_MS + Math.floor(random() * 8) * (SPAN_MS / 8) + random() * 14 * 24 * 3600 * 1000
        : BASE_MS + random() * SPAN_MS;
    const start = new Date(Math.round(t / 60_000) * 60_000);
    const range = i % 10 === 0;
    events.push({
      title: `Event ${i}`,
      kind: range ? ('range' as const) : ('point' as const),
      start: start.toISOString(),
      ...(range
        ? { end: new Date(start.getTime() + (1 + (i % 5)) * 24 * 3600 * 1000).toISOString() }
        : {}),
      lane: laneIds[i % laneIds.length]!,
    });
  }
  return events;
}

/** The same items for the bare vis-timeline page, shaped as vis wants them. */
function toReferenceItems(events: ReturnType<typeof generateEvents>) {
  return events.map((event, index) => ({
    id: `e${index}`,
    group: event.lane,
    content: event.title,
    start: event.start,
    ...(event.end ? { end: event.end } : {}),
    type: event.kind,
  }));
}

const REFERENCE_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>bare vis-timeline</title>
<link rel="stylesheet" href="/vis.css">
<style>html,body{margin:0;height:100%} #timeline{height:600px}</style>
</head><body><div id="timeline"></div>
<script src="/vis.js"></script>
<script>
fetch('/data.json').then((r) => r.json()).then(({ items, groups, window: w }) => {
  const timeline = new vis.Timeline(
    document.getElementById('timeline'),
    new vis.DataSet(items),
    new vis.DataSet(groups),
    { start: w.start, end: w.end, stack: true, orientation: { axis: 'top', item: 'top' },
      height: '100%', verticalScroll: true, zoomMin: 3600000,
      margin: { item: { horizontal: 6, vertical: 6 } } },
  );
  window.__timeline = timeline;
});
</script></body></html>`;

/** Serves the bare reference page, vis-timeline's standalone build and the items. */
async function startReferenceServer(): Promise<{
  url: string;
  setData(data: unknown): void;
  close(): Promise<void>;
}> {
  const visJs = await readFile(
    path.join(ROOT, 'node_modules/vis-timeline/standalone/umd/vis-timeline-graph2d.min.js'),
  );
  const visCss = await readFile(
    path.join(ROOT, 'node_modules/vis-timeline/styles/vis-timeline-graph2d.min.css'),
  );
  let data = '{}';
  const server: Server = createServer((request, response) => {
    const send = (type: string, body: string | Buffer) => {
      response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(body);
    };
    if (request.url === '/vis.js') send('text/javascript', visJs);
    else if (request.url === '/vis.css') send('text/css', visCss);
    else if (request.url === '/data.json') send('application/json', data);
    else send('text/html', REFERENCE_HTML);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    setData: (next) => {
      data = JSON.stringify(next);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Records long tasks and clicks from the very start of the page. */
export const INIT_SCRIPT = `
  window.__longTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longTasks.push(entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  } catch {}
  window.__clickAnswered = 0;
  addEventListener('click', () => {
    requestAnimationFrame(() => { window.__clickAnswered = performance.now(); });
  }, true);
`;

/** Waits until items are drawn: in the page, and vis's root shown (hidden until its first draw). */
export async function waitUntilDrawn(page: Page, timeoutMs: number): Promise<void> {
  await page.waitForFunction(
    () => {
      const root = document.querySelector('.vis-timeline');
      return (
        root !== null &&
        getComputedStyle(root).visibility !== 'hidden' &&
        root.querySelectorAll('.vis-item').length > 0
      );
    },
    undefined,
    { timeout: timeoutMs, polling: 50 },
  );
}

/**
 * Opens `url` and returns the time to interactive (see the module comment), or the cap. The
 * item selector differs: Chronoboard labels its events, the bare page has vis's own items.
 */
export async function measureOpen(
  page: Page,
  url: string,
  capMs: number,
): Promise<{ ms: number; capped: boolean; domItems: number; longTasks: LongTasks }> {
  const started = Date.now();
  // Every step runs against one deadline kept here in Node: a page stuck in a long task can hold
  // a Playwright call (an input event, an evaluation) past its own timeout.
  const attempt = (async () => {
    await page.goto(url, { waitUntil: 'commit', timeout: capMs });
    await waitUntilDrawn(page, capMs);
    const box = await page.locator('.vis-timeline .vis-center').first().boundingBox();
    if (!box) throw new Error('no axis');
    // A click on the axis's top strip: empty background in both pages (deselects, adds nothing).
    await page.mouse.click(box.x + box.width / 2, box.y + 4);
    await page.waitForFunction(
      () => (window as unknown as { __clickAnswered: number }).__clickAnswered > 0,
      undefined,
      { timeout: capMs, polling: 'raf' },
    );
  })();
  const outcome = await Promise.race([
    attempt.then(() => 'done' as const),
    new Promise<'capped'>((resolve) => setTimeout(() => resolve('capped'), capMs)),
  ]);
  // After the cap the attempt may still fail (the context closes under it): that is expected.
  attempt.catch(() => {});
  const capped = outcome === 'capped';
  const ms = capped ? capMs : Date.now() - started;
  // The page may still be busy when capped: give the read a bounded wait, then report nothing.
  const info = await Promise.race([
    page
      .evaluate(() => ({
        domItems: document.querySelectorAll('.vis-timeline .vis-item').length,
        longTasks: (window as unknown as { __longTasks: number[] }).__longTasks,
      }))
      .catch(() => null),
    new Promise<null>((resolve) => setTimeout(() => resolve(null), 20_000)),
  ]);
  const tasks = info?.longTasks ?? [];
  return {
    ms,
    capped,
    domItems: info?.domItems ?? -1,
    longTasks: {
      count: tasks.length,
      longestMs: Math.round(Math.max(0, ...tasks)),
      totalMs: Math.round(tasks.reduce((sum, value) => sum + value, 0)),
    },
  };
}

/**
 * ms from navigation start until the Chronoboard page holds the whole document: live, nothing
 * still arriving or being read. Null if not within `capMs`.
 */
export async function measureComplete(page: Page, capMs: number): Promise<number | null> {
  const at = await page
    .waitForFunction(
      () => {
        const state = document.querySelector('[data-testid=connection-state]');
        const busy = document.querySelector(
          '[data-testid=arrival-note], [data-testid=reading-events], [data-testid=events-loading]',
        );
        return state?.getAttribute('data-state') === 'live' && !busy ? performance.now() : 0;
      },
      undefined,
      { timeout: capMs, polling: 50 },
    )
    .then((handle) => handle.jsonValue())
    .catch(() => null);
  return at === null ? null : Math.round(at);
}

/**
 * Zooms in and out with the wheel and pans by dragging, `steps` times in all, while a
 * requestAnimationFrame loop records frame times; returns the frame durations (ms) seen during
 * the gestures. A frame the page could not draw for 3 s shows up as one 3,000 ms frame.
 */
export async function measurePanZoom(page: Page, steps: number, capMs: number): Promise<number[]> {
  const box = await page.locator('.vis-timeline .vis-center').first().boundingBox();
  if (!box) throw new Error('no axis to pan');
  // A string, not a function: tsx wraps named inner functions in a helper the page lacks.
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__recording = true;
    let last = performance.now();
    const tick = (now) => {
      window.__frames.push(now - last);
      last = now;
      if (window.__recording) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  const x = box.x + box.width / 2;
  const y = box.y + Math.min(box.height / 2, 60);
  const deadline = Date.now() + capMs;
  for (let step = 0; step < steps && Date.now() < deadline; step++) {
    await page.mouse.move(x, y);
    if (step % 3 === 0) await page.mouse.wheel(0, -240);
    else if (step % 3 === 1) await page.mouse.wheel(0, 240);
    else {
      await page.mouse.down();
      for (let dx = 1; dx <= 4; dx++) await page.mouse.move(x - dx * 60, y);
      await page.mouse.up();
    }
    // Let the redraw the gesture asked for happen inside the recording.
    await page.evaluate(
      () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
    );
  }
  return page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __recording: boolean };
    w.__recording = false;
    // The first entry measures from setup to the first frame, not a frame.
    return w.__frames.slice(1);
  });
}

/** Writes `count` events into a new timeline of the server's store; returns its id and window. */
export async function seedTimeline(
  server: { url: string; admin: { token: string } | null },
  databaseUrl: string,
  count: number,
) {
  const response = await fetch(`${server.url}/api/timelines`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.admin!.token}` },
    body: JSON.stringify({ title: `Bench ${count}` }),
  });
  if (response.status !== 201) throw new Error(`creating a timeline: ${response.status}`);
  const { id } = (await response.json()) as { id: string };
  const database = await openDatabase({ databaseUrl, dataDir: os.tmpdir() });
  try {
    const store = createPrismaStore(database);
    const stored = await store.loadDoc(id);
    const doc = new Y.Doc();
    for (const update of stored?.updates ?? []) Y.applyUpdate(doc, update);
    const before = Y.encodeStateVector(doc);
    if (doc.getMap('meta').get('title') === undefined) {
      initializeTimeline(doc, { title: `Bench ${count}` });
    }
    const laneIds = LANES.map((title) => createLane(doc, { title }));
    const events = generateEvents(count, laneIds);
    doc.transact(() => {
      const map = getEventsMap(doc);
      events.forEach((event, index) => {
        map.set(`bench${index}`, buildEventMap(event));
      });
    });
    await store.appendUpdate(id, Y.encodeStateAsUpdate(doc, before), {
      title: `Bench ${count}`,
      eventCount: count,
    });
    const groups = laneIds.map((laneId, order) => ({ id: laneId, content: LANES[order], order }));
    return { id, events, groups };
  } finally {
    await database.close();
  }
}

function fitWindow(events: { start: string; end?: string }[]) {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const event of events) {
    min = Math.min(min, Date.parse(event.start));
    max = Math.max(max, Date.parse(event.end ?? event.start));
  }
  const pad = (max - min) * 0.05;
  return { start: new Date(min - pad).toISOString(), end: new Date(max + pad).toISOString() };
}

export async function runBigTimeline(
  config: BigTimelineConfig,
  cleanup: Cleanup,
  progress: (line: string) => void,
): Promise<BigTimelineResult> {
  const backend = await createBenchBackend('postgresql');
  cleanup.add('big timelines: database', () => backend.cleanup());
  progress('big timelines: starting the server');
  const server = await startServerProcess({
    databaseUrl: backend.storage.databaseUrl,
    dataDir: backend.storage.dataDir,
  });
  cleanup.add('big timelines: server', () => server.stop());
  const reference = await startReferenceServer();
  cleanup.add('big timelines: reference page server', () => reference.close());
  const cookie = server.admin!.cookie.split('=', 2) as [string, string];

  const open: OpenFigure[] = [];
  let panZoom: PanZoomFigure | null = null;
  const largest = Math.max(...config.sizes);
  for (const size of config.sizes) {
    const seeding = Date.now();
    const seeded = await seedTimeline(server, backend.storage.databaseUrl!, size);
    progress(
      `big timelines: wrote ${size} events in ${Math.round((Date.now() - seeding) / 1000)} s`,
    );
    reference.setData({
      items: toReferenceItems(seeded.events),
      groups: seeded.groups,
      window: fitWindow(seeded.events),
    });
    const figures: Record<
      'chronoboard' | 'reference',
      Awaited<ReturnType<typeof measureOpen>>
    > = {} as never;
    const frames: Record<'chronoboard' | 'reference', number[] | null> = {
      chronoboard: null,
      reference: null,
    };
    let complete: number | null = null;
    for (const which of ['reference', 'chronoboard'] as const) {
      // A browser of its own each time, closed after: no IndexedDB copy, nothing cached from the
      // last page, and no page still busy from it — the bare page, capped at 10,000 items, goes on
      // computing for minutes, and with one browser for the whole run it took a core from every
      // page measured after it (Chronoboard's 10k opening measured 3.7–4.0 s then, 2.2–2.9 s alone).
      const browser: Browser = await chromium.launch(CHROMIUM_LAUNCH);
      const closeBrowser = cleanup.add(`big timelines: Chromium (${which} ${size})`, () =>
        browser.close(),
      );
      // A browser just started keeps a core busy for a moment (its own pages): let it settle.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const context = await browser.newContext({
        viewport: { width: 1400, height: 900 },
        timezoneId: 'UTC',
      });
      await context.addCookies([
        { name: cookie[0], value: cookie[1], url: server.url, httpOnly: true, sameSite: 'Lax' },
      ]);
      await context.addInitScript(INIT_SCRIPT);
      const page = await context.newPage();
      try {
        progress(`big timelines: opening ${size} events (${which})`);
        const url = which === 'chronoboard' ? `${server.url}/t/${seeded.id}` : reference.url;
        figures[which] = await measureOpen(page, url, config.openCapMs);
        // Pan and zoom are measured on the whole document, not while the rest still arrives.
        if (which === 'chronoboard') {
          complete = figures[which].capped ? null : await measureComplete(page, config.openCapMs);
        }
        progress(
          `big timelines: ${which} ${size}: ${figures[which].capped ? '≥ ' : ''}${figures[which].ms} ms, ` +
            `${figures[which].domItems} items in the DOM`,
        );
        if (size === largest) {
          // Also after a capped opening: the page may answer soon after; if not, no figure.
          const started = Date.now();
          frames[which] = await Promise.race([
            measurePanZoom(page, config.panZoomSteps, config.panZoomCapMs).catch((error) => {
              progress(`big timelines: ${which} pan/zoom failed: ${(error as Error).message}`);
              return null;
            }),
            new Promise<null>((resolve) => setTimeout(() => resolve(null), config.panZoomCapMs)),
          ]).catch(() => null);
          progress(
            `big timelines: ${which} pan/zoom at ${size}: ${frames[which]?.length ?? 'no'} frames ` +
              `in ${Math.round((Date.now() - started) / 1000)} s`,
          );
        }
      } finally {
        await closeBrowser();
      }
    }
    open.push({
      events: size,
      chronoboardMs: figures.chronoboard.ms,
      chronoboardCapped: figures.chronoboard.capped,
      chronoboardCompleteMs: complete,
      referenceMs: figures.reference.ms,
      referenceCapped: figures.reference.capped,
      chronoboardDomItems: figures.chronoboard.domItems,
      referenceDomItems: figures.reference.domItems,
      chronoboardLongTasks: figures.chronoboard.longTasks,
      referenceLongTasks: figures.reference.longTasks,
    });
    if (size === largest) {
      const summary = (values: number[] | null) => {
        if (!values || values.length === 0) return null;
        const s = summarize(values);
        if (!s) return null;
        return { p50: s.p50, p95: s.p95, max: s.max, frames: s.n };
      };
      panZoom = {
        events: size,
        chronoboard: summary(frames.chronoboard),
        reference: summary(frames.reference),
      };
    }
  }
  return { config, open, panZoom };
}

/** The issue's metric names, for bench/results/latest.json. */
export function bigTimelineMetrics(result: BigTimelineResult) {
  const metrics: Record<string, Metric> = {};
  for (const figure of result.open) {
    const name = `open_${figure.events >= 1000 ? `${figure.events / 1000}k` : figure.events}_interactive_ms`;
    const capped = [
      figure.chronoboardCapped ? 'value is the cap (not interactive by then)' : '',
      figure.referenceCapped ? 'reference is the cap (not interactive by then)' : '',
    ].filter(Boolean);
    metrics[name] = compared(
      figure.chronoboardMs,
      'ms',
      figure.referenceMs,
      capped.length > 0 ? capped.join('; ') : undefined,
    );
    if (figure.chronoboardCompleteMs !== null) {
      // The bare page is complete when it is interactive: it draws everything at once.
      metrics[name.replace('_interactive_', '_complete_')] = compared(
        figure.chronoboardCompleteMs,
        'ms',
        figure.referenceMs,
        'the whole document in, editable (interactive comes earlier on a big first visit)',
      );
    }
  }
  const panZoom = result.panZoom;
  if (panZoom?.chronoboard) {
    metrics[`panzoom_${panZoom.events / 1000}k_frame_p95_ms`] = panZoom.reference
      ? compared(panZoom.chronoboard.p95, 'ms', panZoom.reference.p95)
      : compared(panZoom.chronoboard.p95, 'ms', undefined, 'reference did not open within the cap');
  }
  return metrics;
}
