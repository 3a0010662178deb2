/**
 * A tool, not a benchmark: where the main thread goes while a big timeline opens. Seeds a
 * timeline of N events (as bench/bigTimeline.ts does), opens it in Chromium with the V8 sampling
 * profiler running from before navigation, waits until it is interactive (same definition as the
 * benchmark), and writes the profile (`.cpuprofile`, loadable in Chrome DevTools), a screenshot,
 * and the heaviest functions by self and total time.
 *
 *   npx tsx bench/profileOpen.ts 100000 [--reload] [--out /tmp/profile]
 *
 * `--reload` also profiles a second opening in the same browser context (the IndexedDB copy is
 * there then). Needs a build (`npx tsx scripts/ensure-build.ts`) and PostgreSQL like the
 * benchmark.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type CDPSession, chromium, type Page } from '@playwright/test';
import { CHROMIUM_LAUNCH } from '../tests/e2e/chromium';
import { startServerProcess } from '../tests/integration/helpers/serverProcess';
import { createBenchBackend } from './backends';
import { INIT_SCRIPT, seedTimeline, waitUntilDrawn } from './bigTimeline';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const args = process.argv.slice(2);
const size = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 100_000);
const reload = args.includes('--reload');
const outIndex = args.indexOf('--out');
const out = outIndex >= 0 ? args[outIndex + 1]! : '/tmp/chronoboard-profile';

function frameName(frame: ProfileNode['callFrame']): string {
  const file = frame.url.split('/').pop() || '(native)';
  return `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}:${frame.columnNumber + 1}`;
}

/** Self and total (inclusive, once per stack) time per function, in ms. */
export function summarizeProfile(profile: CpuProfile, top = 40): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const dt = (profile.timeDeltas[index + 1] ?? 0) / 1000;
    const leaf = byId.get(id)!;
    const leafName = frameName(leaf.callFrame);
    self.set(leafName, (self.get(leafName) ?? 0) + dt);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = frameName(byId.get(at)!.callFrame);
      if (seen.has(name)) continue;
      seen.add(name);
      total.set(name, (total.get(name) ?? 0) + dt);
    }
  });
  const lines = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => `${ms.toFixed(0).padStart(8)} ms  ${name}`)
      .join('\n');
  const span = (profile.endTime - profile.startTime) / 1000;
  // Busy stretches (separated by ≥ 10 ms of idle), with the deepest frames that cover most of each.
  const runs: string[] = [];
  let at = 0;
  let runStart = -1;
  let runSamples: number[] = [];
  let idleFor = 0;
  const flush = () => {
    if (runStart < 0) return;
    const ms = at - idleFor - runStart;
    if (ms >= 30) {
      const counts = new Map<string, number>();
      for (const id of runSamples) {
        const seen = new Set<string>();
        for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
          const name = frameName(byId.get(node)!.callFrame);
          if (seen.has(name)) continue;
          seen.add(name);
          counts.set(name, (counts.get(name) ?? 0) + 1);
        }
      }
      const heavy = [...counts]
        .filter(([name]) => !name.startsWith('(root)'))
        .sort((a, b) => b[1] - a[1])
        .slice(0, 6)
        .map(([name, n]) => `${name} ${Math.round((n / runSamples.length) * 100)}%`);
      runs.push(`@${runStart.toFixed(0)} ${ms.toFixed(0)} ms: ${heavy.join(' | ')}`);
    }
    runStart = -1;
    runSamples = [];
  };
  profile.samples.forEach((id, index) => {
    const dt = (profile.timeDeltas[index + 1] ?? 0) / 1000;
    const idle = byId.get(id)!.callFrame.functionName === '(idle)';
    if (idle) {
      idleFor += dt;
      if (idleFor >= 10) flush();
    } else {
      if (runStart < 0) runStart = at;
      idleFor = 0;
      runSamples.push(id);
    }
    at += dt;
  });
  flush();
  return `busy stretches:\n${runs.join('\n')}\n\nprofile span ${span.toFixed(0)} ms\n\n== self ==\n${lines(self)}\n\n== total ==\n${lines(total)}\n`;
}

async function profiledOpen(page: Page, cdp: CDPSession, url: string, label: string) {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
  await cdp.send('Profiler.start');
  const started = Date.now();
  await page.goto(url, { waitUntil: 'commit' });
  await waitUntilDrawn(page, 180_000);
  const drawn = Date.now() - started;
  const box = await page.locator('.vis-timeline .vis-center').first().boundingBox();
  await page.mouse.click(box!.x + box!.width / 2, box!.y + 4);
  await page.waitForFunction(
    () => (window as unknown as { __clickAnswered: number }).__clickAnswered > 0,
    undefined,
    { timeout: 180_000, polling: 'raf' },
  );
  const interactive = Date.now() - started;
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
  const marks = await page.evaluate(() =>
    performance
      .getEntriesByType('measure')
      .concat(performance.getEntriesByType('mark'))
      .map(
        (entry) =>
          `${entry.entryType} ${entry.name} @${entry.startTime.toFixed(0)} +${entry.duration.toFixed(0)}`,
      ),
  );
  const longTasks = await page.evaluate(
    () => (window as unknown as { __longTasks: number[] }).__longTasks,
  );
  await writeFile(path.join(out, `${label}.cpuprofile`), JSON.stringify(profile));
  await page.screenshot({ path: path.join(out, `${label}.png`) });
  const summary =
    `${label}: drawn ${drawn} ms, interactive ${interactive} ms; long tasks ${longTasks.map((t) => Math.round(t)).join(', ')}\n` +
    `${marks.join('\n')}\n${summarizeProfile(profile)}`;
  await writeFile(path.join(out, `${label}.txt`), summary);
  console.log(summary);
}

async function main() {
  await mkdir(out, { recursive: true });
  const backend = await createBenchBackend('postgresql');
  const server = await startServerProcess({
    databaseUrl: backend.storage.databaseUrl,
    dataDir: backend.storage.dataDir,
  });
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  try {
    const seeded = await seedTimeline(server, backend.storage.databaseUrl!, size);
    const context = await browser.newContext({
      viewport: { width: 1400, height: 900 },
      timezoneId: 'UTC',
    });
    const cookie = server.admin!.cookie.split('=', 2) as [string, string];
    await context.addCookies([
      { name: cookie[0], value: cookie[1], url: server.url, httpOnly: true, sameSite: 'Lax' },
    ]);
    await context.addInitScript(INIT_SCRIPT);
    const page = await context.newPage();
    // Same origin first, so the profiled navigation stays in this renderer process.
    await page.goto(`${server.url}/api/health`);
    const cdp = await context.newCDPSession(page);
    const url = `${server.url}/t/${seeded.id}`;
    await profiledOpen(page, cdp, url, `open-${size}`);
    if (reload) {
      await page.waitForTimeout(5_000);
      await page.goto(`${server.url}/api/health`);
      await profiledOpen(page, cdp, url, `reload-${size}`);
    }
    await context.close();
  } finally {
    await browser.close();
    await server.stop();
    await backend.cleanup();
  }
}

await main();
