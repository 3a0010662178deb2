/**
 * Parent side of the load generator: runs bench/loadClients.ts in a child process and talks to
 * it over IPC. The clients live in their own process so that their work (each one applies every
 * other client's updates) does not sit in the server's event loop and inflate what we measure.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import type { Summary } from './stats';

export const ROOT = path.resolve(import.meta.dirname, '..');

export interface LoadPlan {
  wsUrl: string;
  timelineId: string;
  laneId: string;
  /** Number of y-websocket clients (each its own Y.Doc and websocket). */
  clients: number;
  /** Edits per second, all clients together, spread round-robin. */
  rate: number;
  /** Edits before this many seconds are warm-up: sent, but left out of the client figures. */
  warmupSeconds: number;
  /** Total duration of the stream, warm-up included. */
  seconds: number;
  /** Ask the server for a commit acknowledgement after every edit (protocol message 4). */
  acks: boolean;
}

export interface LoadReport {
  /** Local updates the clients sent (one per edit). */
  sent: number;
  /** Of those, how many were made after the warm-up. */
  measured: number;
  byKind: Record<string, number>;
  /** Events created (each distinct), to check against the stored document. */
  created: number;
  /** How late edits were made against their schedule (ms); high = the generator fell behind. */
  lag: Summary | null;
  /** Edit → commit acknowledgement as a client sees it (ms), measured edits only. */
  ack: Summary | null;
  /** Acknowledgements still missing when the report was made. */
  acksMissing: number;
  /** Websocket closes the clients saw during the stream (should be 0). */
  disconnects: number;
  /** Wall time the stream took from the first to the last edit (ms). */
  streamMs: number;
}

export type ParentMessage =
  | { type: 'init'; plan: LoadPlan }
  | { type: 'start' }
  | { type: 'close' };

export type ChildMessage =
  | { type: 'ready' }
  | { type: 'done'; report: LoadReport }
  | { type: 'error'; message: string };

export interface LoadProcess {
  /** Starts the stream (clients are connected and synced when `startLoad` resolves). */
  start(): void;
  /** Resolves with the clients' report once the stream ended and acks were collected. */
  done(timeoutMs: number): Promise<LoadReport>;
  /** Disconnects the clients and waits for the process to exit; kills it if it does not. */
  close(): Promise<void>;
}

/** Spawns the client process, connects and syncs every client; rejects after `timeoutMs`. */
export async function startLoad(plan: LoadPlan, timeoutMs: number): Promise<LoadProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'bench/loadClients.ts')],
    { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const messages = messageQueue(child);
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      if (child.connected) child.send({ type: 'close' } satisfies ParentMessage);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
  };
  try {
    child.send({ type: 'init', plan } satisfies ParentMessage);
    await messages.next('ready', timeoutMs);
  } catch (error) {
    await close();
    throw error;
  }
  return {
    start() {
      child.send({ type: 'start' } satisfies ParentMessage);
    },
    async done(doneTimeoutMs) {
      const message = await messages.next('done', doneTimeoutMs);
      return message.report;
    },
    close,
  };
}

/** Delivers the child's messages in order; an error message, exit or timeout rejects. */
function messageQueue(child: ChildProcess) {
  const received: ChildMessage[] = [];
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  child.on('message', (message: ChildMessage) => {
    if (message.type === 'error') failure = new Error(`load clients failed: ${message.message}`);
    else received.push(message);
    wake?.();
  });
  child.once('exit', (code, signal) => {
    failure ??= new Error(`load clients exited early (code ${code}, signal ${signal})`);
    wake?.();
  });
  child.once('error', (error) => {
    failure ??= error;
    wake?.();
  });
  return {
    async next<T extends ChildMessage['type']>(
      type: T,
      timeoutMs: number,
    ): Promise<Extract<ChildMessage, { type: T }>> {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const index = received.findIndex((message) => message.type === type);
        if (index >= 0) return received.splice(index, 1)[0] as Extract<ChildMessage, { type: T }>;
        if (failure) throw failure;
        const left = deadline - performance.now();
        if (left <= 0) throw new Error(`load clients: no '${type}' within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
      }
    },
  };
}
