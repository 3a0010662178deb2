/**
 * Big documents arrive in slices (`lib/timeline/updateSlices.ts`): the connection applies a big
 * update one slice per task, so the page keeps answering input. This module is what the
 * connection and the snapshot store share about it: whether a document is being applied in
 * slices right now (the snapshot waits for the end instead of reading every event after each
 * slice), how far it has got, and how to yield to the page between two slices.
 */
import * as Y from 'yjs';
import type { TimelineSnapshot } from '@/lib/timeline/model';

interface Applying {
  count: number;
  /** When the sliced applications under way began (performance.now()), if any. */
  since: number;
  /** Bytes of the updates under way, and how many of them are applied. */
  total: number;
  applied: number;
  ended: Set<() => void>;
  /** Told when a preview of the document, read elsewhere while it arrives, is offered. */
  previews: Set<() => void>;
  /** The last preview offered (`offerPreview`), until the applications under way end. */
  preview: TimelineSnapshot | null;
}

const applying = new WeakMap<Y.Doc, Applying>();

function stateOf(doc: Y.Doc): Applying {
  let state = applying.get(doc);
  if (!state) {
    state = {
      count: 0,
      since: 0,
      total: 0,
      applied: 0,
      ended: new Set(),
      previews: new Set(),
      preview: null,
    };
    applying.set(doc, state);
  }
  return state;
}

export interface SlicedApply {
  /** `bytes` more of the update are applied. */
  applied(bytes: number): void;
  /** The application ended (all applied, or given up). */
  end(): void;
}

/** A sliced application of an update of `bytes` into `doc` starts. */
export function beginSlicedApply(doc: Y.Doc, bytes: number): SlicedApply {
  const state = stateOf(doc);
  if (state.count === 0) {
    state.since = performance.now();
    state.total = 0;
    state.applied = 0;
  }
  state.count++;
  state.total += bytes;
  let ended = false;
  return {
    applied(done) {
      if (!ended) state.applied += done;
    },
    end() {
      if (ended) return;
      ended = true;
      state.count--;
      if (state.count > 0) return;
      state.preview = null;
      for (const listener of [...state.ended]) listener();
    },
  };
}

export function isApplyingSlices(doc: Y.Doc): boolean {
  return (applying.get(doc)?.count ?? 0) > 0;
}

/**
 * How long (ms) the sliced applications into `doc` under way should still take, judged from the
 * pace so far; 0 when none is under way, Infinity before the first slice is in.
 */
export function slicedApplyRemainingMs(doc: Y.Doc): number {
  const state = applying.get(doc);
  if (!state || state.count === 0) return 0;
  if (state.applied === 0) return Number.POSITIVE_INFINITY;
  const elapsed = performance.now() - state.since;
  return (elapsed * (state.total - state.applied)) / state.applied;
}

/** Calls `listener` each time the last sliced application into `doc` ends. */
export function onSlicedApplyEnd(doc: Y.Doc, listener: () => void): () => void {
  const state = stateOf(doc);
  state.ended.add(listener);
  return () => state.ended.delete(listener);
}

/** Calls `listener` each time a preview of `doc` is offered (see `offerPreview`). */
export function onPreview(doc: Y.Doc, listener: () => void): () => void {
  const state = stateOf(doc);
  state.previews.add(listener);
  return () => state.previews.delete(listener);
}

/**
 * A preview of `doc`'s content, read off the page's thread (`preview.ts`), for as long as `doc`
 * itself is still being applied: offered before the application began (the worker can be the
 * faster), it is kept for it; it is dropped when the applications under way end.
 */
export function offerPreview(doc: Y.Doc, snapshot: TimelineSnapshot): void {
  const state = stateOf(doc);
  state.preview = snapshot;
  for (const listener of [...state.previews]) listener();
}

/** The preview of `doc` offered for the sliced applications under way, if any. */
export function previewOf(doc: Y.Doc): TimelineSnapshot | null {
  const state = applying.get(doc);
  return state && state.count > 0 ? state.preview : null;
}

interface TaskScheduler {
  postTask<T>(callback: () => T, options?: { priority?: 'background' }): Promise<T>;
}

/**
 * Yields to the browser: the promise resolves in a task of its own at background priority, so
 * that everything else waiting runs first (input, rendering, timers, network messages, React's
 * work: a first part of a big timeline is drawn at once rather than between slices). Not
 * `scheduler.yield()`: its continuations run before every ordinary task, so a loop of slices that
 * yields with it starves timers and messages for as long as it lasts (seconds at 100,000
 * events), the page's own work included.
 */
export function yieldToPage(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: Partial<TaskScheduler> }).scheduler;
  if (scheduler?.postTask) {
    return scheduler.postTask(() => undefined, { priority: 'background' });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}

type UpdateListener = (update: Uint8Array, origin: unknown, doc: Y.Doc, tr: Y.Transaction) => void;

/**
 * Applies one slice of the server's answer and tells the doc's `update` listeners with the slice
 * itself. Yjs would otherwise encode the transaction again for them (in Node a fifth to a third
 * of applying a big document: bench/applySlices.ts), and every listener but two ignores updates
 * from the provider anyway: the local copy stores the slice (applying it again gives the same
 * document), and the snapshot and live-feed schedulers only need to know that something changed.
 * The listeners are detached only during the synchronous `Y.applyUpdate`, when no other code
 * runs but the observers of the document's types: a listener one of them adds gets Yjs's own
 * event and stays; one it removes comes back (none does so today). If the slice cannot be
 * applied (the error is thrown), the listeners are not told: the bytes are not stored.
 */
export function applyServerSlice(doc: Y.Doc, slice: Uint8Array, origin: unknown): void {
  const observers = (doc as unknown as { _observers: Map<string, Set<UpdateListener>> })._observers;
  const listeners = observers.get('update');
  if (!listeners || listeners.size === 0) {
    Y.applyUpdate(doc, slice, origin);
    return;
  }
  let transaction: Y.Transaction | null = null;
  const detached = [...listeners];
  observers.delete('update');
  try {
    Y.transact(
      doc,
      (tr) => {
        transaction = tr;
        Y.applyUpdate(doc, slice, origin);
      },
      origin,
      false,
    );
  } finally {
    // A listener added meanwhile (by an observer) has had Yjs's own event: keep it, tell it once.
    const added = observers.get('update');
    observers.set('update', listeners);
    if (added) for (const listener of added) listeners.add(listener);
  }
  // Same arguments as Yjs's own event; the slice stands for the transaction's update.
  for (const listener of detached) {
    listener(slice, origin, doc, transaction as unknown as Y.Transaction);
  }
}
