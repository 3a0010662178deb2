/**
 * Idle connections (issue #15): what N open, idle, authorized connections to one timeline cost
 * the collaboration-only process as `npm run start:collab` runs it (the bundle under plain node,
 * bench/floodServer.ts; over a fresh PostgreSQL database), against the reference relay `@y/websocket-server` 0.1.1 with the same connections,
 * in the same run. Each connection sends a sync request and then stays silent; on our server they
 * use API tokens of N / 60 viewer accounts (64 connections per account, lib/limits): one token
 * per account, or with BENCH_IDLE_DISTINCT_TOKENS=1 one token per connection (as many browsers
 * with a session each would present: no two verifications can be shared).
 *
 * Reported per server, after a collection: RSS and heap with one connection (the room loaded),
 * then with N, and the growth per 1,000 connections. Goal: collab-only RSS ≤ 150 MiB at 10,000,
 * growth per 1,000 ≤ 1.2× the reference's.
 *
 * `npx tsx bench/idle.ts [connections]` (default 10000).
 */
import type { ChildProcess } from 'node:child_process';
import os from 'node:os';
import * as Y from 'yjs';
import { createId } from '../lib/ids';
import { createAccessService } from '../server/access/service';
import { openDatabase } from '../server/db/database';
import { createLocalEventBus } from '../server/events/bus';
import { createLogger } from '../server/log';
import { createPrismaStore } from '../server/store/prismaStore';
import { createBenchBackend } from './backends';
import { Cleanup } from './cleanup';
import { Readers, startReference, type Target } from './fanout';
import { type MemorySample, startProbedServer } from './floodServer';
import { compared, type Metric } from './report';
import { round } from './stats';

const PER_TOKEN = 60;
const MIB = 1024 * 1024;

/** What a process answers about its memory (bench/memoryProbe.mjs adds heapTotal and spaces). */
type Sample = MemorySample & {
  heapTotal?: number;
  /** Committed and used bytes per V8 heap space. */
  spaces?: Record<string, [number, number]>;
};

export interface IdleFigures {
  connections: number;
  base: Sample;
  loaded: Sample;
  /** RSS growth per 1,000 connections, MiB. */
  rssPer1000Mib: number;
  heapPer1000Mib: number;
}

export interface IdleResult {
  ours: IdleFigures;
  reference: IdleFigures;
}

/** Asks a child that answers `{ type: 'memory' }` over IPC for its memory after a collection. */
function memoryOf(child: ChildProcess): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const id = Math.floor(Math.random() * 1e9);
    const timer = setTimeout(() => reject(new Error('no memory answer in 30 s')), 30_000);
    const onMessage = (message: Sample & { type?: string; id?: number }) => {
      if (message?.type !== 'memory' || message.id !== id) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(message);
    };
    child.on('message', onMessage);
    child.send({ type: 'memory', id, gc: true });
  });
}

async function measure(
  target: Target,
  connections: number,
  memory: () => Promise<Sample>,
  progress: (line: string) => void,
): Promise<IdleFigures> {
  const first = new Readers();
  const rest = new Readers();
  try {
    await first.open(target, 1, 0);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const base = await memory();
    progress(`idle ${target.name}: opening ${connections} connections`);
    await rest.open(target, connections - 1, 0);
    // Let per-connection work (sync replies, awareness) settle before measuring.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const loaded = await memory();
    const per1000 = (after: number, before: number) =>
      round(((after - before) / MIB / connections) * 1000);
    const figures = {
      connections,
      base,
      loaded,
      rssPer1000Mib: per1000(loaded.rss, base.rss),
      heapPer1000Mib: per1000(loaded.heapUsed, base.heapUsed),
    };
    const committed = (sample: Sample) =>
      sample.heapTotal === undefined ? '' : ` (${round(sample.heapTotal / MIB, 0)} committed)`;
    progress(
      `idle ${target.name}: RSS ${round(base.rss / MIB, 0)} → ${round(loaded.rss / MIB, 0)} MiB, ` +
        `heap ${round(base.heapUsed / MIB, 0)}${committed(base)} → ` +
        `${round(loaded.heapUsed / MIB, 0)}${committed(loaded)} MiB; ` +
        `${figures.rssPer1000Mib} MiB RSS and ${figures.heapPer1000Mib} MiB heap per 1,000; ` +
        `load ${os.loadavg()[0]!.toFixed(1)}`,
    );
    if (loaded.spaces) {
      // Where the committed heap is: committed/used MiB per V8 space, with 1 and with N.
      const spaces = (sample: Sample) =>
        Object.entries(sample.spaces ?? {})
          .filter(([, [size]]) => size > MIB / 2)
          .map(([name, [size, used]]) => `${name} ${round(size / MIB, 1)}/${round(used / MIB, 1)}`)
          .join(', ');
      progress(
        `idle ${target.name}: spaces (committed/used MiB) ${spaces(base)} → ${spaces(loaded)}`,
      );
    }
    return figures;
  } finally {
    first.close();
    rest.close();
  }
}

export async function runIdle(
  connections: number,
  cleanup: Cleanup,
  progress: (line: string) => void,
): Promise<IdleResult> {
  const backend = await createBenchBackend('postgresql');
  const dropBackend = cleanup.add('idle: drop the database', () => backend.cleanup());
  try {
    // Accounts, tokens and the timeline go in before the server starts (it serves no REST).
    const database = await openDatabase(backend.storage);
    const logger = createLogger('warn');
    const access = createAccessService({ database, bus: createLocalEventBus(logger), logger });
    // The per-credential cap counts all of an account's tokens: one account per 60 connections.
    const distinct = process.env.BENCH_IDLE_DISTINCT_TOKENS === '1';
    const tokens: string[] = [];
    for (let i = 0; i < Math.ceil(connections / PER_TOKEN); i++) {
      const { user } = await access.createUser({ email: `idle${i}@bench.test`, role: 'viewer' });
      const count = distinct ? Math.min(PER_TOKEN, connections - i * PER_TOKEN) : 1;
      for (let j = 0; j < count; j++) {
        tokens.push((await access.createApiToken(user.id, `idle ${j}`)).token);
      }
    }
    if (distinct) progress(`idle: ${tokens.length} tokens, one per connection`);
    const timelineId = createId();
    await createPrismaStore(database).createTimeline(
      { id: timelineId, title: 'Idle', eventCount: 0 },
      Y.encodeStateAsUpdate(new Y.Doc()),
    );
    await database.close();

    progress('idle: starting the collaboration-only server and the reference relay');
    const server = await startProbedServer(
      backend.storage.dataDir,
      {
        DATABASE_URL: backend.storage.databaseUrl!,
        MAX_CONNECTIONS_PER_IP: String(connections + 100),
      },
      ['--collab-only'],
    );
    const stopServer = cleanup.add('idle: stop our server', () => server.stop());
    const reference = await startReference();
    const stopReference = cleanup.add('idle: stop the reference', async () => {
      reference.child.kill('SIGTERM');
    });
    try {
      const ours = await measure(
        {
          name: 'ours',
          base: server.wsUrl,
          room: timelineId,
          writerParams: () => ({}),
          readerParams: (index) => ({
            token: tokens[distinct ? index : Math.floor(index / PER_TOKEN)]!,
          }),
        },
        connections,
        () => memoryOf(server.child),
        progress,
      );
      await stopServer();
      const referenceFigures = await measure(
        {
          name: 'reference',
          base: `ws://127.0.0.1:${reference.port}`,
          room: 'idle',
          writerParams: () => ({}),
          readerParams: () => ({}),
        },
        connections,
        () => memoryOf(reference.child),
        progress,
      );
      return { ours, reference: referenceFigures };
    } finally {
      await stopReference();
      await stopServer();
    }
  } finally {
    await dropBackend();
  }
}

export function idleMetrics(result: IdleResult): Record<string, Metric> {
  const { ours, reference } = result;
  const thousands = ours.connections / 1000;
  return {
    [`idle_${round(thousands, 0)}k_connections_rss_mib`]: {
      ...compared(
        round(ours.loaded.rss / MIB, 0),
        'MiB',
        round(reference.loaded.rss / MIB, 0),
        'collab-only process vs @y/websocket-server 0.1.1, after a collection',
      ),
      // The ratio of the bytes, not of the rounded MiB.
      ratio: round(ours.loaded.rss / reference.loaded.rss),
    },
    idle_rss_per_1000_connections_mib: compared(ours.rssPer1000Mib, 'MiB', reference.rssPer1000Mib),
    idle_heap_per_1000_connections_mib: compared(
      ours.heapPer1000Mib,
      'MiB',
      reference.heapPer1000Mib,
    ),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cleanup = new Cleanup();
  runIdle(Number(process.argv[2] ?? 10_000), cleanup, (line) => console.log(line))
    .then((result) => console.log(JSON.stringify(idleMetrics(result), null, 2)))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    })
    .finally(() => cleanup.runAll());
}
