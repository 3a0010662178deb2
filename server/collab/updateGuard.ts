/**
 * Bounds the time and memory spent decoding a client's update. Yjs cannot decode with a time
 * limit, and a few crafted bytes can make it run for a long time or allocate huge arrays
 * (yjs#687: declared struct counts are decoupled from message size, so no size check helps). The
 * guard decodes each update first in a worker thread; one that takes longer than `timeoutMs` or
 * exceeds the worker's heap is refused and the worker replaced. Only updates that decoded there
 * are applied on the main thread, where decoding them again is then known to be bounded.
 */
import { Worker } from 'node:worker_threads';

export interface UpdateCheck {
  /** The update carries no structs and no deletions (a typical viewer's sync step 2). */
  empty: boolean;
}

export class UpdateRejectedError extends Error {
  override name = 'UpdateRejectedError';
}

export interface UpdateGuard {
  /** Resolves when `update` decodes within the limits; rejects with UpdateRejectedError if not. */
  check(update: Uint8Array): Promise<UpdateCheck>;
  close(): Promise<void>;
}

interface Job {
  id: number;
  update: Uint8Array;
  resolve(result: UpdateCheck): void;
  reject(error: Error): void;
}

const WORKER_URL = new URL('./decode-worker.mjs', import.meta.url);

export function createUpdateGuard(options: { timeoutMs: number; maxHeapMb: number }): UpdateGuard {
  let worker: Worker | null = null;
  let ready = false;
  let current: Job | null = null;
  let timer: NodeJS.Timeout | undefined;
  let nextId = 1;
  let closed = false;
  const queue: Job[] = [];

  function spawn(): Worker {
    const created = new Worker(WORKER_URL, {
      resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb },
    });
    created.unref();
    ready = false;
    // Every handler ignores a worker that has been replaced: a terminated worker's late events
    // must not fail the job its successor is running.
    created.on(
      'message',
      (message: {
        ready?: boolean;
        id?: number;
        ok?: boolean;
        empty?: boolean;
        error?: string;
      }) => {
        if (created !== worker) return;
        if (message.ready) {
          ready = true;
          startCurrent();
          return;
        }
        if (!current || message.id !== current.id) return;
        const job = current;
        clearTimeout(timer);
        current = null;
        if (message.ok) job.resolve({ empty: message.empty === true });
        else job.reject(new UpdateRejectedError(`malformed update: ${message.error}`));
        runNext();
      },
    );
    // Out of memory or a crash: the job it was running is refused and a fresh worker takes over.
    created.on('error', (error) => {
      if (created === worker) fail(`update could not be decoded: ${error.message}`);
    });
    created.on('exit', () => {
      if (created === worker) fail('update could not be decoded: the decoder stopped');
    });
    return created;
  }

  function fail(reason: string): void {
    const job = current;
    const stuck = worker;
    worker = null;
    ready = false;
    current = null;
    clearTimeout(timer);
    void stuck?.terminate();
    job?.reject(new UpdateRejectedError(reason));
    runNext();
  }

  function runNext(): void {
    if (current || closed) return;
    const job = queue.shift();
    if (!job) return;
    current = job;
    if (!worker) worker = spawn();
    else if (ready) startCurrent();
  }

  function startCurrent(): void {
    if (!current || !worker || !ready) return;
    timer = setTimeout(
      () => fail(`update took longer than ${options.timeoutMs} ms to decode`),
      options.timeoutMs,
    );
    worker.postMessage({ id: current.id, update: current.update });
  }

  return {
    check(update) {
      if (closed) return Promise.reject(new UpdateRejectedError('server shutting down'));
      return new Promise<UpdateCheck>((resolve, reject) => {
        queue.push({ id: nextId++, update, resolve, reject });
        runNext();
      });
    },
    async close() {
      closed = true;
      for (const job of queue.splice(0))
        job.reject(new UpdateRejectedError('server shutting down'));
      clearTimeout(timer);
      const stopping = worker;
      worker = null;
      await stopping?.terminate();
    },
  };
}
