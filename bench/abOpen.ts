/**
 * A tool, not a benchmark: the browser figures of two builds of the web app, side by side, in
 * alternating runs on the same machine at the same time (so the load, which moves everything on a
 * shared 2-core machine, weighs on both alike). Same measures as bench/bigTimeline.ts.
 *
 *   NEXT_DIST_DIR=.next-main npx tsx scripts/ensure-build.ts   # build A (e.g. from main's code)
 *   npx tsx scripts/ensure-build.ts                            # build B (this branch)
 *   npx tsx bench/abOpen.ts --a .next-main --b .next --sizes 10000,100000 --rounds 3
 *
 * `--env-a KEY=value,…` / `--env-b …` give one side's server process more environment (e.g.
 * `--env-a ROOM_DEFER_LOAD_MS=0` to compare a server setting with the same build on both sides).
 */
import { chromium } from '@playwright/test';
import { CHROMIUM_LAUNCH } from '../tests/e2e/chromium';
import { startServerProcess } from '../tests/integration/helpers/serverProcess';
import { createBenchBackend } from './backends';
import {
  INIT_SCRIPT,
  measureComplete,
  measureOpen,
  measurePanZoom,
  seedTimeline,
} from './bigTimeline';
import { summarize } from './stats';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1]! : fallback;
};
const dists = { a: option('a', '.next-main'), b: option('b', '.next') };
const sizes = option('sizes', '10000,100000').split(',').map(Number);
const rounds = Number(option('rounds', '3'));
const envOf = (side: string): Record<string, string> =>
  Object.fromEntries(
    option(`env-${side}`, '')
      .split(',')
      .filter(Boolean)
      .map((pair) => pair.split('=', 2) as [string, string]),
  );

async function main() {
  const sides = [];
  for (const [name, dist] of Object.entries(dists)) {
    const backend = await createBenchBackend('postgresql');
    const server = await startServerProcess({
      databaseUrl: backend.storage.databaseUrl,
      dataDir: backend.storage.dataDir,
      env: { NEXT_DIST_DIR: dist, ...envOf(name) },
    });
    const timelines = new Map<number, string>();
    for (const size of sizes) {
      timelines.set(size, (await seedTimeline(server, backend.storage.databaseUrl!, size)).id);
    }
    sides.push({ name, dist, backend, server, timelines });
  }
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  const results: Record<
    string,
    { open: number[]; complete: number[]; longest: number[]; frames: number[] }
  > = {};
  try {
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? sides : [...sides].reverse();
      for (const size of sizes) {
        for (const side of order) {
          const context = await browser.newContext({
            viewport: { width: 1400, height: 900 },
            timezoneId: 'UTC',
          });
          const cookie = side.server.admin!.cookie.split('=', 2) as [string, string];
          await context.addCookies([
            { name: cookie[0], value: cookie[1], url: side.server.url, httpOnly: true },
          ]);
          await context.addInitScript(INIT_SCRIPT);
          const page = await context.newPage();
          const key = `${side.name} ${size}`;
          results[key] ??= { open: [], complete: [], longest: [], frames: [] };
          const opened = await measureOpen(
            page,
            `${side.server.url}/t/${side.timelines.get(size)}`,
            60_000,
          );
          results[key].open.push(opened.ms);
          results[key].longest.push(opened.longTasks.longestMs);
          const complete = await measureComplete(page, 60_000);
          if (complete !== null) results[key].complete.push(complete);
          if (size === Math.max(...sizes)) {
            results[key].frames.push(...(await measurePanZoom(page, 12, 45_000)));
          }
          console.log(
            `round ${round} ${key} (${side.dist}): ${opened.ms} ms, whole document ${complete} ms, longest task ${opened.longTasks.longestMs} ms`,
          );
          await context.close();
        }
      }
    }
  } finally {
    await browser.close();
    for (const side of sides) {
      await side.server.stop();
      await side.backend.cleanup();
    }
  }
  for (const [key, value] of Object.entries(results)) {
    const open = summarize(value.open)!;
    const frames = value.frames.length > 0 ? summarize(value.frames) : null;
    const complete = summarize(value.complete);
    console.log(
      `${key}: open median ${open.p50} ms (${value.open.join(', ')}); whole document median ${complete?.p50 ?? '–'} ms (${value.complete.join(', ')}); longest tasks ${value.longest.join(', ')}` +
        (frames
          ? `; pan/zoom frames p50 ${frames.p50} p95 ${frames.p95} max ${frames.max} (${frames.n})`
          : ''),
    );
  }
}

await main();
