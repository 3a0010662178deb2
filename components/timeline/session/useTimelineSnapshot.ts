'use client';
import { useEffect, useState, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import { createEventReader } from '@/lib/timeline/eventReader';
import { readLanes, readMeta, type TimelineSnapshot } from '@/lib/timeline/model';

/** The document's content as plain data, recomputed when the document changes. */
export function useTimelineSnapshot(doc: Y.Doc | undefined): TimelineSnapshot | null {
  const [store] = useState(() => createSnapshotStore());
  useEffect(() => store.attach(doc), [store, doc]);
  return useSyncExternalStore(store.subscribe, store.get, () => null);
}

function createSnapshotStore() {
  let snapshot: TimelineSnapshot | null = null;
  const listeners = new Set<() => void>();
  const emit = () => {
    for (const listener of listeners) listener();
  };
  return {
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get: () => snapshot,
    attach(doc: Y.Doc | undefined) {
      if (!doc) return;
      let frame = 0;
      // Only the events a change touched are read again (a 100k-event document stays cheap).
      const events = createEventReader(doc);
      const refresh = () => {
        frame = 0;
        snapshot = { meta: readMeta(doc), lanes: readLanes(doc), events: events.read() };
        emit();
      };
      // Bursts of remote updates are folded into one re-read per animation frame.
      const schedule = () => {
        if (frame === 0) frame = requestAnimationFrame(refresh);
      };
      refresh();
      doc.on('update', schedule);
      return () => {
        doc.off('update', schedule);
        events.destroy();
        if (frame !== 0) cancelAnimationFrame(frame);
      };
    },
  };
}
