'use client';
/**
 * Whom this tab follows: the colleague whose visible range the axis copies (presenceLayer.ts).
 * Set by a click on their avatar, cleared by "Stop", by this person moving the axis themselves,
 * or when the colleague leaves. A tiny external store so the header, the indicator and the vis
 * layer share it without re-rendering the editor.
 */
import { useSyncExternalStore } from 'react';

export interface FollowTarget {
  /** The awareness client id of the tab being followed. */
  clientId: number;
  name: string;
  color: string;
}

export interface FollowStore {
  get(): FollowTarget | null;
  start(target: FollowTarget): void;
  stop(): void;
  subscribe(listener: () => void): () => void;
}

/** Creates an empty follow store (one per editing session). */
export function createFollowStore(): FollowStore {
  let target: FollowTarget | null = null;
  const listeners = new Set<() => void>();
  const set = (next: FollowTarget | null) => {
    if (next === target) return;
    target = next;
    for (const listener of listeners) listener();
  };
  return {
    get: () => target,
    start: (next) => set({ ...next }),
    stop: () => set(null),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The colleague this tab follows, or null; re-renders only when that changes. */
export function useFollowTarget(store: FollowStore | null): FollowTarget | null {
  return useSyncExternalStore(
    (listener) => store?.subscribe(listener) ?? (() => {}),
    () => store?.get() ?? null,
    () => null,
  );
}
