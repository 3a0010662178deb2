'use client';
import { useEffect, useState, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import { getEventsMap } from '@/lib/timeline/doc';
import { createEventReader } from '@/lib/timeline/eventReader';
import { readLanes, readMeta, type TimelineSnapshot } from '@/lib/timeline/model';
import { isApplyingSlices, onSlicedApplyEnd, yieldToPage } from './slicedApply';

/** Above this many events a full read is done in slices (between them the page answers input). */
const SLICED_READ_ABOVE = 5_000;
/** Length of one slice of a sliced read (ms): under the 50 ms of a "long task". */
const SLICE_MS = 30;

export interface SnapshotState {
  /** The document's content as plain data; null until a document is attached. */
  snapshot: TimelineSnapshot | null;
  /**
   * Every event is being read again (a big document just arrived, or a bulk change): the
   * snapshot is the one before it until the read ends.
   */
  reading: boolean;
}

const NONE: SnapshotState = { snapshot: null, reading: false };

/** The document's content as plain data, recomputed when the document changes. */
export function useTimelineSnapshot(doc: Y.Doc | undefined): SnapshotState {
  const [store] = useState(() => createSnapshotStore());
  useEffect(() => store.attach(doc), [store, doc]);
  return useSyncExternalStore(store.subscribe, store.get, () => NONE);
}

function createSnapshotStore() {
  let state: SnapshotState = NONE;
  const listeners = new Set<() => void>();
  const emit = () => {
    for (const listener of listeners) listener();
  };
  return {
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get: () => state,
    attach(doc: Y.Doc | undefined) {
      if (!doc) return;
      let frame = 0;
      let reading = false;
      // Only the events a change touched are read again (a 100k-event document stays cheap).
      const events = createEventReader(doc);
      const refresh = () => {
        frame = 0;
        // The sliced read refreshes when it ends; so does a document arriving in slices (reading
        // it after every slice would read it whole again and again).
        if (reading || isApplyingSlices(doc)) return;
        if (events.needsFullRead && getEventsMap(doc).size > SLICED_READ_ABOVE) {
          reading = true;
          state = { snapshot: state.snapshot, reading: true };
          emit();
          void events.readInSlices({ sliceMs: SLICE_MS, pause: yieldToPage }).then((done) => {
            reading = false;
            if (done) refresh();
          });
          return;
        }
        const snapshot = { meta: readMeta(doc), lanes: readLanes(doc), events: events.read() };
        state = { snapshot, reading: false };
        emit();
      };
      // Bursts of remote updates are folded into one re-read per animation frame.
      const schedule = () => {
        if (frame === 0) frame = requestAnimationFrame(refresh);
      };
      refresh();
      doc.on('update', schedule);
      const stopWaiting = onSlicedApplyEnd(doc, schedule);
      return () => {
        doc.off('update', schedule);
        stopWaiting();
        events.destroy();
        if (frame !== 0) cancelAnimationFrame(frame);
        if (state.reading) {
          state = { snapshot: state.snapshot, reading: false };
          emit();
        }
      };
    },
  };
}
