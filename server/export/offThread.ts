/**
 * One worker thread that renders the heavy formats (renderWorker.ts). Measured here
 * (bench/exports.ts): a 1,000-event PDF blocked the event loop for seconds when rendered in the
 * main thread (pdfmake's layout and resvg's rasterising are synchronous), which would freeze every
 * live room of the process. Jobs run one at a time (exports are rare; memory stays bounded); a
 * worker that dies fails its jobs and is replaced on the next export.
 */
import { Worker } from 'node:worker_threads';
import type { BriefingOptions } from '../../lib/export/options';
import type { ExportContent } from './types';

/** What the worker needs to build the briefing itself (buildBriefing's context). */
export interface OffThreadJob {
  content: ExportContent;
  options: BriefingOptions;
  context: { now: Date; author?: string };
}

/** Defined (true) by scripts/build-server.ts in the server's bundle. */
declare const CHRONOBOARD_BUNDLE: boolean | undefined;
/**
 * Under tsx, the script that registers tsx and loads renderWorker.ts; in the bundle, the bundle's
 * own entry for it (import.meta.url names this source file there too).
 */
const WORKER_URL =
  typeof CHRONOBOARD_BUNDLE !== 'undefined'
    ? new URL('../../dist/server/render-worker.mjs', import.meta.url)
    : new URL('./render-worker.mjs', import.meta.url);
/** A briefing that takes longer than this has gone wrong; the worker is replaced. */
const RENDER_TIMEOUT_MS = 5 * 60_000;

interface Job {
  id: number;
  formatId: string;
  job: OffThreadJob;
  resolve(bytes: Uint8Array): void;
  reject(error: Error): void;
}

let worker: Worker | null = null;
let running: Job | null = null;
let timer: NodeJS.Timeout | null = null;
const queue: Job[] = [];
let nextId = 1;

function fail(error: Error): void {
  const job = running;
  running = null;
  if (timer) clearTimeout(timer);
  worker?.removeAllListeners();
  void worker?.terminate();
  worker = null;
  job?.reject(error);
  startNext();
}

function spawn(): Worker {
  const created = new Worker(WORKER_URL);
  created.unref();
  created.on(
    'message',
    (message: { id?: number; ok?: boolean; bytes?: Uint8Array; error?: string }) => {
      if (message.id === undefined || message.id !== running?.id) return;
      const job = running;
      running = null;
      if (timer) clearTimeout(timer);
      if (message.ok) job.resolve(message.bytes!);
      else job.reject(new Error(`export failed: ${message.error}`));
      startNext();
    },
  );
  created.on('error', (error) => fail(error));
  created.on('exit', (code) => {
    if (worker === created) fail(new Error(`export worker exited with code ${code}`));
  });
  return created;
}

function startNext(): void {
  if (running || queue.length === 0) return;
  running = queue.shift()!;
  worker ??= spawn();
  timer = setTimeout(() => fail(new Error('export took too long')), RENDER_TIMEOUT_MS);
  timer.unref();
  const { content, options, context } = running.job;
  worker.postMessage({
    id: running.id,
    formatId: running.formatId,
    content,
    options,
    context: { ...context, now: context.now.toISOString() },
  });
}

/** Builds the briefing of `job` and renders it in `formatId`, in the export worker thread. */
export function renderOffThread(formatId: string, job: OffThreadJob): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    queue.push({ id: nextId++, formatId, job, resolve, reject });
    startNext();
  });
}

/** Stops the worker (tests; a server shutting down does not need to wait for it). */
export async function stopExportWorker(): Promise<void> {
  const current = worker;
  worker = null;
  current?.removeAllListeners();
  await current?.terminate();
}
