/**
 * The flood benchmark: how much the server's memory grows under each of three floods, next to
 * an idle period of the same length, and what an analyst pair's edit latency is meanwhile.
 *
 * A real server process (port 0, PGlite in a temporary directory, `--expose-gc`, with
 * bench/memoryProbe.mjs preloaded to answer memory questions over IPC) serves one timeline. The
 * admin creates it and a view link over REST; two editors (API tokens) connect as y-websocket
 * clients in this process and one keeps editing while the other measures when each edit arrives.
 * The floods run in a child process (bench/floodAttack.ts), one after the other, each bounded in
 * time (≤ 12 s) and count, on loopback only. Thresholds are printed next to the figures, never
 * asserted: the defences may or may not be in the build being measured.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createEvent, readEvent, readLanes, updateEvent } from '../lib/timeline/model';
import { createApiToken, inviteMember, signInAdmin } from '../tests/integration/helpers/auth';
import {
  api,
  connectClient,
  createTimeline,
  type TestClient,
  waitFor,
  waitForSync,
} from '../tests/integration/helpers/clients';
import type { Cleanup } from './cleanup';
import type { FloodAttackReport, FloodName, FloodPlan } from './floodAttack';
import { type MemorySample, readRss, startProbedServer } from './floodServer';
import { ROOT } from './loadProcess';
import { type Summary, summarize } from './stats';

const MiB = 1024 * 1024;

export interface FloodsConfig {
  /** Seconds per flood and for the idle reference (at most 12). */
  seconds: number;
  /** Events in the timeline before measuring: what a sync step 1 reply carries. */
  seedEvents: number;
  /** One analyst edit every this many ms during each phase. */
  editIntervalMs: number;
  /** Growth the issue allows ("a few tens of MiB"); printed next to each figure, not asserted. */
  thresholdMiB: number;
  plans: Record<FloodName, Pick<FloodPlan, 'sockets' | 'messages' | 'size'>>;
}

export const DEFAULT_FLOODS_CONFIG: FloodsConfig = {
  seconds: 12,
  seedEvents: 200,
  editIntervalMs: 250,
  thresholdMiB: 50,
  plans: {
    // 4 view-link sockets × 40 messages/s × 2,000 made-up ids (≈ 18 KiB per message).
    awareness: { sockets: 4, messages: 40, size: 2_000 },
    // 8 sockets × 1,000 sync step 1 requests each (within the burst of MESSAGE_RATE).
    syncStep1: { sockets: 8, messages: 1_000, size: 0 },
    // 32 raw sockets × at most 4 MiB of frames written before the upgrade is answered.
    preAuth: { sockets: 32, messages: 0, size: 4 },
  },
};

export const FLOOD_DESCRIPTIONS: Record<FloodName | 'idle', string> = {
  idle: 'no attack (reference)',
  awareness: 'view-link awareness updates, made-up ids, null state',
  syncStep1: 'sync step 1 burst, replies never read',
  preAuth: 'bytes sent before the upgrade is authorized',
};

export interface PhaseResult {
  phase: FloodName | 'idle';
  /** After a garbage collection, just before the phase. */
  before: MemorySample;
  /** Highest RSS sampled (every 200 ms) during the phase and its settling. */
  peakRss: number;
  /** After the phase, 2 s of settling and a garbage collection. */
  after: MemorySample;
  peakGrowthMiB: number;
  retainedGrowthMiB: number;
  /** Edit (Ana) → seen by the other analyst (Ben), ms. */
  latency: Summary | null;
  editsSent: number;
  /** Edits Ben had not seen 5 s after the phase ended. */
  editsLost: number;
  /** Whether both analysts were still connected at the end. */
  analystsConnected: boolean;
  /** The analysts' websocket closes during the phase, by close code. */
  analystCloses: Record<string, number>;
  serverAlive: boolean;
  attack: FloodAttackReport | null;
}

export interface FloodsResult {
  config: FloodsConfig;
  /** After setup and seeding, before anything is measured. */
  baseline: MemorySample;
  phases: PhaseResult[];
  /** The peak growth of each flood minus the idle phase's. */
  growthOverIdleMiB: Partial<Record<FloodName, number>>;
}

/** Runs one attack process to its end and returns its report. */
function runAttack(plan: FloodPlan): Promise<FloodAttackReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/floodAttack.ts'], {
      cwd: ROOT,
      env: { ...process.env, FLOOD_PLAN: JSON.stringify(plan) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), (plan.seconds + 30) * 1000);
    child.once('exit', (code) => {
      clearTimeout(killer);
      const line = stdout.trim().split('\n').at(-1);
      if (code === 0 && line) resolve(JSON.parse(line) as FloodAttackReport);
      else reject(new Error(`flood ${plan.flood} exited with ${code}:\n${stderr}`));
    });
  });
}

/**
 * Ana retitles a probe event every `intervalMs` until `until` resolves; Ben's document reports
 * when each title arrives. Edits not seen 5 s after the end count as lost.
 */
async function measureEdits(
  ana: TestClient,
  ben: TestClient,
  eventId: string,
  intervalMs: number,
  until: Promise<unknown>,
): Promise<{ latency: Summary | null; sent: number; lost: number }> {
  const pending = new Map<number, number>();
  const latencies: number[] = [];
  let seq = 0;
  const onUpdate = () => {
    const match = /probe (\d+)/.exec(readEvent(ben.doc, eventId)?.title ?? '');
    if (!match) return;
    const seen = Number(match[1]);
    const now = performance.now();
    for (const [sent, at] of pending) {
      if (sent > seen) continue;
      latencies.push(now - at);
      pending.delete(sent);
    }
  };
  ben.doc.on('update', onUpdate);
  let running = true;
  void until.finally(() => {
    running = false;
  });
  while (running) {
    seq++;
    pending.set(seq, performance.now());
    updateEvent(ana.doc, eventId, { title: `probe ${seq}` });
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  const deadline = Date.now() + 5_000;
  while (pending.size > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  ben.doc.off('update', onUpdate);
  return { latency: summarize(latencies), sent: seq, lost: pending.size };
}

const toMiB = (bytes: number) => Math.round((bytes / MiB) * 10) / 10;

/** Runs the idle reference and the three floods against a fresh server. */
export async function runFloods(
  config: FloodsConfig,
  cleanup: Cleanup,
  progress: (line: string) => void,
): Promise<FloodsResult> {
  const seconds = Math.min(config.seconds, 12);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'chronoboard-floods-'));
  const removeDir = cleanup.add(`remove ${dataDir}`, () =>
    rm(dataDir, { recursive: true, force: true }),
  );
  progress('floods: starting a server (PGlite)');
  const server = await startProbedServer(dataDir);
  const stopServer = cleanup.add('stop the flood server', () => server.stop());
  const clients: TestClient[] = [];
  const closeClients = cleanup.add('close the analysts', async () => {
    for (const client of clients) client.destroy();
  });
  try {
    const admin = await signInAdmin(server.url);
    const timeline = await createTimeline(server.url, 'Flood target');
    const link = await api<{ token: string }>(server.url, `/api/timelines/${timeline.id}/links`, {
      method: 'POST',
      body: JSON.stringify({ role: 'view' }),
    });
    if (link.status !== 201) throw new Error(`creating a view link failed: ${link.status}`);
    const [ana, ben] = await Promise.all(
      ['Ana', 'Ben'].map(async (name) => {
        const cookie = await inviteMember(server.url, admin.token, {
          email: `${name.toLowerCase()}@bench.test`,
          name,
          role: 'editor',
        });
        const token = await createApiToken(server.url, cookie);
        const client = connectClient(server.wsUrl, timeline.id, undefined, { token });
        clients.push(client);
        await waitForSync(client);
        return client;
      }),
    );

    progress(`floods: seeding ${config.seedEvents} events`);
    const lane = readLanes(ana!.doc)[0]!.id;
    ana!.doc.transact(() => {
      for (let i = 0; i < config.seedEvents; i++) {
        createEvent(ana!.doc, {
          title: `Seeded event ${i}`,
          kind: 'point',
          start: `2019-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
          lane,
          description: `A description long enough to give the document some weight (${i}).`,
        });
      }
    });
    const probeId = createEvent(ana!.doc, {
      title: 'probe 0',
      kind: 'point',
      start: '2020-01-01',
      lane,
    });
    await waitFor(() => readEvent(ben!.doc, probeId), 'the seeded events to reach Ben', 30_000);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const baseline = await server.memory(true);
    progress(`floods: baseline RSS ${toMiB(baseline.rss)} MiB`);

    const phases: PhaseResult[] = [];
    for (const phase of ['idle', 'awareness', 'syncStep1', 'preAuth'] as const) {
      progress(`floods: ${phase} for ${seconds} s`);
      const before = await server.memory(true);
      let peakRss = before.rss;
      const analystCloses: Record<string, number> = {};
      const onClose = (event: { code?: number } | null) => {
        const code = String(event?.code ?? 'error');
        analystCloses[code] = (analystCloses[code] ?? 0) + 1;
      };
      for (const client of [ana!, ben!]) client.provider.on('connection-close', onClose);
      let sampling = true;
      const sampler = (async () => {
        while (sampling && server.child.exitCode === null) {
          const rss = await readRss(server.child.pid);
          if (rss === null) return;
          peakRss = Math.max(peakRss, rss);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      })();
      const attack =
        phase === 'idle'
          ? new Promise<null>((resolve) => setTimeout(() => resolve(null), seconds * 1000))
          : runAttack({
              flood: phase,
              wsUrl: server.wsUrl,
              timelineId: timeline.id,
              viewToken: link.body.token,
              seconds,
              ...config.plans[phase],
            });
      const edits = await measureEdits(ana!, ben!, probeId, config.editIntervalMs, attack);
      const report = await attack;
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      sampling = false;
      await sampler;
      const serverAlive = server.child.exitCode === null;
      const after = serverAlive ? await server.memory(true) : before;
      // A collection can itself raise RSS; the peak is the highest figure seen at all.
      peakRss = Math.max(peakRss, after.rss);
      phases.push({
        phase,
        before,
        peakRss,
        after,
        peakGrowthMiB: toMiB(peakRss - before.rss),
        retainedGrowthMiB: toMiB(after.rss - before.rss),
        latency: edits.latency,
        editsSent: edits.sent,
        editsLost: edits.lost,
        analystsConnected: ana!.provider.wsconnected && ben!.provider.wsconnected,
        analystCloses: { ...analystCloses },
        serverAlive,
        attack: report,
      });
      for (const client of [ana!, ben!]) client.provider.off('connection-close', onClose);
      if (!serverAlive) break;
      // Let the analysts reconnect if a flood cut them off, so the next phase starts equal.
      await waitFor(
        () => ana!.provider.wsconnected && ben!.provider.wsconnected,
        'the analysts to be connected again',
        15_000,
      ).catch(() => {});
    }

    const idle = phases.find((p) => p.phase === 'idle');
    const growthOverIdleMiB: Partial<Record<FloodName, number>> = {};
    for (const phase of phases) {
      if (phase.phase === 'idle' || !idle) continue;
      growthOverIdleMiB[phase.phase] =
        Math.round((phase.peakGrowthMiB - idle.peakGrowthMiB) * 10) / 10;
    }
    return { config: { ...config, seconds }, baseline, phases, growthOverIdleMiB };
  } finally {
    await closeClients();
    await stopServer();
    await removeDir();
  }
}
