/**
 * A first visit to a big timeline is drawn from a preview read in a Web Worker, on the second
 * core, while the page's thread is still starting the editor and applying the same answer to the
 * document it edits (in slices: seconds at 100,000 events). The worker (`preview.worker.ts`)
 * applies the answer to a document of its own (a big one for `PREVIEW_BUDGET_MS` only), reads it
 * as plain data and posts it; the snapshot store (`useTimelineSnapshot`) shows it as a `partial` snapshot
 * — on the axis, read-only, "the rest is arriving" — until the page's document is whole. Without
 * Worker support, with fewer than `PREVIEW_MIN_CORES` cores, or if the worker fails, the page
 * reads its first part itself, later.
 */
import type * as Y from 'yjs';
import type { TimelineSnapshot } from '@/lib/timeline/model';
import { offerPreview } from './slicedApply';

/**
 * A document up to this size (bytes; ~17,000 events) is previewed whole: its application takes
 * the worker a few hundred milliseconds. A bigger one is previewed by its first part, what the
 * worker applied in `PREVIEW_BUDGET_MS`.
 */
const PREVIEW_WHOLE_UP_TO = 4 * 1024 * 1024;
/** How long the worker applies a bigger document before it reads what it has (ms). */
const PREVIEW_BUDGET_MS = 400;
/**
 * The preview pays only with a core to spare for it: on a 2-core machine (bench/abOpen.ts, the
 * server on the same machine) the worker competed with the page's thread and the server, and a
 * first visit to 10,000 events became interactive 0.3–0.6 s later, not sooner.
 */
const PREVIEW_MIN_CORES = 4;

export interface PreviewRequest {
  /** Applied in order: what the page's document holds already, then the big update. */
  updates: Uint8Array[];
  budgetMs: number;
}

export interface PreviewResult {
  /** The whole document, or its first part when the budget ran out. */
  snapshot: TimelineSnapshot;
}

/**
 * Whether this browser previews in a worker at all (Worker support, cores to spare): when not,
 * nothing is gathered for it.
 */
export function canPreview(): boolean {
  return typeof Worker !== 'undefined' && (navigator.hardwareConcurrency ?? 0) >= PREVIEW_MIN_CORES;
}

/**
 * Reads a preview of `updates` (what an empty `doc` has so far, and the server's big answer) in
 * a worker and offers it to `doc`'s snapshot store. Returns the function that stops it.
 */
export function previewInWorker(doc: Y.Doc, updates: Uint8Array[]): () => void {
  if (!canPreview()) return () => {};
  let worker: Worker;
  try {
    worker = new Worker(new URL('./preview.worker.ts', import.meta.url), {
      name: 'timeline-preview',
    });
  } catch {
    return () => {}; // no worker allowed here: the page reads its first part itself
  }
  const stop = () => worker.terminate();
  worker.onmessage = (message: MessageEvent<PreviewResult>) => {
    stop();
    offerPreview(doc, message.data.snapshot); // ignored once the page's own document is whole
  };
  worker.onerror = stop;
  // Copies, moved to the worker: the page goes on applying its own.
  const copies = updates.map((update) => update.slice());
  const bytes = copies.reduce((sum, copy) => sum + copy.byteLength, 0);
  const request: PreviewRequest = {
    updates: copies,
    budgetMs: bytes <= PREVIEW_WHOLE_UP_TO ? Number.POSITIVE_INFINITY : PREVIEW_BUDGET_MS,
  };
  worker.postMessage(
    request,
    copies.map((copy) => copy.buffer),
  );
  return stop;
}
