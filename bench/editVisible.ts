/**
 * Edit → visible in two browser pages (issue #15): the time from a keystroke in one page until
 * the change is on the other page's axis, in Chromium, next to a bare vis-timeline page on a plain
 * relay measured in the same run.
 *
 * Chronoboard: the real server (child process, fresh PostgreSQL database) with a timeline of a
 * handful of events; two people (two browser contexts, Ana and Ben, editors) open `/t/<id>`. In
 * page A, Ana has the probe event open in the side panel and types into its Title field (real key
 * events through the browser's input pipeline, so the edit goes through the panel, the editing
 * session, the document and the websocket as a person's would); page B is Ben's, showing the
 * axis, where the probe event's label changes.
 *
 * Reference: a static page served here, vis-timeline's standalone build (as bench/bigTimeline.ts
 * serves it) with the same items, plus a Yjs document over y-websocket (yjs and y-websocket
 * bundled for the browser with esbuild) on `@y/websocket-server` 0.1.1 (bench/fanout.ts's
 * `startReference()`: no authorization, no storage). Page A has a plain title input whose `input`
 * event sets the probe event's title in the Y document; page B observes the document and updates
 * vis's DataSet at once.
 *
 * The same measurement on both sides: page A stamps each keystroke (a capturing `keydown`
 * listener) and records the title its `input` event produced; page B's MutationObserver on the
 * axis records each label text of the probe item when it appears in the DOM (the frame that paints
 * it follows within one frame interval; see bench/README.md). Both stamps use the shared epoch clock
 * `performance.timeOrigin + performance.now()`; the offset between the two pages' clocks is
 * estimated from Node and reported. An edit's latency is the first moment page B shows its title
 * or a later one (a later title that arrives first "supersedes" it); one never seen within
 * `settleMs` is lost.
 *
 * Keystrokes come at a human pace (`rate` per second), in rounds of ten: select all + a letter
 * (replacing the title), then nine characters appended, so every title is unique and short.
 * Sides alternate in blocks, so load that changes during the run falls on both.
 */

import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from '@playwright/test';
import { build } from 'esbuild';
import { CHROMIUM_LAUNCH } from '../tests/e2e/chromium';
import { inviteMember } from '../tests/integration/helpers/auth';
import { createTestDatabase } from '../tests/integration/helpers/postgres';
import { startServerProcess } from '../tests/integration/helpers/serverProcess';
import { Cleanup } from './cleanup';
import { startReference } from './fanout';
import { ROOT } from './loadProcess';
import { compared, type Metric } from './report';
import { round, type Summary, summarize } from './stats';

export interface EditVisibleConfig {
  /** Edits per side before measuring (page and connection warm-up). */
  warmupEdits: number;
  /** Measured edits per side. */
  edits: number;
  /** Measured edits are made in this many blocks per side, the sides alternating. */
  blocks: number;
  /** Keystrokes per second (a fast typist: 10). */
  rate: number;
  /** How long page B is given to show the last edit of a block. */
  settleMs: number;
  /**
   * A file to write a Chromium trace of Chronoboard's page B to, recorded during its first
   * measured block (for finding where B's time goes; none when unset).
   */
  trace?: string;
  /** A directory to save screenshots of the four pages in after the edits (none when unset). */
  screenshots?: string;
}

export const DEFAULT_EDIT_VISIBLE_CONFIG: EditVisibleConfig = {
  warmupEdits: 20,
  edits: 300,
  blocks: 6,
  rate: 10,
  settleMs: 5_000,
};

/** Keystroke → page B, both ends on the pages' shared epoch clock (ms). */
export interface SideResult {
  /** Measured edits made (keystrokes that changed the title). */
  edits: number;
  /** Keystroke in A → the new title in B's DOM (MutationObserver). */
  visible: Summary | null;
  /** Edits B never showed by themselves: a later title arrived first (counted as visible then). */
  superseded: number;
  /** Edits B had not shown (nor a later one) `settleMs` after the block. */
  lost: number;
  /**
   * The visible latency split in three (edits where each step was seen): keystroke → A sends the
   * update; sent → the update reaches B's main thread (both sockets, the server, B's queue);
   * reached B → label in B's DOM (apply, render).
   */
  stages: { a: Summary | null; trip: Summary | null; b: Summary | null };
  /** Keystrokes dispatched later than their schedule: p95 of the lag (ms), a loaded machine. */
  paceLagP95Ms: number;
  /** B's clock minus A's (ms) as seen from Node, and how precise that estimate is (±). */
  clockOffsetMs: number;
  clockUncertaintyMs: number;
  /** The raw latencies (visible), in edit order. */
  samples: number[];
}

export interface EditVisibleResult {
  config: EditVisibleConfig;
  chronoboard: SideResult;
  reference: SideResult;
  /** 1-minute load average before and after the measured edits. */
  load: { start: number; end: number };
  /** Events on the timeline (both sides). */
  events: number;
}

/** The timeline's events: a crisis fortnight in two lanes; the first is the one edited. */
const EVENTS = [
  { title: 'Probe', start: '2024-03-04T09:00:00.000Z', lane: 'Politics' },
  { title: 'Border closed', start: '2024-03-02T06:00:00.000Z', lane: 'Politics' },
  { title: 'Talks resume', start: '2024-03-07T12:00:00.000Z', lane: 'Diplomacy' },
  { title: 'Envoy arrives', start: '2024-03-06T15:00:00.000Z', lane: 'Diplomacy' },
  { title: 'Curfew lifted', start: '2024-03-10T18:00:00.000Z', lane: 'Politics' },
  { title: 'Ceasefire signed', start: '2024-03-12T10:00:00.000Z', lane: 'Diplomacy' },
  { title: 'Aid convoy', start: '2024-03-09T08:00:00.000Z', lane: 'Politics' },
  { title: 'Press briefing', start: '2024-03-13T16:00:00.000Z', lane: 'Diplomacy' },
];
const LANES = ['Politics', 'Diplomacy'];
const WINDOW = { start: '2024-02-29T00:00:00.000Z', end: '2024-03-16T00:00:00.000Z' };

/** Round letters (select all + one of these replaces the title) and the characters appended. */
const ROUND_KEYS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const APPENDED = '-abcdefgh';
const ROUND = APPENDED.length + 1;

/** Edit `k` of a side (0-based): the keys to press and the title it leaves. */
export function editKeys(k: number): { keys: string[]; title: string } {
  const round = Math.floor(k / ROUND);
  const position = k % ROUND;
  const letter = ROUND_KEYS[round];
  if (letter === undefined) throw new Error(`edit ${k}: at most ${ROUND_KEYS.length * ROUND}`);
  const title = letter + APPENDED.slice(0, position);
  return position === 0
    ? { keys: ['ControlOrMeta+a', letter], title }
    : { keys: [APPENDED[position - 1]!], title };
}

/**
 * Page A: stamps each keystroke and records the title the next `input` event of a field named
 * `title` produced. A string, not a function: tsx wraps inner functions in a helper the page lacks.
 */
const RECORD_EDITS = `(() => {
  window.__edits = [];
  let stamp = 0;
  addEventListener('keydown', () => { stamp = performance.timeOrigin + performance.now(); }, true);
  addEventListener('input', (event) => {
    const field = event.target;
    if (!field || field.name !== 'title') return;
    window.__edits.push({ title: field.value, t: stamp });
  }, true);
})()`;

/**
 * Both pages, before their own scripts: the times sync-protocol messages (y-protocols message
 * type 0: updates) leave and reach the page's main thread, to split an edit's latency into A's
 * work, the trip through the server and B's work. One listener per socket, nothing else changed.
 */
const STAMP_SOCKETS = `(() => {
  window.__syncOut = [];
  window.__syncIn = [];
  const Native = window.WebSocket;
  const isSync = (data) => {
    const bytes = data instanceof ArrayBuffer ? new Uint8Array(data)
      : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : null;
    return bytes !== null && bytes.length > 0 && bytes[0] === 0;
  };
  class StampedWebSocket extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        if (isSync(event.data)) window.__syncIn.push(performance.timeOrigin + performance.now());
      });
    }
    send(data) {
      if (isSync(data)) window.__syncOut.push(performance.timeOrigin + performance.now());
      return super.send(data);
    }
  }
  window.WebSocket = StampedWebSocket;
})()`;

/** Page B: every text the probe item's label takes on the axis, when it appears in the DOM. */
const observeLabel = (probeId: string) => `(() => {
  const root = document.querySelector('.vis-timeline');
  if (!root) throw new Error('no axis');
  window.__seen = [];
  let last = undefined;
  const selector = '.vis-item .vis-item-content [data-event-id="${probeId}"]';
  const check = () => {
    const label = root.querySelector(selector);
    const text = label ? label.textContent : null;
    if (text === last) return;
    last = text;
    window.__seen.push({ title: text, t: performance.timeOrigin + performance.now() });
    performance.mark('label-changed');
  };
  new MutationObserver(check).observe(root, { subtree: true, childList: true, characterData: true });
  check();
  return last;
})()`;

interface Side {
  name: 'chronoboard' | 'reference';
  a: Page;
  b: Page;
  /** Edits made so far (warm-up included). */
  made: number;
  lags: number[];
}

const now = () => performance.timeOrigin + performance.now();

/**
 * Estimates how far a page's epoch clock is from Node's: the reading with the shortest round
 * trip, against the middle of that round trip.
 */
async function clockOffset(page: Page): Promise<{ offset: number; halfTrip: number }> {
  let best = { offset: 0, halfTrip: Number.POSITIVE_INFINITY };
  for (let i = 0; i < 15; i++) {
    const before = now();
    const reading = (await page.evaluate('performance.timeOrigin + performance.now()')) as number;
    const after = now();
    const halfTrip = (after - before) / 2;
    if (halfTrip < best.halfTrip) best = { offset: reading - (before + halfTrip), halfTrip };
  }
  return best;
}

/** Makes `count` edits in page A at `rate` per second; returns how late each keystroke went. */
async function typeEdits(side: Side, count: number, rate: number): Promise<number[]> {
  const interval = 1000 / rate;
  const start = performance.now() + 20;
  const lags: number[] = [];
  for (let i = 0; i < count; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    lags.push(Math.max(0, performance.now() - due));
    for (const key of editKeys(side.made).keys) await side.a.keyboard.press(key);
    side.made++;
  }
  return lags;
}

/** Waits (bounded) until page B shows `title`. */
async function waitShown(page: Page, title: string, timeoutMs: number): Promise<boolean> {
  return page
    .waitForFunction(
      (expected) => {
        const seen = (window as unknown as { __seen: { title: string | null }[] }).__seen;
        return seen.length > 0 && seen[seen.length - 1]!.title === expected;
      },
      title,
      { timeout: timeoutMs, polling: 50 },
    )
    .then(() => true)
    .catch(() => false);
}

/** Runs one block of edits on a side: `count` edits, then waits for B to show the last one. */
async function block(side: Side, count: number, config: EditVisibleConfig): Promise<void> {
  side.lags.push(...(await typeEdits(side, count, config.rate)));
  await waitShown(side.b, editKeys(side.made - 1).title, config.settleMs);
}

/** A title page A's field took, and when its keystroke was made (epoch ms). */
export interface TypedEdit {
  title: string;
  t: number;
}

/** A text the probe's label took on page B (null: no label), and when. */
export interface ShownLabel {
  title: string | null;
  t: number;
}

/**
 * Pairs page A's edits (in order) with page B's label changes: an edit is visible at the first
 * label change to its title or a later edit's ("superseded" when later), lost when there is none.
 * Edits before `warmup` are left out. Where A's update send (`sent`, A's clock) and its arrival
 * on B (`reached`, B's clock) are found, the latency is also split at them.
 */
export function pairEdits(input: {
  edits: TypedEdit[];
  seen: ShownLabel[];
  sent: number[];
  reached: number[];
  warmup: number;
}): {
  visible: number[];
  stages: { a: number[]; trip: number[]; b: number[] };
  superseded: number;
  lost: number;
} {
  const { edits, seen, sent, reached } = input;
  const index = new Map(edits.map((edit, k) => [edit.title, k]));
  // B's label changes in order, as edit indices (titles that are no edit of ours are skipped).
  const shown = seen
    .map((entry) => ({ ...entry, k: entry.title === null ? undefined : index.get(entry.title) }))
    .filter((entry): entry is ShownLabel & { k: number } => entry.k !== undefined);
  const visible: number[] = [];
  const stages = { a: [] as number[], trip: [] as number[], b: [] as number[] };
  // The first time in `times` (ascending) at or after `from`, if before `until`.
  const firstIn = (times: number[], from: number, until: number) => {
    const found = times.find((time) => time >= from);
    return found !== undefined && found <= until ? found : undefined;
  };
  let superseded = 0;
  let lost = 0;
  let cursor = 0;
  for (let k = input.warmup; k < edits.length; k++) {
    while (cursor < shown.length && shown[cursor]!.k < k) cursor++;
    const first = shown[cursor];
    if (!first) {
      lost++;
      continue;
    }
    if (first.k > k) superseded++;
    const typed = edits[k]!.t;
    visible.push(first.t - typed);
    // The pages' clocks agree to a fraction of a millisecond (reported): allow 1 ms.
    const out = firstIn(sent, typed, edits[k + 1]?.t ?? first.t);
    const arrived = out === undefined ? undefined : firstIn(reached, out - 1, first.t + 1);
    if (out !== undefined && arrived !== undefined) {
      stages.a.push(out - typed);
      stages.trip.push(arrived - out);
      stages.b.push(first.t - arrived);
    }
  }
  return { visible, stages, superseded, lost };
}

/** Reads what the pages recorded and pairs it (see the module comment). */
async function collect(
  side: Side,
  config: EditVisibleConfig,
  clock: number,
  uncertainty: number,
): Promise<SideResult> {
  const edits = (await side.a.evaluate('window.__edits')) as TypedEdit[];
  const seen = (await side.b.evaluate('window.__seen')) as ShownLabel[];
  const sent = (await side.a.evaluate('window.__syncOut')) as number[];
  const reached = (await side.b.evaluate('window.__syncIn')) as number[];
  if (edits.length !== side.made) {
    throw new Error(
      `${side.name}: ${side.made} edits typed but page A recorded ${edits.length} input events`,
    );
  }
  edits.forEach((edit, k) => {
    const expected = editKeys(k).title;
    if (edit.title !== expected) {
      throw new Error(`${side.name}: edit ${k} left the title '${edit.title}', not '${expected}'`);
    }
  });
  const { visible, stages, superseded, lost } = pairEdits({
    edits,
    seen,
    sent,
    reached,
    warmup: config.warmupEdits,
  });
  const lags = side.lags.slice(config.warmupEdits).sort((x, y) => x - y);
  return {
    edits: edits.length - config.warmupEdits,
    visible: summarize(visible),
    stages: { a: summarize(stages.a), trip: summarize(stages.trip), b: summarize(stages.b) },
    superseded,
    lost,
    paceLagP95Ms: round(lags[Math.max(0, Math.ceil(lags.length * 0.95) - 1)] ?? 0),
    clockOffsetMs: round(clock),
    clockUncertaintyMs: round(uncertainty),
    samples: visible.map((value) => round(value)),
  };
}

async function measureClocks(side: Side) {
  const [a, b] = [await clockOffset(side.a), await clockOffset(side.b)];
  return { offset: b.offset - a.offset, uncertainty: a.halfTrip + b.halfTrip };
}

/** The bare reference page: vis-timeline + Yjs over y-websocket, nothing else. */
function referenceHtml(config: unknown): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>bare vis-timeline on a plain relay</title>
<link rel="stylesheet" href="/vis.css">
<style>html,body{margin:0;height:100%;font-family:sans-serif} #timeline{height:600px}
label{display:block;padding:8px}</style>
</head><body>
<label>Title <input name="title" autocomplete="off"></label>
<div id="timeline"></div>
<script>window.__config = ${JSON.stringify(config)};</script>
<script src="/vis.js"></script>
<script src="/yjs.js"></script>
<script src="/page.js"></script>
</body></html>`;
}

/**
 * The reference pages' script: the first page to sync writes the events into the empty room; on
 * both, the Y document drives vis's DataSet directly, and the input writes the probe's title.
 */
const REFERENCE_PAGE_JS = `
const { wsUrl, room, events, lanes, window: range, probeId } = window.__config;
const doc = new Y.Doc();
const provider = new WebsocketProvider(wsUrl, room, doc, { disableBc: true });
const yevents = doc.getMap('events');
const items = new vis.DataSet();
const input = document.querySelector('input[name=title]');
const toItem = (id) => {
  const event = yevents.get(id);
  return { id, group: event.get('lane'), content: event.get('title'), start: event.get('start'), type: 'point' };
};
const timeline = new vis.Timeline(
  document.getElementById('timeline'),
  items,
  new vis.DataSet(lanes.map((lane, order) => ({ id: lane, content: lane, order }))),
  { start: range.start, end: range.end, stack: true, orientation: { axis: 'top', item: 'top' },
    groupOrder: 'order', height: '100%', verticalScroll: true, zoomMin: 3600000,
    margin: { item: { horizontal: 6, vertical: 6 } },
    template: (item) => {
      if (!item) return '';
      const label = document.createElement('span');
      label.dataset.eventId = item.id;
      label.textContent = item.content;
      return label;
    } },
);
yevents.observeDeep((changes) => {
  const ids = new Set();
  for (const change of changes) {
    if (change.target === yevents) for (const key of change.keysChanged) ids.add(key);
    else ids.add(change.target.get('id'));
  }
  const gone = [...ids].filter((id) => !yevents.has(id));
  if (gone.length > 0) items.remove(gone);
  items.update([...ids].filter((id) => yevents.has(id)).map(toItem));
  if (ids.has(probeId) && document.activeElement !== input) input.value = yevents.get(probeId).get('title');
});
input.addEventListener('input', () => {
  yevents.get(probeId).set('title', input.value);
});
provider.on('sync', (synced) => {
  if (!synced || window.__ready) return;
  if (yevents.size === 0) {
    doc.transact(() => {
      events.forEach((event, index) => {
        const map = new Y.Map();
        map.set('id', 'e' + index);
        for (const [key, value] of Object.entries(event)) map.set(key, value);
        yevents.set('e' + index, map);
      });
    });
  }
  window.__ready = true;
});
`;

/** Serves the reference page, vis's standalone build and yjs + y-websocket bundled by esbuild. */
async function startReferencePages(config: unknown): Promise<{
  url: string;
  close(): Promise<void>;
}> {
  const [visJs, visCss, bundle] = await Promise.all([
    readFile(
      path.join(ROOT, 'node_modules/vis-timeline/standalone/umd/vis-timeline-graph2d.min.js'),
    ),
    readFile(path.join(ROOT, 'node_modules/vis-timeline/styles/vis-timeline-graph2d.min.css')),
    build({
      stdin: {
        contents:
          "import * as Y from 'yjs'; import { WebsocketProvider } from 'y-websocket';\n" +
          'window.Y = Y; window.WebsocketProvider = WebsocketProvider;',
        resolveDir: ROOT,
        loader: 'js',
      },
      bundle: true,
      format: 'iife',
      platform: 'browser',
      minify: true,
      write: false,
      logLevel: 'silent',
    }),
  ]);
  const yjsJs = bundle.outputFiles[0]!.contents;
  const html = referenceHtml(config);
  const server: Server = createServer((request, response) => {
    const send = (type: string, body: string | Uint8Array) => {
      response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(body);
    };
    if (request.url === '/vis.js') send('text/javascript', visJs);
    else if (request.url === '/vis.css') send('text/css', visCss);
    else if (request.url === '/yjs.js') send('text/javascript', yjsJs);
    else if (request.url === '/page.js') send('text/javascript', REFERENCE_PAGE_JS);
    else send('text/html', html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A fresh browser context (a person of their own); closing the browser closes it. */
async function newContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width: 1400, height: 900 },
    timezoneId: 'UTC',
  });
  await context.addInitScript(STAMP_SOCKETS);
  return context;
}

/** Our server, the timeline and both people's pages, page A with the probe's title focused. */
async function openChronoboard(
  browser: Browser,
  cleanup: Cleanup,
  progress: (line: string) => void,
): Promise<Side> {
  const database = await createTestDatabase();
  cleanup.add('edit visible: database', () => database.drop());
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'chronoboard-visible-'));
  cleanup.add(`edit visible: remove ${dataDir}`, () =>
    rm(dataDir, { recursive: true, force: true }),
  );
  progress('edit visible: starting our server');
  const server = await startServerProcess({
    databaseUrl: database.url,
    dataDir,
    env: { SEED_DEMO: 'false' },
  });
  cleanup.add('edit visible: our server', () => server.stop());
  const admin = server.admin!;
  const post = async (url: string, body: string, type = 'application/json') => {
    const response = await fetch(`${server.url}${url}`, {
      method: 'POST',
      headers: { 'content-type': type, authorization: `Bearer ${admin.token}` },
      body,
    });
    if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<Record<string, unknown>>;
  };
  const { id } = (await post('/api/timelines', JSON.stringify({ title: 'Edit visible' }))) as {
    id: string;
  };
  const csv = [
    'title,start,lane',
    ...EVENTS.map((event) => `${event.title},${event.start},${event.lane}`),
  ].join('\n');
  await post(`/api/timelines/${id}/import?format=csv`, csv, 'text/csv');
  const exported = (await (
    await fetch(`${server.url}/api/timelines/${id}/export?format=json`, {
      headers: { authorization: `Bearer ${admin.token}` },
    })
  ).json()) as { events: { id: string; title: string }[] };
  const probe = exported.events.find((event) => event.title === 'Probe');
  if (!probe) throw new Error('the imported timeline has no probe event');

  const pages: Page[] = [];
  for (const person of [
    { email: 'ana@chronoboard.test', name: 'Ana Lim', role: 'editor' as const },
    { email: 'ben@chronoboard.test', name: 'Ben Ode', role: 'editor' as const },
  ]) {
    const cookie = await inviteMember(server.url, admin.token, person);
    const [name, value] = cookie.split('=', 2) as [string, string];
    const context = await newContext(browser);
    await context.addCookies([{ name, value, url: server.url, httpOnly: true, sameSite: 'Lax' }]);
    const page = await context.newPage();
    await page.goto(`${server.url}/t/${id}`);
    await page
      .getByTestId('connection-state')
      .and(page.locator('[data-state=live]'))
      .waitFor({ timeout: 60_000 });
    await page
      .locator(`.vis-item .vis-item-content [data-event-id="${probe.id}"]`)
      .waitFor({ timeout: 60_000 });
    pages.push(page);
  }
  const [a, b] = pages as [Page, Page];
  // Ana opens the probe event from the table and puts the cursor in its title.
  await a
    .locator(`[data-testid=event-table] tr[data-event-id="${probe.id}"]`)
    .getByRole('button')
    .click();
  const title = a.getByTestId('event-panel').getByLabel('Title');
  await title.click();
  await a.evaluate(RECORD_EDITS);
  const initial = await b.evaluate(observeLabel(probe.id));
  if (initial !== 'Probe') throw new Error(`page B shows the probe as '${initial}'`);
  progress(`edit visible: Chronoboard pages open on /t/${id}`);
  return { name: 'chronoboard', a, b, made: 0, lags: [] };
}

/** The reference relay, the bare pages, page A's input focused. */
async function openReference(browser: Browser, cleanup: Cleanup): Promise<Side> {
  const relay = await startReference();
  cleanup.add('edit visible: reference relay', async () => {
    relay.child.kill('SIGTERM');
  });
  const site = await startReferencePages({
    wsUrl: `ws://127.0.0.1:${relay.port}`,
    room: 'edit-visible',
    events: EVENTS,
    lanes: LANES,
    window: WINDOW,
    probeId: 'e0',
  });
  cleanup.add('edit visible: reference pages', () => site.close());
  const pages: Page[] = [];
  for (let i = 0; i < 2; i++) {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(site.url);
    await page.waitForFunction('window.__ready === true', undefined, { timeout: 30_000 });
    await page.locator('.vis-item .vis-item-content [data-event-id="e0"]').waitFor();
    pages.push(page);
  }
  const [a, b] = pages as [Page, Page];
  await a.locator('input[name=title]').click();
  await a.evaluate(RECORD_EDITS);
  const initial = await b.evaluate(observeLabel('e0'));
  if (initial !== 'Probe') throw new Error(`reference page B shows the probe as '${initial}'`);
  return { name: 'reference', a, b, made: 0, lags: [] };
}

export async function runEditVisible(
  config: EditVisibleConfig,
  cleanup: Cleanup,
  progress: (line: string) => void,
): Promise<EditVisibleResult> {
  if (config.warmupEdits + config.edits > ROUND_KEYS.length * ROUND) {
    throw new Error(`edit visible: at most ${ROUND_KEYS.length * ROUND} edits per side`);
  }
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  const closeBrowser = cleanup.add('edit visible: Chromium', () => browser.close());
  try {
    const reference = await openReference(browser, cleanup);
    const chronoboard = await openChronoboard(browser, cleanup, progress);
    const sides = [reference, chronoboard];
    progress(`edit visible: warm-up, ${config.warmupEdits} edits per side`);
    for (const side of sides) await block(side, config.warmupEdits, config);
    const load = { start: os.loadavg()[0]!, end: 0 };
    const perBlock = Math.ceil(config.edits / config.blocks);
    for (let made = 0; made < config.edits; made += perBlock) {
      const count = Math.min(perBlock, config.edits - made);
      for (const side of sides) {
        progress(`edit visible: ${side.name}, edits ${made + 1}–${made + count}`);
        const tracing = config.trace && made === 0 && side === chronoboard;
        if (tracing) {
          await browser.startTracing(side.b, {
            path: config.trace,
            categories: [
              'devtools.timeline',
              'disabled-by-default-devtools.timeline',
              'blink.user_timing',
              'v8.execute',
              'toplevel',
              'disabled-by-default-v8.cpu_profiler',
            ],
          });
        }
        await block(side, count, config);
        if (tracing) await browser.stopTracing();
      }
    }
    load.end = os.loadavg()[0]!;
    if (config.screenshots) {
      await mkdir(config.screenshots, { recursive: true });
      for (const side of sides) {
        for (const [which, page] of [['a', side.a] as const, ['b', side.b] as const]) {
          const file = path.join(config.screenshots, `edit-visible-${side.name}-${which}.png`);
          await page.screenshot({ path: file });
          progress(`edit visible: screenshot ${file}`);
        }
      }
    }
    const results: SideResult[] = [];
    for (const side of sides) {
      const clock = await measureClocks(side);
      results.push(await collect(side, config, clock.offset, clock.uncertainty));
    }
    return {
      config,
      reference: results[0]!,
      chronoboard: results[1]!,
      load,
      events: EVENTS.length,
    };
  } finally {
    await closeBrowser();
  }
}

/** The metrics for bench/results/latest.json. */
export function editVisibleMetrics(result: EditVisibleResult): Record<string, Metric> {
  const ours = result.chronoboard.visible;
  const reference = result.reference.visible;
  const note = (side: SideResult) =>
    side.lost > 0 ? `${side.lost} of ${side.edits} edits never shown` : undefined;
  const lost = [note(result.chronoboard), note(result.reference)].filter(Boolean).join('; ');
  return {
    edit_visible_browser_p50_ms: compared(
      ours?.p50 ?? Number.NaN,
      'ms',
      reference?.p50 ?? Number.NaN,
      lost || undefined,
    ),
    edit_visible_browser_p99_ms: compared(
      ours?.p99 ?? Number.NaN,
      'ms',
      reference?.p99 ?? Number.NaN,
      lost || undefined,
    ),
  };
}

export function formatEditVisibleReport(result: EditVisibleResult): string {
  const { config } = result;
  const saturated = (['chronoboard', 'reference'] as const).filter(
    (name) => result[name].paceLagP95Ms > 1000 / config.rate,
  );
  const cell = (summary: Summary | null) =>
    summary
      ? `${fmt(summary.p50)} / ${fmt(summary.p99)} / ${fmt(summary.max)}`.padEnd(24)
      : '–'.padEnd(24);
  const row = (label: string, pick: (side: SideResult) => string) =>
    `${label.padEnd(36)} ${pick(result.chronoboard).padEnd(24)}   ${pick(result.reference)}`;
  return [
    'Edit → visible in another browser page: keystroke in page A → label changed on page B (ms)',
    `${config.edits} edits per side at ${config.rate}/s after ${config.warmupEdits} warm-up, ` +
      `${config.blocks} alternating blocks; ${result.events} events; goal p50 ≤ 20, p99 ≤ 40; ` +
      `load ${result.load.start.toFixed(1)} → ${result.load.end.toFixed(1)}`,
    `${''.padEnd(36)} ${'Chronoboard'.padEnd(24)}   bare vis + @y/websocket-server 0.1.1`,
    row('in B’s DOM, p50 / p99 / max', (side) => cell(side.visible)),
    row('  A: keystroke → update sent', (side) => cell(side.stages.a)),
    row('  sent → reached B (server, sockets)', (side) => cell(side.stages.trip)),
    row('  B: reached → in the DOM', (side) => cell(side.stages.b)),
    row('superseded / lost', (side) => `${side.superseded} / ${side.lost} of ${side.edits}`),
    row('keystroke lag p95 (ms, Node)', (side) => String(side.paceLagP95Ms)),
    row(
      'clock B − A (ms)',
      (side) => `${side.clockOffsetMs.toFixed(2)} ± ${side.clockUncertaintyMs.toFixed(2)}`,
    ),
    ...(saturated.length > 0
      ? [
          `SATURATED (${saturated.join(', ')}): keystrokes went out late (lag p95 over one ` +
            'interval): the machine was short of CPU, these figures say more about it than ' +
            'about the pages',
        ]
      : []),
  ].join('\n');
}

function fmt(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cleanup = new Cleanup();
  const screenshots = process.env.BENCH_VISIBLE_SCREENSHOTS;
  const trace = process.env.BENCH_VISIBLE_TRACE;
  runEditVisible({ ...DEFAULT_EDIT_VISIBLE_CONFIG, screenshots, trace }, cleanup, (line) =>
    console.error(line),
  )
    .then((result) => {
      console.log(formatEditVisibleReport(result));
      console.log(JSON.stringify(editVisibleMetrics(result), null, 2));
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    })
    .finally(() => cleanup.runAll());
}
