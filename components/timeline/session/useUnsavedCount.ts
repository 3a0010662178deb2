'use client';
import { useCallback, useSyncExternalStore } from 'react';
import type { SaveTracker } from './saveTracker';

/** Local edits not yet confirmed as saved by the server (0 before the session opens). */
export function useUnsavedCount(tracker: SaveTracker | undefined): number {
  const subscribe = useCallback(
    (listener: () => void) => tracker?.subscribe(listener) ?? (() => {}),
    [tracker],
  );
  return useSyncExternalStore(
    subscribe,
    () => tracker?.unsaved ?? 0,
    () => 0,
  );
}
