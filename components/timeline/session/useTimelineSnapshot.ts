'use client';
import { useEffect, useState, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import { getEventsMap } from '@/lib/timeline/doc';
import { createEventReader } from '@/lib/timeline/eventReader';
import { readLanes, readMeta, type TimelineSnapshot } from '@/lib/timeline/model';
import {
  isApplyingSlices,
  onPreview,
  onSlicedApplyEnd,
  previewOf,
  slicedApplyRemainingMs,
  yieldToPage,
} from './slicedApply';

/** Above this many events a full read is done in slices (between them the page answers input). */
const SLICED_READ_ABOVE = 5_000;
/** Length of one slice of a sliced read (ms): under the 50 ms of a "long task". */
const SLICE_MS = 30;
/**
 * A document with no events yet (a first visit) still this long (ms) from having arrived whole
 * (a big timeline arriving in slices) shows the events arrived so far, once, instead of an empty
 * axis until the end (seconds at 100,000 events).
 */
const PARTIAL_WHEN_MS_LEFT = 600;

export interface SnapshotState {
  /** The document's content as plain data; null until a document is attached. */
  snapshot: TimelineSnapshot | null;
  /**
   * Every event is being read again (a big document just arrived, or a bulk change): the
   * snapshot is the one before it until the read ends.
   */
  reading: boolean;
  /**
   * The snapshot holds only the part of the document that has arrived so far (a first visit to a
   * big timeline, still arriving): something to look at, not yet to edit or count.
   */
  partial: boolean;
}

const NONE: SnapshotState = { snapshot: null, reading: false, partial: false };

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
      let partialShown = false;
      // Only the events a change touched are read again (a 100k-event document stays cheap).
      const events = createEventReader(doc);
      const hasEvents = () => (state.snapshot?.events.length ?? 0) > 0;
      // A first view read off the page's thread (preview.ts) while the document arrives: shown
      // as the partial snapshot, unless as much is shown already (also during a read of a part).
      const showPreview = () => {
        const preview = previewOf(doc);
        if (!preview || (hasEvents() && !state.partial)) return false; // a first view only
        if (preview.events.length <= (state.snapshot?.events.length ?? 0)) return false;
        partialShown = true;
        state = { snapshot: preview, reading: true, partial: true };
        emit();
        return true;
      };
      const refresh = () => {
        frame = 0;
        if (showPreview() || reading) return;
        // A document arriving in slices is read when it has all arrived (reading it after every
        // slice would read it whole again and again); a first visit sees a part of it before.
        if (isApplyingSlices(doc)) {
          // Attached while a document arrives: the page gets its frame (lanes, an empty axis) at
          // once, so that the first part is drawn as soon as it is read.
          if (state.snapshot === null) {
            const snapshot = { meta: readMeta(doc), lanes: readLanes(doc), events: [] };
            state = { snapshot, reading: true, partial: true };
            emit();
          }
          const left = slicedApplyRemainingMs(doc);
          if (!partialShown && !hasEvents() && left >= PARTIAL_WHEN_MS_LEFT && left < Infinity) {
            showPartial();
          }
          return;
        }
        if (events.needsFullRead && getEventsMap(doc).size > SLICED_READ_ABOVE) {
          reading = true;
          state = { snapshot: state.snapshot, reading: true, partial: state.partial };
          emit();
          void events.readInSlices({ sliceMs: SLICE_MS, pause: yieldToPage }).then((read) => {
            reading = false;
            if (read) refresh();
          });
          return;
        }
        const snapshot = { meta: readMeta(doc), lanes: readLanes(doc), events: events.read() };
        state = { snapshot, reading: false, partial: false };
        emit();
      };
      const showPartial = () => {
        partialShown = true;
        reading = true;
        void events.readInSlices({ sliceMs: SLICE_MS, pause: yieldToPage }).then((read) => {
          reading = false;
          if (!read) return;
          if (isApplyingSlices(doc)) {
            // Nothing whole yet (every event still lacks a field): try again on a later slice.
            if (read.length === 0) {
              if (!hasEvents()) partialShown = false;
              return;
            }
            // A preview read elsewhere came meanwhile and shows more.
            if ((state.snapshot?.events.length ?? 0) >= read.length) return;
            const snapshot = { meta: readMeta(doc), lanes: readLanes(doc), events: read };
            state = { snapshot, reading: true, partial: true };
            emit();
          } else {
            schedule(); // the end of the arrival came during the read, and was not read
          }
        });
      };
      // Bursts of remote updates are folded into one re-read per animation frame.
      const schedule = () => {
        if (frame === 0) frame = requestAnimationFrame(refresh);
      };
      refresh();
      doc.on('update', schedule);
      const stopWaiting = onSlicedApplyEnd(doc, schedule);
      const stopPreviews = onPreview(doc, schedule);
      return () => {
        doc.off('update', schedule);
        stopWaiting();
        stopPreviews();
        events.destroy();
        if (frame !== 0) cancelAnimationFrame(frame);
        if (state.reading) {
          state = { snapshot: state.snapshot, reading: false, partial: state.partial };
          emit();
        }
      };
    },
  };
}
