/**
 * `tsx bench/twoInstances.ts`: fan-out across two instances (README "Several instances").
 * Two collaboration-only server processes (`npm run start:collab`'s bundle) share one fresh
 * PostgreSQL database and the local Redis. One writer on instance A makes `BENCH_RATE` edits per
 * second; `BENCH_READERS` readers on instance B record when each edit reaches them (all clients
 * live in this process, so one clock). The reference, in the same run: the same writer and
 * readers on one instance. Returns `two_instance_fanout_p50_ms` / `two_instance_fanout_p99_ms`
 * (`reference`: one instance); bench/run.ts runs it as the `instances` suite.
 *
 * Environment: BENCH_SECONDS (measured, default 8), BENCH_RATE (default 50), BENCH_READERS
 * (default 20), REDIS_URL (default redis://127.0.0.1:6379), TEST_POSTGRES_URL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { createId } from '../lib/ids';
import { collabOnlyCommand, ensureServerBuild } from '../scripts/build-server';
import { createAccessService } from '../server/access/service';
import { openDatabase } from '../server/db/database';
import { createLocalEventBus } from '../server/events/bus';
import { createLogger } from '../server/log';
import { createPrismaStore } from '../server/store/prismaStore';
import { createBenchBackend } from './backends';
import { Cleanup, withTimeout } from './cleanup';
import { ROOT } from './loadProcess';
import { compared, type Metric } from './report';
import { type Summary, summarize } from './stats';

const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const rate = Number(process.env.BENCH_RATE ?? 50);
const readers = Number(process.env.BENCH_READERS ?? 20);
const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const WARMUP_MS = 1_000;

interface Instance {
  wsUrl: string;
  child: ChildProcess;
}

async function startInstance(env: Record<string, string>): Promise<Instance> {
  // As `npm run start:collab` runs it (scripts/build-server.ts).
  await ensureServerBuild();
  const command = collabOnlyCommand();
  const child = spawn(process.execPath, command.args, {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...env,
      ...command.env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await withTimeout(
    new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /Chronoboard ready on (\S+)/.exec(out);
        if (match) resolve(match[1]!);
      });
      child.once('exit', (code) => reject(new Error(`instance exited with ${code}`)));
    }),
    120_000,
    'instance start',
  );
  return { wsUrl: `${url.replace(/^http/, 'ws')}/collab`, child };
}

/** SIGTERM (the instance flushes its rooms) and wait for the exit. */
async function stopInstance(instance: Instance): Promise<void> {
  if (instance.child.exitCode !== null) return;
  const exited = new Promise((resolve) => instance.child.once('exit', resolve));
  instance.child.kill('SIGTERM');
  await exited;
}

function connect(wsUrl: string, timelineId: string, token: string) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(wsUrl, timelineId, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  const synced = new Promise<void>((resolve) => {
    const handle = (isSynced: boolean) => {
      if (!isSynced) return;
      provider.off('sync', handle);
      resolve();
    };
    provider.on('sync', handle);
  });
  const destroy = () => {
    provider.destroy();
    doc.destroy();
  };
  return { doc, provider, synced, destroy };
}

/** One writer on `writerUrl`, `readers` readers on `readerUrl`; latency of every edit seen. */
async function measure(
  writerUrl: string,
  readerUrl: string,
  timelineId: string,
  token: string,
): Promise<Summary | null> {
  const writer = connect(writerUrl, timelineId, token);
  const watchers = Array.from({ length: readers }, () => connect(readerUrl, timelineId, token));
  const all = [writer, ...watchers];
  try {
    await withTimeout(Promise.all(all.map((client) => client.synced)), 30_000, 'clients sync');
    const sentAt = new Map<number, number>();
    const samples: number[] = [];
    const measureFrom = performance.now() + WARMUP_MS;
    for (const reader of watchers) {
      const map = reader.doc.getMap<number>('bench');
      map.observe((event) => {
        const now = performance.now();
        for (const key of event.keysChanged) {
          const seq = map.get(key);
          const sent = seq === undefined ? undefined : sentAt.get(seq);
          if (sent !== undefined && sent >= measureFrom) samples.push(now - sent);
        }
      });
    }
    const edits = writer.doc.getMap<number>('bench');
    let seq = 0;
    const interval = setInterval(() => {
      seq++;
      sentAt.set(seq, performance.now());
      edits.set(`k${seq % 64}`, seq);
    }, 1000 / rate);
    await new Promise((resolve) => setTimeout(resolve, WARMUP_MS + seconds * 1000));
    clearInterval(interval);
    await new Promise((resolve) => setTimeout(resolve, 500));
    return summarize(samples);
  } finally {
    for (const client of all) client.destroy();
  }
}

export async function runTwoInstances(
  progress: (line: string) => void,
): Promise<Record<string, Metric>> {
  progress('instances: two collaboration-only servers sharing PostgreSQL and Redis');
  // Each y-websocket provider listens for the process's exit.
  process.setMaxListeners(Math.max(process.getMaxListeners(), 2 * (readers + 1) + 10));
  const cleanup = new Cleanup();
  try {
    const backend = await createBenchBackend('postgresql');
    cleanup.add('database', () => backend.cleanup());
    const database = await openDatabase(backend.storage);
    const logger = createLogger('warn');
    const access = createAccessService({ database, bus: createLocalEventBus(logger), logger });
    const { user } = await access.createUser({ email: 'bench@example.test', role: 'admin' });
    const { token } = await access.createApiToken(user.id, 'bench');
    const store = createPrismaStore(database);
    const timelines = [createId(), createId()];
    for (const id of timelines) {
      const doc = new Y.Doc();
      await store.createTimeline({ id, title: 'Bench', eventCount: 0 }, Y.encodeStateAsUpdate(doc));
    }
    await database.close();

    const env = {
      DATABASE_URL: backend.storage.databaseUrl!,
      DATA_DIR: backend.storage.dataDir,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: `chronoboard-bench-${randomBytes(6).toString('hex')}`,
      SEED_DEMO: 'false',
    };
    const a = await startInstance(env);
    cleanup.add('instance A', () => stopInstance(a));
    const b = await startInstance(env);
    cleanup.add('instance B', () => stopInstance(b));

    const single = await measure(a.wsUrl, a.wsUrl, timelines[0]!, token);
    const across = await measure(a.wsUrl, b.wsUrl, timelines[1]!, token);
    const load = os
      .loadavg()
      .map((value) => value.toFixed(2))
      .join(' ');
    progress(
      `fan-out, 1 writer at ${rate}/s, ${readers} readers, ${seconds} s (load ${load})\n` +
        `  readers on the writer's instance: p50 ${single?.p50} ms, p99 ${single?.p99} ms (n=${single?.n})\n` +
        `  readers on the other instance:    p50 ${across?.p50} ms, p99 ${across?.p99} ms (n=${across?.n})`,
    );
    return {
      two_instance_fanout_p50_ms: compared(across?.p50 ?? Number.NaN, 'ms', single?.p50),
      two_instance_fanout_p99_ms: compared(across?.p99 ?? Number.NaN, 'ms', single?.p99),
    };
  } finally {
    await cleanup.runAll();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runTwoInstances((line) => console.log(line))
    .then((metrics) => console.log(JSON.stringify(metrics, null, 2)))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
