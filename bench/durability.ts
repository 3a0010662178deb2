/**
 * Durability latency: how long after an update reaches the server it is committed to the update
 * log, under a steady stream of edits from real y-websocket clients.
 *
 * Per back end: the real collab server runs in-process over the Prisma store (as the integration
 * helpers start it); K clients in a child process edit one timeline at a fixed total rate; the
 * room's persistence `onCommit` reports (through the persistence extension), for every committed row, when each of its updates arrived
 * and when the row was committed. The reference is the floor of a durable write on that same
 * database — single-row INSERT commits of a similar payload through the bare driver (and through
 * the same Prisma client), measured before and after the scenarios in the same run.
 */
import { randomBytes } from 'node:crypto';
import * as Y from 'yjs';
import { createId } from '../lib/ids';
import { countEvents, initializeTimeline } from '../lib/timeline/model';
import {
  type CommitReport,
  DEFAULT_PERSISTENCE_OPTIONS,
} from '../server/collab/extensions/persistence';
import { openDatabase } from '../server/db/database';
import { createLogger } from '../server/log';
import { createPrismaStore } from '../server/store/prismaStore';
import type { TimelineStore } from '../server/store/types';
import {
  createStoredTimeline,
  loadStoredDoc,
  startCollabServer,
  type TestCollabServer,
} from '../tests/integration/helpers/collabServer';
import {
  type BackendName,
  type BenchBackend,
  createBenchBackend,
  INSERT_SCRATCH,
} from './backends';
import type { Cleanup } from './cleanup';
import { EditStream } from './edits';
import { type LoadReport, startLoad } from './loadProcess';
import { compared, type Metric } from './report';
import { round, type Summary, summarize } from './stats';

export interface DurabilityConfig {
  backends: BackendName[];
  /** Client counts, one scenario each. */
  clientCounts: number[];
  /** Edits per second, all clients together. */
  rate: number;
  /** Measured seconds per scenario. */
  seconds: number;
  /** Seconds of edits before measuring (connections, JIT and pools settle). */
  warmupSeconds: number;
  /** Reference INSERTs per phase (before and after the scenarios). */
  referenceSamples: number;
  /** Clients also ask for commit acknowledgements (Chronoboard protocol message 4). */
  clientAcks: boolean;
  targetP95Ms: number;
}

export interface ReferenceResult {
  label: string;
  before: Summary | null;
  after: Summary | null;
  /** Both phases together: the figure the scenarios are compared with. */
  all: Summary | null;
}

export interface ScenarioResult {
  clients: number;
  rate: number;
  seconds: number;
  /** Arrival at the server → row committed, per update (ms). */
  latency: Summary | null;
  /** Updates measured (after warm-up). */
  updates: number;
  /** Log rows that carried them. */
  rows: number;
  updatesPerRow: number;
  /** Mean bytes of updates per row, before merging. */
  bytesPerRow: number;
  /** Time of `store.appendUpdate` (the row's transaction as Prisma sees it), measured rows (ms). */
  append: Summary | null;
  /**
   * Compactions that started while edits were streaming (every `compactEveryRows` rows) and their
   * longest (ms), then the one the room made when it emptied (ms, null if none).
   */
  compactions: { duringStream: number; longestMs: number | null; atUnloadMs: number | null };
  /** What the clients saw: generator lag, edit → commit acknowledgement, disconnects. */
  client: LoadReport;
  checks: {
    /** Updates the server committed for this timeline (warm-up included) vs what clients sent. */
    committed: number;
    sent: number;
    /** Events in the stored document after the room was unloaded vs events the clients created. */
    storedEvents: number;
    createdEvents: number;
    persistenceDegraded: boolean;
    ok: boolean;
  };
  /**
   * The load generator ran late (lag p95 above one edit interval, at least 20 ms): the machine was
   * short of CPU, so the tail says more about other work than about the server.
   */
  saturated: boolean;
  /** p95 / floor p95 (bare driver INSERT). */
  ratioToFloor: number | null;
  pass: boolean | null;
}

export interface BackendResult {
  backend: BackendName;
  where: string;
  settings: Record<string, string>;
  payloadBytes: number;
  reference: { driver: ReferenceResult; prisma: ReferenceResult };
  scenarios: ScenarioResult[];
}

/** Reference writes made untimed first, so connection setup and plan caching are not the floor. */
const REFERENCE_WARMUP = 20;
/** Empty rooms unload (and compact) soon, so one scenario's compaction never overlaps the next. */
const ROOM_IDLE_MS = 250;

type Progress = (line: string) => void;

/** Runs every scenario on one back end; everything it opens is registered with `cleanup`. */
export async function runBackend(
  name: BackendName,
  config: DurabilityConfig,
  cleanup: Cleanup,
  progress: Progress,
): Promise<BackendResult> {
  progress(`${name}: creating the database`);
  const backend = await createBenchBackend(name);
  const removeBackend = cleanup.add(`remove ${name} database`, () => backend.cleanup());
  const payload = referencePayload(config.rate);

  progress(`${name}: reference writes (before)`);
  const driverBefore = await driverReference(backend, payload, config.referenceSamples);

  const database = await openDatabase(backend.storage);
  const closeDatabase = cleanup.add(`close ${name} database`, () => database.close());
  const timings = new StoreTimings();
  const store = instrumentStore(createPrismaStore(database), timings);
  const server = await startCollabServer(store, {
    logger: createLogger((process.env.LOG_LEVEL as 'warn' | undefined) ?? 'warn'),
    idleMs: ROOM_IDLE_MS,
  });
  const closeServer = cleanup.add(`close ${name} collab server`, () => server.close());

  // The same Prisma client (and so the same adapter and pool) the store writes through.
  const prismaInsert = () => database.prisma.$executeRawUnsafe(INSERT_SCRATCH, payload);
  const prismaBefore = await measureWrites(prismaInsert, config.referenceSamples);

  const scenarios: ScenarioResult[] = [];
  for (const clients of config.clientCounts) {
    const duration = `${config.warmupSeconds} + ${config.seconds} s`;
    progress(`${name}: K=${clients}, ${config.rate} edits/s for ${duration}`);
    scenarios.push(await runScenario({ server, store, timings, config, cleanup }, clients));
  }

  progress(`${name}: reference writes (after)`);
  const prismaAfter = await measureWrites(prismaInsert, config.referenceSamples);
  await closeServer();
  await closeDatabase();
  const driverAfter = await driverReference(backend, payload, config.referenceSamples);
  await removeBackend();

  const driver = reference(
    name === 'pglite' ? 'PGlite INSERT' : 'pg INSERT',
    driverBefore.samples,
    driverAfter.samples,
  );
  const prisma = reference('Prisma INSERT', prismaBefore, prismaAfter);
  for (const scenario of scenarios) {
    const floor = driver.all?.p95;
    scenario.ratioToFloor =
      scenario.latency && floor ? round(scenario.latency.p95 / floor, 1) : null;
    scenario.pass = scenario.latency ? scenario.latency.p95 <= config.targetP95Ms : null;
  }
  return {
    backend: name,
    where: backend.where,
    settings: driverBefore.settings,
    payloadBytes: payload.byteLength,
    reference: { driver, prisma },
    scenarios,
  };
}

interface ScenarioContext {
  server: TestCollabServer;
  store: TimelineStore;
  timings: StoreTimings;
  config: DurabilityConfig;
  cleanup: Cleanup;
}

async function runScenario(context: ScenarioContext, clients: number): Promise<ScenarioResult> {
  const { server, store, timings, config, cleanup } = context;
  const { persistence } = server;
  const timelineId = `bench-k${clients}-${createId(8)}`;
  const { laneId } = await createStoredTimeline(store, timelineId);

  const load = await startLoad(
    {
      wsUrl: server.wsUrl,
      timelineId,
      laneId,
      clients,
      rate: config.rate,
      warmupSeconds: config.warmupSeconds,
      seconds: config.warmupSeconds + config.seconds,
      acks: config.clientAcks,
    },
    60_000,
  );
  const closeLoad = cleanup.add(`load clients K=${clients}`, () => load.close());
  try {
    const room = persistence.roomPersistence(timelineId);
    if (!room) throw new Error(`room ${timelineId} is not loaded although its clients synced`);
    // Subscribed before the first edit: every update of the stream is in some report.
    const commits: CommitReport[] = [];
    const unsubscribe = room.onCommit((report) => commits.push(report));
    timings.reset();

    load.start();
    const client = await load.done((config.warmupSeconds + config.seconds) * 1000 + 60_000);
    const committedCount = () => commits.reduce((sum, commit) => sum + commit.receivedAt.length, 0);
    // With acks on, the clients already waited for every commit; this covers acks off.
    await pollUntil(() => committedCount() >= client.sent, 20_000);
    const streamEnd = performance.now();
    const persistenceDegraded = room.degraded;
    unsubscribe();

    await closeLoad();
    // The room compacts when it empties; wait for that so it cannot overlap the next scenario.
    const unloaded = await pollUntil(() => !persistence.roomPersistence(timelineId), 30_000);
    if (!unloaded) throw new Error(`room ${timelineId} did not unload after its clients left`);
    const stored = await loadStoredDoc(store, timelineId);
    const storedEvents = countEvents(stored);
    stored.destroy();

    // The first `sent - measured` updates (in arrival order, which is commit order) are warm-up.
    const warmup = client.sent - client.measured;
    const latencies: number[] = [];
    let rows = 0;
    let rowBytes = 0;
    let measuredSince = Number.POSITIVE_INFINITY;
    let seen = 0;
    for (const commit of commits) {
      let inRow = 0;
      for (const receivedAt of commit.receivedAt) {
        if (seen++ < warmup) continue;
        latencies.push(commit.committedAt - receivedAt);
        measuredSince = Math.min(measuredSince, receivedAt);
        inRow++;
      }
      if (inRow > 0) {
        rows++;
        rowBytes += commit.bytes;
      }
    }
    const committed = committedCount();
    return {
      clients,
      rate: config.rate,
      seconds: config.seconds,
      latency: summarize(latencies),
      updates: latencies.length,
      rows,
      updatesPerRow: rows > 0 ? round(latencies.length / rows) : 0,
      bytesPerRow: rows > 0 ? Math.round(rowBytes / rows) : 0,
      append: summarize(
        timings.append.filter((entry) => entry.start >= measuredSince).map((entry) => entry.ms),
      ),
      compactions: compactionFigures(timings.compact, streamEnd),
      client,
      checks: {
        committed,
        sent: client.sent,
        storedEvents,
        createdEvents: client.created,
        persistenceDegraded,
        ok:
          committed === client.sent &&
          storedEvents === client.created &&
          client.disconnects === 0 &&
          client.acksMissing === 0 &&
          !persistenceDegraded,
      },
      saturated: (client.lag?.p95 ?? 0) > Math.max(20, 1000 / config.rate),
      ratioToFloor: null,
      pass: null,
    };
  } finally {
    await closeLoad();
  }
}

function compactionFigures(
  entries: { start: number; ms: number }[],
  streamEnd: number,
): ScenarioResult['compactions'] {
  const during = entries.filter((entry) => entry.start < streamEnd).map((entry) => entry.ms);
  const atUnload = entries.filter((entry) => entry.start >= streamEnd).map((entry) => entry.ms);
  return {
    duringStream: during.length,
    longestMs: during.length > 0 ? round(Math.max(...during)) : null,
    atUnloadMs: atUnload.length > 0 ? round(atUnload[atUnload.length - 1]!) : null,
  };
}

/** Opens the bare driver, records the settings, times single-row INSERTs, closes. */
async function driverReference(
  backend: BenchBackend,
  payload: Uint8Array,
  samples: number,
): Promise<{ samples: number[]; settings: Record<string, string> }> {
  const driver = await backend.openDriver();
  try {
    const settings = await driver.settings();
    return { samples: await measureWrites(() => driver.insert(payload), samples), settings };
  } finally {
    await driver.close();
  }
}

/** Sequential, auto-committed writes: each sample is one full round trip to a durable commit. */
async function measureWrites(write: () => Promise<unknown>, samples: number): Promise<number[]> {
  for (let index = 0; index < REFERENCE_WARMUP; index++) await write();
  const durations: number[] = [];
  for (let index = 0; index < samples; index++) {
    const started = performance.now();
    await write();
    durations.push(performance.now() - started);
  }
  return durations;
}

function reference(label: string, before: number[], after: number[]): ReferenceResult {
  return {
    label,
    before: summarize(before),
    after: summarize(after),
    all: summarize([...before, ...after]),
  };
}

/**
 * A payload the size of a typical log row of this workload: the same edit stream run on a local
 * document, its updates merged in groups of what one batch holds at `rate` (the batch opens with
 * an update and closes a flush delay later, so it holds 1 + ⌊rate × delay⌋ evenly spaced ones).
 */
function referencePayload(rate: number): Uint8Array {
  const doc = new Y.Doc();
  const [laneId] = initializeTimeline(doc, { title: 'Payload', lanes: [{ title: 'Lane' }] });
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const stream = new EditStream(doc, laneId!, 'C1');
  for (let index = 0; index < 200; index++) stream.next();
  doc.destroy();
  const perRow = 1 + Math.floor((rate * DEFAULT_PERSISTENCE_OPTIONS.flushDelayMs) / 1000);
  let total = 0;
  let count = 0;
  for (let index = 0; index < updates.length; index += perRow) {
    total += Y.mergeUpdates(updates.slice(index, index + perRow)).byteLength;
    count++;
  }
  // Random bytes: PostgreSQL cannot compress them, so the size written is the size measured.
  return new Uint8Array(randomBytes(Math.max(1, Math.round(total / count))));
}

/** Timings of the store calls the room makes, to split latency into waiting and writing. */
class StoreTimings {
  append: { start: number; ms: number }[] = [];
  compact: { start: number; ms: number }[] = [];

  reset(): void {
    this.append = [];
    this.compact = [];
  }
}

/**
 * The Prisma store with its two write paths timed. Only timing is added (a few microseconds);
 * every call goes to the real store unchanged.
 */
function instrumentStore(store: TimelineStore, timings: StoreTimings): TimelineStore {
  return {
    ...store,
    async appendUpdate(timelineId, update, summary) {
      const start = performance.now();
      const id = await store.appendUpdate(timelineId, update, summary);
      timings.append.push({ start, ms: performance.now() - start });
      return id;
    },
    async compact(timelineId, state, upToUpdateId) {
      const start = performance.now();
      await store.compact(timelineId, state, upToUpdateId);
      timings.compact.push({ start, ms: performance.now() - start });
    },
  };
}

async function pollUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

/**
 * `durable_p95_ms`: arrival at the server → row committed, p95, in the busiest scenario (most
 * clients) on PostgreSQL (PGlite when only it ran); reference: a bare driver INSERT's p95 on the
 * same database (the floor).
 */
export function durabilityMetrics(results: BackendResult[]): Record<string, Metric> {
  const backend =
    results.find((result) => result.backend === 'postgresql') ??
    results.find((result) => result.backend === 'pglite');
  const scenario = backend?.scenarios
    .filter((candidate) => candidate.latency)
    .sort((a, b) => b.clients - a.clients)[0];
  if (!backend || !scenario?.latency) return {};
  return {
    durable_p95_ms: compared(
      scenario.latency.p95,
      'ms',
      backend.reference.driver.all?.p95,
      `${backend.backend}, ${scenario.clients} clients at ${scenario.rate} edits/s; reference: a bare driver INSERT`,
    ),
  };
}
