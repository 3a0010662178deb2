/**
 * The server process the flood benchmark measures: the real server (port 0, PGlite in
 * `dataDir`) with `--expose-gc` and bench/memoryProbe.mjs preloaded, so its memory can be read
 * over IPC after a collection, and its RSS from /proc at any time.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { collabOnlyCommand, ensureServerBuild, serverCommand } from '../scripts/build-server';
import { waitForReady } from '../tests/integration/helpers/serverProcess';
import { ROOT } from './loadProcess';

export interface MemorySample {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

/** The server process, with a way to ask it for its memory. */
export interface ProbedServer {
  url: string;
  wsUrl: string;
  child: ChildProcess;
  memory(gc?: boolean): Promise<MemorySample>;
  stop(): Promise<void>;
}

/** Starts the server and resolves once it is ready (a busy machine may take a minute or more). */
export async function startProbedServer(
  dataDir: string,
  extraEnv: Record<string, string> = {},
  serverArgs: string[] = [],
  /** Options for Node itself (e.g. `--cpu-prof`, which NODE_OPTIONS does not accept). */
  nodeArgs: string[] = [],
): Promise<ProbedServer> {
  const probe = pathToFileURL(path.join(ROOT, 'bench/memoryProbe.mjs')).href;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    NODE_ENV: 'production',
    LOG_LEVEL: 'error',
    DATA_DIR: dataDir,
    SEED_DEMO: 'false',
    ...extraEnv,
  };
  if (!extraEnv.DATABASE_URL) delete env.DATABASE_URL;
  // The server runs as users run it (npm start, npm run start:collab): the bundle under plain
  // node with its options and environment. BENCH_SERVER_RUNNER=tsx runs the all-in-one as
  // `npm start` did before (`tsx server/main.ts`, Node's default options), for A/B comparisons.
  const collabOnly = serverArgs.includes('--collab-only');
  let entry: string[];
  if (process.env.BENCH_SERVER_RUNNER === 'tsx' && !collabOnly) {
    entry = ['--import', 'tsx', '--import', probe, 'server/main.ts', ...serverArgs];
  } else {
    await ensureServerBuild();
    const command = collabOnly ? collabOnlyCommand() : serverCommand();
    Object.assign(env, command.env);
    entry = [
      '--import',
      probe,
      ...command.args,
      ...serverArgs.filter((arg) => arg !== '--collab-only'),
    ];
  }
  const child = spawn(
    process.execPath,
    [
      '--expose-gc',
      ...nodeArgs,
      // e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile the server under any benchmark.
      ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      ...entry,
    ],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-20_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await waitForReady(child, () => stderr);

  let nextId = 1;
  const waiting = new Map<number, (sample: MemorySample) => void>();
  child.on('message', (message: MemorySample & { type: string; id: number }) => {
    if (message?.type !== 'memory') return;
    const { rss, heapUsed, external, arrayBuffers } = message;
    waiting.get(message.id)?.({ rss, heapUsed, external, arrayBuffers });
    waiting.delete(message.id);
  });

  return {
    url,
    wsUrl: `${url.replace(/^http/, 'ws')}/collab`,
    child,
    memory(gc = false) {
      const id = nextId++;
      return new Promise<MemorySample>((resolve, reject) => {
        if (child.exitCode !== null || !child.connected) {
          reject(new Error(`the server is gone (exit ${child.exitCode}):\n${stderr}`));
          return;
        }
        // A server busy with a flood may answer late; it must answer eventually.
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error('the server did not report its memory within 30 s'));
        }, 30_000);
        waiting.set(id, (sample) => {
          clearTimeout(timer);
          resolve(sample);
        });
        child.send({ type: 'memory', id, gc });
      });
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/**
 * The RSS of a process from /proc, without asking it: a server busy with a flood would answer
 * an IPC question late, and the peak is exactly when it is busy. Null once the process is gone.
 */
export async function readRss(pid: number | undefined): Promise<number | null> {
  if (pid === undefined) return null;
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kib = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
    return kib === undefined ? null : Number(kib) * 1024;
  } catch {
    return null;
  }
}

/**
 * CPU time (user + system, ms) a process has used so far, from /proc; null once it is gone.
 * Differences over a stream of work give its CPU cost, which other load on the machine changes
 * far less than it changes latencies. Resolution: one clock tick (10 ms).
 */
export async function readCpuMs(pid: number | undefined): Promise<number | null> {
  if (pid === undefined) return null;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime is the 14th, stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Linux's USER_HZ, the unit of /proc/<pid>/stat times (100 on every common configuration). */
const CLOCK_TICKS_PER_SECOND = 100;
