/**
 * Big documents arrive in slices (`lib/timeline/updateSlices.ts`): the connection applies a big
 * update one slice per task, so the page keeps answering input. This module is what the
 * connection and the snapshot store share about it: whether a document is being applied in
 * slices right now (the snapshot waits for the end instead of reading every event after each
 * slice), and how to yield to the page between two slices.
 */
import type * as Y from 'yjs';

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
