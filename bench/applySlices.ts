/**
 * A tool, not a benchmark: what applying the server's first answer in slices costs in Node,
 * with Yjs telling the doc's `update` listeners itself (it encodes every transaction again for
 * them) against `applyServerSlice` (the listeners get the slice as it is). Builds an N-event
 * timeline like bench/bigTimeline.ts, cuts its whole state into the 192 kB slices the browser
 * applies, and applies them to a new document with three `update` listeners and a deep observer
 * of the events (what the timeline page has), alternating the two ways, R rounds each.
 *
 *   node --expose-gc --import tsx bench/applySlices.ts 100000 6
 */
import * as Y from 'yjs';
import { applyServerSlice } from '../components/timeline/session/slicedApply';
import { buildEventMap, createLane, getEventsMap, initializeTimeline } from '../lib/timeline/model';
import { sliceUpdate } from '../lib/timeline/updateSlices';

type Way = 'yjs' | 'slice';

const count = Number(process.argv[2] ?? 100_000);
const rounds = Number(process.argv[3] ?? 6);
const DAY = 24 * 3600 * 1000;

const source = new Y.Doc();
initializeTimeline(source, { title: 'Bench' });
const lanes = ['North', 'South', 'East'].map((title) => createLane(source, { title }));
source.transact(() => {
  const events = getEventsMap(source);
  for (let i = 0; i < count; i++) {
    const start = new Date(Date.UTC(2024, 0, 1) + i * 600_000);
    const range = i % 10 === 0;
    const event = {
      title: `Event ${i}`,
      kind: range ? ('range' as const) : ('point' as const),
      start: start.toISOString(),
      ...(range ? { end: new Date(start.getTime() + DAY).toISOString() } : {}),
      lane: lanes[i % lanes.length]!,
    };
    events.set(`bench${i}`, buildEventMap(event as Parameters<typeof buildEventMap>[0]));
  }
});
const update = Y.encodeStateAsUpdate(source);
const slices = sliceUpdate(update, 192 * 1024);
console.log(`${count} events: ${update.byteLength} bytes in ${slices.length} slices`);

const origin = { kind: 'provider' };

/** Applies every slice one way; returns the total and the longest slice (ms). */
function apply(way: Way): { total: number; longest: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const doc = new Y.Doc();
  let stored = 0;
  doc.on('update', (bytes: Uint8Array, from: unknown) => {
    if (from === origin) stored += bytes.byteLength; // y-indexeddb keeps these
  });
  doc.on('update', () => {}); // y-websocket (ignores the provider's updates)
  doc.on('update', () => {}); // the snapshot scheduler
  getEventsMap(doc).observeDeep(() => {}); // the event reader
  let longest = 0;
  const started = performance.now();
  for (const slice of slices) {
    const at = performance.now();
    if (way === 'yjs') Y.applyUpdate(doc, slice, origin);
    else applyServerSlice(doc, slice, origin);
    longest = Math.max(longest, performance.now() - at);
  }
  const total = performance.now() - started;
  if (stored === 0) throw new Error('the listeners heard nothing');
  return { total: Math.round(total), longest: Math.round(longest) };
}

const runs: Record<Way, { total: number; longest: number }[]> = { yjs: [], slice: [] };
for (let round = 0; round < rounds; round++) {
  const order: Way[] = round % 2 === 0 ? ['yjs', 'slice'] : ['slice', 'yjs'];
  for (const way of order) runs[way].push(apply(way));
}
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
for (const way of ['yjs', 'slice'] as const) {
  const totals = runs[way].map((run) => run.total);
  const longest = runs[way].map((run) => run.longest);
  console.log(
    `${way === 'yjs' ? "Yjs's update event" : 'applyServerSlice  '}: median ${median(totals)} ms ` +
      `(${totals.join(', ')}), longest slice median ${median(longest)} ms`,
  );
}
