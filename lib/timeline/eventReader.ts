/**
 * The events of a document as a sorted array, kept up to date one changed event at a time.
 *
 * `readEvents` reads and sorts every event: fine for an export, far too slow to run after every
 * keystroke of a 100,000-event timeline. This reader observes the events map, remembers which
 * events a change touched, and on `read()` re-reads only those, moving them in the sorted array
 * by binary search. Unchanged events keep their object, so consumers can tell what changed by
 * identity (lib/timeline/axisWindow.ts does). Same order and content as `readEvents`.
 *
 * Reading every event (the first time, or after a bulk change) takes a second or more at 100,000
 * events: `readInSlices` does it a slice at a time, so the page keeps answering input.
 */
import * as Y from 'yjs';
import { getEventsMap } from './doc';
import { readEvent, readEventMap, type TimelineEvent } from './event';
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

/**
 * Every readable event, sorted by start then id: what `readEvents` returns, but each start is
 * parsed once (a comparator that parses both dates costs ~17 parses per event at 100,000).
 */
export function readAllEvents(doc: Y.Doc): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  getEventsMap(doc).forEach((map, id) => {
    if (!(map instanceof Y.Map)) return;
    const event = readEventMap(id, map);
    if (event) events.push(event);
  });
  return sortEvents(events);
}

/** Sorted by start then id, each start parsed once. */
function sortEvents(events: TimelineEvent[]): TimelineEvent[] {
  const starts = new Float64Array(events.length);
  for (let i = 0; i < events.length; i++) starts[i] = Date.parse(events[i]!.start);
  const order = new Uint32Array(events.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => {
    const byStart = starts[a]! - starts[b]!;
    if (byStart !== 0) return byStart;
    const idA = events[a]!.id;
    const idB = events[b]!.id;
    return idA < idB ? -1 : idA > idB ? 1 : 0;
  });
  const sorted = new Array<TimelineEvent>(events.length);
  for (let i = 0; i < order.length; i++) sorted[i] = events[order[i]!]!;
  return sorted;
}

export interface SlicedReadOptions {
  /** Reading stops for a pause after about this long (ms). */
  sliceMs: number;
  /** Resolves when the page may continue reading (the next task). */
  pause(): Promise<void>;
}

export interface EventReader {
  /** The events, sorted by start then id; the same array as last time when nothing changed. */
  read(): TimelineEvent[];
  /**
   * Whether the next `read()` reads every event (the first read, or after a bulk change): on a
   * big document, `readInSlices` first keeps the page responsive.
   */
  readonly needsFullRead: boolean;
  /**
   * Reads every event in slices of about `sliceMs`, pausing between them so that the page
   * answers input meanwhile. Changes made to the document during the read are caught up by the
   * next `read()` (one event at a time, or again in full after a bulk change). Resolves with the
   * events read (sorted, what `read()` returned before those changes), or null when the reader
   * was destroyed before the end.
   */
  readInSlices(options: SlicedReadOptions): Promise<TimelineEvent[] | null>;
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
  let destroyed = false;

  const setAll = (events: TimelineEvent[]) => {
    sorted = events;
    byId.clear();
    for (const event of sorted) byId.set(event.id, event);
  };

  return {
    get needsFullRead() {
      return dirty === 'all';
    },
    read() {
      if (dirty === 'all') {
        setAll(readAllEvents(doc));
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
    async readInSlices({ sliceMs, pause }) {
      const keys = [...map.keys()];
      // From here on the observer records what changes; read() catches up on it afterwards.
      dirty = new Set();
      const events: TimelineEvent[] = [];
      let at = 0;
      while (at < keys.length) {
        const until = performance.now() + sliceMs;
        do {
          const end = Math.min(keys.length, at + 256);
          for (; at < end; at++) {
            const key = keys[at]!;
            const value = map.get(key);
            if (!(value instanceof Y.Map)) continue;
            const event = readEventMap(key, value);
            if (event) events.push(event);
          }
        } while (at < keys.length && performance.now() < until);
        if (at < keys.length) await pause();
        if (destroyed) return null;
      }
      setAll(sortEvents(events));
      return sorted;
    },
    destroy() {
      destroyed = true;
      map.unobserveDeep(observe);
    },
  };
}
