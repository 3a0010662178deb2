/**
 * Big documents arrive in slices (`lib/timeline/updateSlices.ts`): the connection applies a big
 * update one slice per task, so the page keeps answering input. This module is what the
 * connection and the snapshot store share about it: whether a document is being applied in
 * slices right now (the snapshot waits for the end instead of reading every event after each
 * slice), and how to yield to the page between two slices.
 */
import * as Y from 'yjs';

interface Applying {
  count: number;
  ended: Set<() => void>;
}

const applying = new WeakMap<Y.Doc, Applying>();

function stateOf(doc: Y.Doc): Applying {
  let state = applying.get(doc);
  if (!state) {
    state = { count: 0, ended: new Set() };
    applying.set(doc, state);
  }
  return state;
}

/** A sliced application into `doc` starts; call the returned function when it ends. */
export function beginSlicedApply(doc: Y.Doc): () => void {
  const state = stateOf(doc);
  state.count++;
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    state.count--;
    if (state.count === 0) for (const listener of [...state.ended]) listener();
  };
}

export function isApplyingSlices(doc: Y.Doc): boolean {
  return (applying.get(doc)?.count ?? 0) > 0;
}

/** Calls `listener` each time the last sliced application into `doc` ends. */
export function onSlicedApplyEnd(doc: Y.Doc, listener: () => void): () => void {
  const state = stateOf(doc);
  state.ended.add(listener);
  return () => state.ended.delete(listener);
}

/** Yields to the browser: input and rendering run before the promise resolves. */
export function yieldToPage(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (scheduler?.yield) return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

type UpdateListener = (update: Uint8Array, origin: unknown, doc: Y.Doc, tr: Y.Transaction) => void;

/**
 * Applies one slice of the server's answer and tells the doc's `update` listeners with the slice
 * itself. Yjs would otherwise encode the transaction again for them (in Node a fifth to a third
 * of applying a big document: bench/applySlices.ts), and every listener but two ignores updates
 * from the provider anyway: y-indexeddb stores the slice (applying it again gives the same
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
