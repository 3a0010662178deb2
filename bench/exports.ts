/**
 * `npx tsx bench/exports.ts [events…]`: how long each export format takes for a timeline of N
 * events (default 1000 and 2000; 8 lanes, 2 sources each), and the longest the event loop was
 * blocked meanwhile (what live editing in the same process would feel). Prints a table.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ExportFormatId } from '../lib/export/options';
import { EXPORT_FORMATS } from '../server/export';
import { buildBriefing } from '../server/export/briefing';
import { renderOffThread, stopExportWorker } from '../server/export/offThread';
import type { ExportContent } from '../server/export/types';

function makeContent(count: number): ExportContent {
  const lanes = Array.from({ length: 8 }, (_, i) => ({
    id: `lane-${i}`,
    title: `Lane ${i + 1}`,
    order: i,
    color: ['#3b82f6', '#ef4444', '#10b981', '#f59e0b', '#8b5cf6', '#ec4899', '#14b8a6', '#64748b'][
      i
    ]!,
  }));
  const start = Date.parse('2019-01-01T00:00:00Z');
  const events = Array.from({ length: count }, (_, i) => ({
    id: `ev-${i}`,
    title: `Event ${i}: substation report from district ${i % 97}`,
    start: new Date(start + i * 3_600_000 * 7).toISOString(),
    ...(i % 5 === 0
      ? { end: new Date(start + i * 3_600_000 * 7 + 86_400_000 * 3).toISOString(), kind: 'range' }
      : { kind: 'point' }),
    lane: `lane-${i % 8}`,
    description: 'A paragraph of description that a briefing prints in its notes. '.repeat(3),
    confidence: ['high', 'moderate', 'low', undefined][i % 4],
    sources: [
      {
        id: `s-${i}-a`,
        title: `Report ${i}`,
        url: `https://news${i % 13}.example/${i}`,
        publisher: `Paper ${i % 13}`,
      },
      { id: `s-${i}-b`, title: `Wire ${i}`, url: `https://wire.example/${i}` },
    ],
  }));
  return {
    timeline: {
      id: 't',
      title: 'Bench',
      eventCount: count,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    },
    lanes,
    events: events as unknown as ExportContent['events'],
  };
}

const sizes = process.argv.slice(2).map(Number).filter(Boolean);
const formats =
  (process.env.BENCH_FORMATS?.split(',') as ExportFormatId[] | undefined) ??
  EXPORT_FORMATS.map((f) => f.id);
for (const count of sizes.length ? sizes : [1000, 2000]) {
  const content = makeContent(count);
  // What handing the content to the worker costs the main thread: postMessage's structured
  // clone, which structuredClone performs the same way (median of 5).
  const clones = Array.from({ length: 5 }, () => {
    const started = performance.now();
    structuredClone(content);
    return performance.now() - started;
  }).sort((a, b) => a - b);
  console.log(`${count} events: structured clone of the content ${clones[2]!.toFixed(1)} ms`);
}
console.log('events  format      where     ms   max loop block ms   bytes');
for (const count of sizes.length ? sizes : [1000, 2000]) {
  const content = makeContent(count);
  const options = { comments: false, scale: 1 as const };
  for (const format of EXPORT_FORMATS.filter((f) => formats.includes(f.id))) {
    for (const where of format.offThread ? ['main', 'worker'] : ['main']) {
      const histogram = monitorEventLoopDelay({ resolution: 10 });
      histogram.enable();
      // The monitor measures between its own ticks: let it tick once before the work starts.
      await new Promise((resolve) => setTimeout(resolve, 30));
      const started = performance.now();
      const bytes =
        where === 'worker'
          ? await renderOffThread(format.id, { content, options, context: { now: new Date() } })
          : await format.render({ content, briefing: buildBriefing(content, options), options });
      const ms = performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 30));
      histogram.disable();
      console.log(
        `${String(count).padStart(6)}  ${format.id.padEnd(10)}  ${where.padEnd(6)} ${ms.toFixed(0).padStart(6)}   ${(histogram.max / 1e6).toFixed(0).padStart(17)}   ${bytes.length}`,
      );
    }
  }
}
await stopExportWorker();
