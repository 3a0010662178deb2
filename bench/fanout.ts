/**
 * Crowded rooms (issue #15): one writer, N readers in one timeline's room. For each edit, the
 * time until the LAST reader has it ("last-reader latency"); its p99 over a steady stream, and the
 * saturation rate — the edit rate at which that p99 first passes 50 ms — measured on our server
 * (authorization and the durable log on: the real server process over PGlite) and on the
 * reference relay `@y/websocket-server` 0.1.1 (bench/referenceServer.ts) in the same run.
 *
 * Both servers run in their own processes; writers and readers run here. Writers are unmodified
 * y-websocket clients that create one event per edit through the document model, its title a
 * marker `@@<seq>@@`. Readers are raw websockets (a sync request, then they only listen) that
 * find the markers in the binary frames they receive, so 1,000 readers cost this process little
 * and the measure does not depend on how a server batches updates into frames.
 *
 * `npx tsx bench/fanout.ts` runs it alone; bench/run.ts runs it as the `fanout` suite.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { createEvent, createLane, readLanes } from '../lib/timeline/model';
import { signInAdmin } from '../tests/integration/helpers/auth';
import { api, createTimeline } from '../tests/integration/helpers/clients';
import { createTestDatabase } from '../tests/integration/helpers/postgres';
import { Cleanup } from './cleanup';
import { readCpuMs, startProbedServer } from './floodServer';
import { ROOT } from './loadProcess';
import { compared, type Metric } from './report';
import { percentile, round } from './stats';

export interface FanoutConfig {
  /** Readers of the main scenario (the issue: 200). */
  readers: number;
  /** Readers of the crowded scenario (the issue: 1,000); 0 skips it. */
  crowdReaders: number;
  /** Edits per second of the steady scenarios. */
  rate: number;
  /** Measured seconds of each steady scenario. */
  seconds: number;
  /** Rates tried, in order, to find the saturation rate. */
  saturationRates: number[];
  /** Seconds per saturation step. */
  stepSeconds: number;
  /** The p99 that marks saturation. */
  saturationP99Ms: number;
  /** Where our server stores its log: a fresh PostgreSQL database (production) or PGlite. */
  backend: 'postgresql' | 'pglite';
  /**
   * Which of our processes serves the room: the collaboration-only process (`npm run
   * start:collab`, what README "Several instances" runs for crowded rooms; PostgreSQL only), or
   * the all-in-one server with the web app (`npm start`).
   */
  process: 'collab-only' | 'all-in-one';
}

export const DEFAULT_FANOUT_CONFIG: FanoutConfig = {
  readers: 200,
  crowdReaders: 1_000,
  rate: 20,
  seconds: 10,
  saturationRates: [50, 100, 200, 400, 800],
  stepSeconds: 3,
  saturationP99Ms: 50,
  backend: 'postgresql',
  process: 'collab-only',
};

/** One measured stream of edits. */
export interface StreamResult {
  rate: number;
  edits: number;
  /** Edits some reader never received (within the drain time). */
  lost: number;
  p50: number;
  p99: number;
  max: number;
  /** The server process's CPU time per edit over the stream (ms), relaying to every reader. */
  cpuMsPerEdit: number | null;
}

export interface ServerFanout {
  steady: StreamResult;
  /** The highest rate tried whose p99 stayed at or under the limit (0: none did). */
  saturationRate: number;
  steps: StreamResult[];
  crowd: StreamResult | null;
}

export interface FanoutResult {
  config: FanoutConfig;
  ours: ServerFanout;
  reference: ServerFanout;
}

/** How a benchmark reaches one server: a room URL per client, and the writer's and readers' params. */
export interface Target {
  name: string;
  /** Websocket URL base; a client connects to `${base}/${room}`. */
  base: string;
  room: string;
  /** The server's process, for its CPU time. */
  pid?: number;
  writerParams(index: number): Record<string, string>;
  readerParams(index: number): Record<string, string>;
}

const MARKER = /@@(\d+)@@/g;
/** Each writer stays under our server's per-connection message rate (lib/limits MESSAGE_RATE). */
const EDITS_PER_WRITER = 120;
const DRAIN_MS = 2_000;
/** Edits sent before each steady stream, not measured. */
const WARMUP_SECONDS = 1;

/** Raw listening sockets that record when each marker reached the last of them. */
export class Readers {
  private readonly sockets: WebSocket[] = [];
  private readonly seen: Uint8Array[] = [];
  /** seq → how many readers have it, and when the latest of them got it. */
  readonly arrivals = new Map<number, { count: number; last: number }>();
  armed = false;
  closedEarly = 0;

  get size(): number {
    return this.sockets.length;
  }

  async open(target: Target, count: number, maxSeq: number): Promise<void> {
    // The sync request of an empty document: [messageSync, syncStep1, state vector of nothing].
    const request = encoding.createEncoder();
    encoding.writeVarUint(request, 0);
    encoding.writeVarUint(request, 0);
    encoding.writeVarUint8Array(request, Y.encodeStateVector(new Y.Doc()));
    const hello = encoding.toUint8Array(request);
    const batch = 50;
    for (let start = 0; start < count; start += batch) {
      await Promise.all(
        Array.from({ length: Math.min(batch, count - start) }, (_, offset) =>
          this.openOne(target, start + offset, hello, maxSeq),
        ),
      );
    }
  }

  private openOne(target: Target, index: number, hello: Uint8Array, maxSeq: number) {
    const query = new URLSearchParams(target.readerParams(index)).toString();
    const socket = new WebSocket(`${target.base}/${target.room}${query ? `?${query}` : ''}`);
    socket.binaryType = 'nodebuffer';
    const seen = new Uint8Array(maxSeq + 1);
    this.sockets.push(socket);
    this.seen.push(seen);
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${target.name}: reader ${index} got no sync`)),
        60_000,
      );
      socket.once('open', () => socket.send(hello));
      socket.once('error', (error) => reject(error));
      socket.once('close', (code) => {
        this.closedEarly += 1;
        reject(new Error(`${target.name}: reader ${index} closed with ${code}`));
      });
      socket.on('message', (data: Buffer) => {
        clearTimeout(timer);
        resolve();
        if (!this.armed) return;
        const now = performance.now();
        const text = data.toString('latin1');
        for (const match of text.matchAll(MARKER)) {
          const seq = Number(match[1]);
          if (seq > maxSeq || seen[seq]) continue;
          seen[seq] = 1;
          const arrival = this.arrivals.get(seq);
          if (arrival) {
            arrival.count += 1;
            arrival.last = now;
          } else this.arrivals.set(seq, { count: 1, last: now });
        }
      });
    });
  }

  close(): void {
    for (const socket of this.sockets) {
      socket.removeAllListeners('close');
      socket.terminate();
    }
  }
}

/** y-websocket writers creating one marked event per edit, spread over as many as the rate needs. */
class Writers {
  private readonly clients: { doc: Y.Doc; provider: WebsocketProvider; lane: string }[] = [];

  async open(target: Target, count: number): Promise<void> {
    for (let index = 0; index < count; index++) {
      const doc = new Y.Doc();
      const provider = new WebsocketProvider(target.base, target.room, doc, {
        params: target.writerParams(index),
        WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
        disableBc: true,
      });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${target.name}: writer did not sync`)),
          60_000,
        );
        provider.on('sync', (synced: boolean) => {
          if (!synced) return;
          clearTimeout(timer);
          resolve();
        });
      });
      let lane = readLanes(doc)[0]?.id;
      if (!lane) lane = createLane(doc, { title: 'Bench' });
      this.clients.push({ doc, provider, lane });
    }
  }

  get size(): number {
    return this.clients.length;
  }

  write(seq: number): void {
    const writer = this.clients[seq % this.clients.length]!;
    createEvent(writer.doc, {
      title: `@@${seq}@@`,
      kind: 'point',
      start: new Date(Date.UTC(2019, 1, 1) + seq * 60_000).toISOString(),
      lane: writer.lane,
    });
  }

  close(): void {
    for (const { provider, doc } of this.clients) {
      provider.destroy();
      doc.destroy();
    }
  }
}

/** Sends `rate` edits a second for `seconds` against absolute times; returns the stream's result. */
async function stream(
  target: Target,
  writers: Writers,
  readers: Readers,
  firstSeq: number,
  rate: number,
  seconds: number,
): Promise<{ result: StreamResult; nextSeq: number }> {
  const total = Math.max(1, Math.round(rate * seconds));
  const interval = 1_000 / rate;
  const sentAt = new Map<number, number>();
  const cpuBefore = await readCpuMs(target.pid);
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const seq = firstSeq + i;
    sentAt.set(seq, performance.now());
    writers.write(seq);
  }
  // Let the last edits arrive.
  const deadline = performance.now() + DRAIN_MS;
  const lastSeq = firstSeq + total - 1;
  while (performance.now() < deadline) {
    const arrival = readers.arrivals.get(lastSeq);
    if (arrival && arrival.count >= readers.size) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const cpuAfter = await readCpuMs(target.pid);
  const latencies: number[] = [];
  let lost = 0;
  for (const [seq, sent] of sentAt) {
    const arrival = readers.arrivals.get(seq);
    if (!arrival || arrival.count < readers.size) lost += 1;
    else latencies.push(arrival.last - sent);
  }
  latencies.sort((a, b) => a - b);
  return {
    result: {
      rate,
      edits: total,
      lost,
      p50: round(percentile(latencies, 0.5)),
      p99: round(percentile(latencies, 0.99)),
      max: round(latencies[latencies.length - 1] ?? Number.NaN),
      cpuMsPerEdit:
        cpuBefore === null || cpuAfter === null ? null : round((cpuAfter - cpuBefore) / total),
    },
    nextSeq: firstSeq + total,
  };
}

/** The steady stream and the saturation ramp with `readers`, then the crowd with its own readers. */
async function measure(
  target: Target,
  config: FanoutConfig,
  progress: (line: string) => void,
): Promise<ServerFanout> {
  const maxRate = Math.max(config.rate, ...config.saturationRates);
  // Every edit of the run: two steady streams, each after a one-second warm-up, and the ramp.
  const maxSeq =
    Math.ceil(
      config.rate * (config.seconds + WARMUP_SECONDS) * 2 +
        config.saturationRates.reduce((sum, rate) => sum + rate, 0) * config.stepSeconds,
    ) + 10;
  const writers = new Writers();
  const readers = new Readers();
  try {
    await writers.open(target, Math.ceil(maxRate / EDITS_PER_WRITER));
    progress(`fanout ${target.name}: ${config.readers} readers connecting`);
    await readers.open(target, config.readers, maxSeq);
    readers.armed = true;
    let seq = 1;
    // A short warm-up, not measured.
    ({ nextSeq: seq } = await stream(target, writers, readers, seq, config.rate, WARMUP_SECONDS));
    const steady = await stream(target, writers, readers, seq, config.rate, config.seconds);
    seq = steady.nextSeq;
    progress(
      `fanout ${target.name}: ${config.readers} readers at ${config.rate}/s: p99 ${steady.result.p99} ms`,
    );
    const steps: StreamResult[] = [];
    let saturationRate = 0;
    for (const rate of config.saturationRates) {
      const step = await stream(target, writers, readers, seq, rate, config.stepSeconds);
      seq = step.nextSeq;
      steps.push(step.result);
      progress(
        `fanout ${target.name}: ${rate}/s: p99 ${step.result.p99} ms, lost ${step.result.lost}`,
      );
      if (step.result.lost > 0 || !(step.result.p99 <= config.saturationP99Ms)) break;
      saturationRate = rate;
    }
    readers.close();

    let crowd: StreamResult | null = null;
    if (config.crowdReaders > 0) {
      const many = new Readers();
      try {
        progress(`fanout ${target.name}: ${config.crowdReaders} readers connecting`);
        await many.open(target, config.crowdReaders, maxSeq);
        many.armed = true;
        ({ nextSeq: seq } = await stream(target, writers, many, seq, config.rate, WARMUP_SECONDS));
        const crowded = await stream(target, writers, many, seq, config.rate, config.seconds);
        crowd = crowded.result;
        progress(`fanout ${target.name}: ${config.crowdReaders} readers: p99 ${crowd.p99} ms`);
      } finally {
        many.close();
      }
    }
    return { steady: steady.result, saturationRate, steps, crowd };
  } finally {
    readers.close();
    writers.close();
  }
}

/** Starts the reference relay and resolves with its port. */
export async function startReference(): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', 'bench/referenceServer.ts'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('the reference relay did not start')), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /READY (\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => reject(new Error(`the reference relay exited with ${code}`)));
  });
  return { port, child };
}

export async function runFanout(
  config: FanoutConfig,
  cleanup: Cleanup,
  progress: (line: string) => void,
): Promise<FanoutResult> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'chronoboard-fanout-'));
  const removeDir = cleanup.add(`remove ${dataDir}`, () =>
    rm(dataDir, { recursive: true, force: true }),
  );
  const collabOnly = config.process === 'collab-only';
  if (collabOnly && config.backend !== 'postgresql') {
    throw new Error('fanout: the collab-only process needs the PostgreSQL back end');
  }
  progress(
    `fanout: starting our server (${config.backend}, ${config.process}) and the reference relay`,
  );
  const readersNeeded = Math.max(config.readers, config.crowdReaders);
  const database = config.backend === 'postgresql' ? await createTestDatabase() : null;
  const dropDatabase = database
    ? cleanup.add('drop the fanout database', () => database.drop())
    : async () => {};
  const server = await startProbedServer(dataDir, {
    // One host opens every reader: lift the per-address cap for the benchmark only.
    MAX_CONNECTIONS_PER_IP: String(readersNeeded + 100),
    ...(database ? { DATABASE_URL: database.url } : {}),
  });
  const stopServer = cleanup.add('stop our server', () => server.stop());
  const reference = await startReference();
  const stopReference = cleanup.add('stop the reference relay', async () => {
    reference.child.kill('SIGTERM');
  });
  let stopCollab = async () => {};
  try {
    const admin = await signInAdmin(server.url);
    const timeline = await createTimeline(server.url, 'Crowded room');
    // Readers are view-link visitors; a link admits 64 connections (lib/limits), so the crowd
    // shares several links.
    const perLink = 60;
    const links: string[] = [];
    for (let i = 0; i < Math.ceil(readersNeeded / perLink); i++) {
      const link = await api<{ token: string }>(server.url, `/api/timelines/${timeline.id}/links`, {
        method: 'POST',
        body: JSON.stringify({ role: 'view' }),
      });
      if (link.status !== 201) throw new Error(`creating a view link failed: ${link.status}`);
      links.push(link.body.token);
    }
    // The web server set the timeline and links up; the collab-only process serves the room on
    // the same database, alone (the web server stops, as it would run on another machine).
    let collab = server;
    if (collabOnly) {
      await stopServer();
      const collabDir = await mkdtemp(path.join(os.tmpdir(), 'chronoboard-fanout-collab-'));
      const removeCollabDir = cleanup.add(`remove ${collabDir}`, () =>
        rm(collabDir, { recursive: true, force: true }),
      );
      const started = await startProbedServer(
        collabDir,
        {
          MAX_CONNECTIONS_PER_IP: String(readersNeeded + 100),
          DATABASE_URL: database!.url,
        },
        ['--collab-only'],
      );
      collab = started;
      const stop = cleanup.add('stop the collab-only server', () => started.stop());
      stopCollab = async () => {
        await stop();
        await removeCollabDir();
      };
    }
    const ours = await measure(
      {
        name: 'ours',
        base: collab.wsUrl,
        room: timeline.id,
        pid: collab.child.pid,
        writerParams: () => ({ token: admin.token }),
        readerParams: (index) => ({ token: links[Math.floor(index / perLink) % links.length]! }),
      },
      config,
      progress,
    );
    const referenceResult = await measure(
      {
        name: 'reference',
        base: `ws://127.0.0.1:${reference.port}`,
        room: 'crowded-room',
        pid: reference.child.pid,
        writerParams: () => ({}),
        readerParams: () => ({}),
      },
      config,
      progress,
    );
    return { config, ours, reference: referenceResult };
  } finally {
    await stopReference();
    await stopServer();
    await stopCollab();
    await dropDatabase();
    await removeDir();
  }
}

/** The figures the issue names, with their reference and ratio. */
export function fanoutMetrics(result: FanoutResult): Record<string, Metric> {
  const { ours, reference } = result;
  const metrics: Record<string, Metric> = {
    fanout_200_p99_ms: compared(ours.steady.p99, 'ms', reference.steady.p99),
    fanout_saturation_ratio_vs_reference: {
      value: compared(ours.saturationRate, '/s', reference.saturationRate).ratio ?? 0,
      unit: 'ratio',
      note: `saturation (p99 over ${result.config.saturationP99Ms} ms): ours ${ours.saturationRate}/s, reference ${reference.saturationRate}/s`,
    },
  };
  if (ours.crowd && reference.crowd) {
    metrics.fanout_1000_p99_ms = compared(ours.crowd.p99, 'ms', reference.crowd.p99);
  }
  return metrics;
}

export function formatFanoutReport(result: FanoutResult): string {
  const line = (label: string, ours: StreamResult | null, ref: StreamResult | null) =>
    `${label.padEnd(34)} ${fmt(ours)}   ${fmt(ref)}`;
  const fmt = (stream: StreamResult | null) =>
    stream
      ? `p50 ${String(stream.p50).padStart(7)}  p99 ${String(stream.p99).padStart(7)}  cpu/edit ${String(stream.cpuMsPerEdit ?? '?').padStart(5)}  lost ${stream.lost}`.padEnd(
          54,
        )
      : '—'.padEnd(54);
  const { config, ours, reference } = result;
  const rows = [
    `Crowded room: last-reader latency of one writer's edits (ms)`,
    `${''.padEnd(34)} ${`ours, ${config.process} (auth + durable log)`.padEnd(54)}   @y/websocket-server 0.1.1`,
    line(`${config.readers} readers, ${config.rate} edits/s`, ours.steady, reference.steady),
  ];
  const steps = Math.max(ours.steps.length, reference.steps.length);
  for (let i = 0; i < steps; i++) {
    const rate = ours.steps[i]?.rate ?? reference.steps[i]?.rate;
    rows.push(
      line(
        `${config.readers} readers, ${rate} edits/s`,
        ours.steps[i] ?? null,
        reference.steps[i] ?? null,
      ),
    );
  }
  rows.push(
    `saturation (p99 ≤ ${config.saturationP99Ms} ms): ours ${ours.saturationRate}/s, reference ${reference.saturationRate}/s`,
  );
  if (config.crowdReaders > 0) {
    rows.push(
      line(`${config.crowdReaders} readers, ${config.rate} edits/s`, ours.crowd, reference.crowd),
    );
  }
  return rows.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cleanup = new Cleanup();
  const readers = Number(process.env.BENCH_FANOUT_READERS ?? DEFAULT_FANOUT_CONFIG.readers);
  const crowd = Number(process.env.BENCH_FANOUT_CROWD ?? DEFAULT_FANOUT_CONFIG.crowdReaders);
  const processKind =
    process.env.BENCH_FANOUT_PROCESS === 'all-in-one' ? 'all-in-one' : 'collab-only';
  runFanout(
    { ...DEFAULT_FANOUT_CONFIG, readers, crowdReaders: crowd, process: processKind },
    cleanup,
    (line) => console.log(line),
  )
    .then((result) => {
      console.log(`\n${formatFanoutReport(result)}`);
      console.log(JSON.stringify(fanoutMetrics(result), null, 2));
    })
    .catch(async (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    })
    .finally(() => cleanup.runAll());
}
