/**
 * The events of a document as a sorted array, kept up to date one changed event at a time.
 *
 * `readEvents` reads and sorts every event: fine for an export, far too slow to run after every
 * keystroke of a 100,000-event timeline. This reader observes the events map, remembers which
 * events a change touched, and on `read()` re-reads only those, moving them in the sorted array
 * by binary search. Unchanged events keep their object, so consumers can tell what changed by
 * identity (lib/timeline/axisWindow.ts does). Same order and content as `readEvents`.
 */
import type * as Y from 'yjs';
import { getEventsMap } from './doc';
import { readEvent, readEvents, type TimelineEvent } from './event';
import { compareDates } from './values';

/** Past this many changed events a full read (one sort) is cheaper than moving them one by one. */
const FULL_READ_THRESHOLD = 2_000;

function compareEvents(a: TimelineEvent, b: TimelineEvent): number {
  return compareDates(a.start, b.start) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function lowerBound(events: readonly TimelineEvent[], probe: TimelineEvent): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareEvents(events[middle]!, probe) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

export interface EventReader {
  /** The events, sorted by start then id; the same array as last time when nothing changed. */
  read(): TimelineEvent[];
  /** Stops observing the document. */
  destroy(): void;
}

/** Starts observing `doc`'s events; the first `read()` reads them all. */
export function createEventReader(doc: Y.Doc): EventReader {
  const map = getEventsMap(doc);
  const byId = new Map<string, TimelineEvent>();
  let sorted: TimelineEvent[] = [];
  let dirty: Set<string> | 'all' = 'all';

  const observe = (changes: Y.YEvent<Y.AbstractType<unknown>>[]) => {
    if (dirty === 'all') return;
    for (const change of changes) {
      if (change.target === map) {
        for (const key of (change as Y.YMapEvent<unknown>).keysChanged) dirty.add(key);
      } else {
        // A change inside an event (a field, its description, a source): the event's key.
        const key = change.path[0];
        if (typeof key === 'string') dirty.add(key);
      }
      if (dirty.size > FULL_READ_THRESHOLD) {
        dirty = 'all';
        return;
      }
    }
  };
  map.observeDeep(observe);

  return {
    read() {
      if (dirty === 'all') {
        sorted = readEvents(doc);
        byId.clear();
        for (const event of sorted) byId.set(event.id, event);
      } else if (dirty.size > 0) {
        const next = sorted.slice();
        for (const id of dirty) {
          const before = byId.get(id);
          if (before) {
            const at = lowerBound(next, before);
            if (next[at] === before) next.splice(at, 1);
            byId.delete(id);
          }
          const after = readEvent(doc, id);
          if (after) {
            next.splice(lowerBound(next, after), 0, after);
            byId.set(id, after);
          }
        }
        sorted = next;
      }
      dirty = new Set();
      return sorted;
    },
    destroy() {
      map.unobserveDeep(observe);
    },
  };
}
