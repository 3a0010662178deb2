/**
 * Bulk changes (issue #15): 100,000 events written at once — an import through the REST API,
 * which the server applies to the live room in one transaction — and then how long until the
 * server is idle again: its room compacted and unloaded (`/api/health` rooms = 0, nothing
 * unpersisted) and its CPU below 5 % of one core over 3 s. Also its peak and settled memory and
 * how many activity entries the import made. The goal: idle again within 30 s, under 1 GB.
 * The room unloads `ROOM_IDLE_MS` (default 5 s) after the import released it, so that wait is
 * part of the figure.
 *
 * The reference in the same run is the same server's cost of the cheapest equivalent: parsing
 * the same CSV and applying it to a bare Y.Doc in this process (bench/import.ts's work), i.e.
 * what the CPU work of the import is before storage, the activity log and compaction.
 *
 * `npx tsx bench/bulk.ts [events]` (default 100000); `BENCH_BULK_BACKEND=pglite` for PGlite;
 * `BENCH_BULK_PROFILE=<dir>` writes a CPU profile of the server process there (`--cpu-prof`,
 * written when it stops). The server's warnings and errors are printed as they come.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { applyImportPlan, parseImport } from '../lib/import/index';
import { initializeTimeline } from '../lib/timeline/model';
import { credentialsFor, signInAdmin } from '../tests/integration/helpers/auth';
import { api, createTimeline } from '../tests/integration/helpers/clients';
import { createTestDatabase } from '../tests/integration/helpers/postgres';
import { Cleanup } from './cleanup';
import { readRss, startProbedServer } from './floodServer';
import { compared, type Metric } from './report';
import { round } from './stats';

export interface BulkResult {
  events: number;
  backend: 'postgresql' | 'pglite';
  /** POST until the answer (the import is durable then). */
  answerS: number;
  /**
   * POST until the server was idle again (room unloaded, CPU under 5 % over 3 s); null if it did
   * not settle within the time limit.
   */
  settleS: number | null;
  /** POST until `/api/health` first reported no room loaded; null if it never did. */
  unloadedS: number | null;
  peakRssMib: number;
  settledRssMib: number;
  /** V8 heap in use once idle, after a collection (settledRssMib: the RSS 2 s after it). */
  settledHeapMib: number;
  activityEntries: number;
  roomsAfter: number | null;
  /** Parse + apply of the same CSV on a bare Y.Doc in this process. */
  referenceS: number;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux
const SETTLE_LIMIT_MS = 180_000;

function csvOf(count: number): string {
  const rows = ['title,start,lane,tags,confidence,source_url'];
  for (let i = 0; i < count; i++) {
    const day = new Date(Date.UTC(2019, 0, 1) + i * 600_000).toISOString();
    rows.push(
      `Report ${i} from district ${i % 97},${day},Lane ${i % 6},bulk; d${i % 11},${['high', 'moderate', 'low'][i % 3]},https://example.org/r/${i}`,
    );
  }
  return rows.join('\n');
}

async function cpuTicks(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces): utime is 14th, stime 15th overall.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

export async function runBulk(
  count: number,
  backend: 'postgresql' | 'pglite',
  cleanup: Cleanup,
  progress: (line: string) => void,
): Promise<BulkResult> {
  const csv = csvOf(count);
  let t = performance.now();
  const plan = parseImport('csv', csv);
  const doc = new Y.Doc();
  initializeTimeline(doc, { title: 'reference', lanes: [{ title: 'Events' }] });
  applyImportPlan(doc, plan);
  const referenceS = (performance.now() - t) / 1000;
  doc.destroy();
  progress(`bulk: reference parse + apply of ${count} rows: ${round(referenceS)} s`);

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'chronoboard-bulk-'));
  const removeDir = cleanup.add(`remove ${dataDir}`, () =>
    rm(dataDir, { recursive: true, force: true }),
  );
  const database = backend === 'postgresql' ? await createTestDatabase() : null;
  const dropDatabase = database
    ? cleanup.add('drop the bulk database', () => database.drop())
    : async () => {};
  progress(`bulk: starting the server (${backend})`);
  const env: Record<string, string> = { LOG_LEVEL: 'warn' };
  if (database) env.DATABASE_URL = database.url;
  const profileDir = process.env.BENCH_BULK_PROFILE;
  const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profileDir)}`] : [];
  const server = await startProbedServer(dataDir, env, [], nodeArgs);
  const stopServer = cleanup.add('stop the bulk server', () => server.stop());
  const pid = server.child.pid!;
  // The server's warnings and errors (a failed compaction, a retried write) say why it is busy.
  server.child.stderr!.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) progress(`server: ${line}`);
  });
  try {
    await signInAdmin(server.url);
    const timeline = await createTimeline(server.url, 'Bulk');
    const token = credentialsFor(server.url)!.token;
    let peakRss = (await readRss(pid)) ?? 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peakRss = Math.max(peakRss, (await readRss(pid)) ?? 0);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();

    progress(`bulk: importing ${count} events (${(csv.length / 1048576).toFixed(1)} MiB CSV)`);
    t = performance.now();
    const response = await fetch(
      `${server.url}/api/timelines/${timeline.id}/import?format=csv&skipInvalid=true`,
      {
        method: 'POST',
        headers: { 'content-type': 'text/csv', authorization: `Bearer ${token}` },
        body: csv,
      },
    );
    const answer = (await response.json()) as { events?: number; error?: string };
    const answerS = (performance.now() - t) / 1000;
    if (response.status !== 200) {
      throw new Error(`the import answered ${response.status}: ${JSON.stringify(answer)}`);
    }
    progress(`bulk: answered after ${round(answerS)} s (${answer.events} events)`);

    // Idle: the room unloaded (compacted, nothing left to write) and the CPU under 5 % of one
    // core over a 3 s window. The health check is asked at the end of each window; a busy
    // server answers it late, which only delays the next window.
    let settleS: number | null = null;
    let unloadedS: number | null = null;
    let unloaded = false;
    const windowMs = 3_000;
    while (performance.now() - t < SETTLE_LIMIT_MS) {
      const before = await cpuTicks(pid);
      const windowStart = performance.now();
      await new Promise((resolve) => setTimeout(resolve, windowMs));
      const used = (await cpuTicks(pid)) - before;
      const share = used / CLOCK_TICKS / ((performance.now() - windowStart) / 1000);
      const health = await api<{ rooms?: number; unpersistedBytes?: number }>(
        server.url,
        '/api/health',
      );
      // A window counts only if the room was already gone when it began.
      const unloadedAtStart = unloaded;
      unloaded = health.body.rooms === 0 && health.body.unpersistedBytes === 0;
      if (unloaded && unloadedS === null) unloadedS = (performance.now() - t) / 1000;
      progress(
        `bulk: ${round((windowStart - t) / 1000)} s: CPU ${Math.round(share * 100)} %, ` +
          `rooms ${health.body.rooms}, RSS ${Math.round(((await readRss(pid)) ?? 0) / 1048576)} MiB`,
      );
      if (share < 0.05 && unloadedAtStart) {
        settleS = (windowStart - t) / 1000;
        break;
      }
    }
    sampling = false;
    await sampler;
    progress(`bulk: ${settleS === null ? 'did not settle' : `idle after ${round(settleS)} s`}`);
    const settled = await server.memory(true);
    // V8 hands freed pages back to the system in the background after a collection: the RSS a
    // moment later is what the process really keeps.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    settled.rss = (await readRss(pid)) ?? settled.rss;
    progress(
      `bulk: after a collection: RSS ${Math.round(settled.rss / 1048576)} MiB, heap ` +
        `${Math.round(settled.heapUsed / 1048576)} MiB, external ${Math.round(settled.external / 1048576)} MiB`,
    );
    const activity = await api<{ entries: unknown[] }>(
      server.url,
      `/api/timelines/${timeline.id}/activity?limit=100`,
    );
    const health = await api<{ rooms?: number }>(server.url, '/api/health');
    return {
      events: count,
      backend,
      answerS: round(answerS),
      settleS: settleS === null ? null : round(settleS),
      unloadedS: unloadedS === null ? null : round(unloadedS),
      peakRssMib: round(peakRss / 1048576, 0),
      settledRssMib: round(settled.rss / 1048576, 0),
      settledHeapMib: round(settled.heapUsed / 1048576, 0),
      activityEntries: activity.body.entries?.length ?? -1,
      roomsAfter: health.body.rooms ?? null,
      referenceS: round(referenceS),
    };
  } finally {
    await stopServer();
    await dropDatabase();
    await removeDir();
  }
}

export function bulkMetrics(result: BulkResult): Record<string, Metric> {
  return {
    bulk_100k_settle_s: compared(
      result.settleS ?? Number.NaN,
      's',
      result.referenceS,
      'reference: parse + apply of the same CSV on a bare Y.Doc',
    ),
    bulk_100k_peak_rss_mib: { value: result.peakRssMib, unit: 'MiB' },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cleanup = new Cleanup();
  const count = Number(process.argv[2] ?? 100_000);
  const backend = process.env.BENCH_BULK_BACKEND === 'pglite' ? 'pglite' : 'postgresql';
  runBulk(count, backend, cleanup, (line) => console.log(line))
    .then((result) => {
      console.log(JSON.stringify(result, null, 2));
      console.log(JSON.stringify(bulkMetrics(result), null, 2));
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    })
    .finally(() => cleanup.runAll());
}
