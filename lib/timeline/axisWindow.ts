/**
 * What the axis draws of a big timeline: only the events in the visible window (plus a margin),
 * and in a lane too crowded to read, clusters — one band per stretch of the axis with the number
 * of events in it — that split back into events as the person zooms in.
 *
 * vis-timeline lays out and stacks every item it holds on every redraw, so it is smooth only with
 * a few hundred; a 100,000-event document handed over whole takes a minute to open and seconds
 * per frame. This module keeps a per-lane index sorted by start, updated one event at a time as
 * the document changes, and answers "what is in [start, end] at this pixel width" with a binary
 * search per lane. Pure: no DOM, no vis, no Yjs.
 */

/** What the index needs of an event: where it sits on the axis (epoch ms; `end` ≥ `start`). */
export interface AxisEntry {
  id: string;
  lane: string;
  start: number;
  /** `start` for a point. */
  end: number;
}

/** A band standing for `count` events of one lane between `start` and `end`. */
export interface AxisCluster {
  /** Stable while the zoom level stays the same, so panning does not recreate the band. */
  id: string;
  lane: string;
  start: number;
  end: number;
  count: number;
}

export interface AxisQuery {
  start: number;
  end: number;
  /** Width of the axis in pixels: how many events a lane can show side by side. */
  widthPx: number;
  /** Events always drawn as themselves, wherever they are (the selection, its links). */
  keep?: ReadonlySet<string>;
  /** Extra window on each side, as a fraction of the visible one (default 0.5): panning by up to
   * that much shows items already drawn while the next query runs. */
  margin?: number;
  /** Narrowest band, in pixels (default 64, room for its count): a lane holds at most
   * widthPx / this many bands. */
  clusterPx?: number;
}

export interface AxisSelection {
  /** Ids of the events to draw as themselves. */
  events: string[];
  clusters: AxisCluster[];
}

/** Prefix of cluster ids: never an event id (event ids are generated without a colon). */
export const CLUSTER_ID_PREFIX = 'cluster:';

export function isClusterId(id: string): boolean {
  return id.startsWith(CLUSTER_ID_PREFIX);
}

interface Lane {
  /** Sorted by start, then id. */
  entries: AxisEntry[];
  /** An upper bound of (end − start) over the lane: how far back a range may reach into view. */
  longest: number;
}

interface IndexRecord<S> {
  entry: AxisEntry;
  source: S;
  seen: number;
}

function compareEntries(a: AxisEntry, b: AxisEntry): number {
  return a.start - b.start || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** First index whose entry is not before `probe` in (start, id) order. */
function lowerBound(entries: readonly AxisEntry[], probe: { start: number; id: string }): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareEntries(entries[middle]!, probe as AxisEntry) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** First index whose entry starts at or after `time` (from `low` on). */
function firstStartingAt(entries: readonly AxisEntry[], time: number, low = 0): number {
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (entries[middle]!.start < time) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** First index whose entry starts after `time`. */
function firstStartingAfter(entries: readonly AxisEntry[], time: number): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (entries[middle]!.start <= time) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The per-lane sorted index of a timeline's events. `S` is whatever the caller keeps per event
 * (the event object itself), returned by `get` so the caller can build the drawn items.
 */
export class AxisIndex<S = unknown> {
  private readonly lanes = new Map<string, Lane>();
  private readonly records = new Map<string, IndexRecord<S>>();
  private generation = 0;

  get size(): number {
    return this.records.size;
  }

  get(id: string): S | undefined {
    return this.records.get(id)?.source;
  }

  /** Adds or moves an event; O(log n) to find its place plus the array shift. */
  upsert(entry: AxisEntry, source: S): void {
    const current = this.records.get(entry.id);
    if (current) {
      current.source = source;
      current.seen = this.generation;
      const same =
        current.entry.lane === entry.lane &&
        current.entry.start === entry.start &&
        current.entry.end === entry.end;
      if (same) return;
      this.removeEntry(current.entry);
    }
    this.records.set(entry.id, { entry, source, seen: this.generation });
    const lane = this.laneOf(entry.lane);
    lane.entries.splice(lowerBound(lane.entries, entry), 0, entry);
    lane.longest = Math.max(lane.longest, entry.end - entry.start);
  }

  remove(id: string): void {
    const current = this.records.get(id);
    if (!current) return;
    this.records.delete(id);
    this.removeEntry(current.entry);
  }

  /**
   * Makes the index hold exactly `items`. An item whose source object is the one already held is
   * skipped without reading it (a document reader that reuses unchanged event objects makes an
   * update cost the changed events only); the rest go through `upsert`, and those no longer
   * present are removed. The first call sorts once instead of inserting one by one.
   */
  sync<T extends S>(items: readonly T[], toEntry: (item: T) => AxisEntry): void {
    this.generation++;
    const generation = this.generation;
    if (this.records.size === 0) {
      for (const item of items) {
        const entry = toEntry(item);
        this.records.set(entry.id, { entry, source: item, seen: generation });
        const lane = this.laneOf(entry.lane);
        lane.entries.push(entry);
        lane.longest = Math.max(lane.longest, entry.end - entry.start);
      }
      for (const lane of this.lanes.values()) lane.entries.sort(compareEntries);
      return;
    }
    let kept = 0;
    for (const item of items) {
      const entry0 = this.records.get(this.idOf(item, toEntry));
      if (entry0 && entry0.source === item) {
        entry0.seen = generation;
        kept++;
        continue;
      }
      this.upsert(toEntry(item), item);
      kept++;
    }
    if (kept === this.records.size) return;
    for (const [id, record] of this.records) {
      if (record.seen !== generation) this.remove(id);
    }
  }

  /**
   * What to draw of [start, end] (plus the margin): the ids of events to draw as themselves and
   * the clusters. A lane with no more events in the window than it has room for (one per
   * `clusterPx` pixels) shows them all; a denser lane is cut into bands `clusterPx` wide, and a
   * band holding more than one event becomes a cluster.
   */
  query(query: AxisQuery): AxisSelection {
    const margin = query.margin ?? 0.5;
    const clusterPx = query.clusterPx ?? 64;
    const span = Math.max(1, query.end - query.start);
    const from = query.start - span * margin;
    const to = query.end + span * margin;
    const widthPx = Math.max(1, query.widthPx) * (1 + 2 * margin);
    const room = Math.max(1, Math.floor(widthPx / clusterPx));
    // Bands are aligned on a power-of-two width in ms, so the same zoom gives the same bands
    // (and ids) wherever the window is: panning reuses them.
    const bandMs =
      2 ** Math.ceil(Math.log2(Math.max(1, (span / Math.max(1, query.widthPx)) * clusterPx)));
    const keep = query.keep;
    const events: string[] = [];
    const clusters: AxisCluster[] = [];
    // The kept events in view, per lane: drawn as themselves, so not counted in a band.
    const keptByLane = new Map<string, AxisEntry[]>();
    if (keep) {
      for (const id of keep) {
        const record = this.records.get(id);
        if (!record) continue;
        events.push(id);
        const { entry } = record;
        if (entry.start > to || entry.end < from) continue;
        const list = keptByLane.get(entry.lane);
        if (list) list.push(entry);
        else keptByLane.set(entry.lane, [entry]);
      }
    }
    for (const [laneId, lane] of this.lanes) {
      const { entries } = lane;
      const kept = keptByLane.get(laneId) ?? [];
      // [first, inside): ranges starting before the window, some reaching into it;
      // [inside, after): everything starting inside it. Nothing else can be in view.
      const first = firstStartingAt(entries, from - lane.longest);
      const inside = firstStartingAt(entries, from);
      const after = firstStartingAfter(entries, to);
      const reaching: AxisEntry[] = [];
      for (let i = first; i < inside; i++) {
        const entry = entries[i]!;
        if (entry.end >= from && !keep?.has(entry.id)) reaching.push(entry);
      }
      const count = reaching.length + (after - inside) - kept.filter((e) => e.start >= from).length;
      if (count <= room) {
        for (const entry of reaching) events.push(entry.id);
        for (let i = inside; i < after; i++) {
          const id = entries[i]!.id;
          if (!keep?.has(id)) events.push(id);
        }
        continue;
      }
      // Too many to draw: count each band by binary search, so the cost is the number of bands
      // (about widthPx / clusterPx) times log(lane size), not the number of events in view.
      const firstBand = Math.floor(from / bandMs);
      const lastBand = Math.floor(to / bandMs);
      let at = inside;
      for (let band = firstBand; band <= lastBand; band++) {
        const end = band === lastBand ? after : firstStartingAt(entries, (band + 1) * bandMs, at);
        // A range reaching in from the left belongs to the first band it shows in.
        const extra = band === firstBand ? reaching : [];
        let keptHere = 0;
        for (const entry of kept) {
          if (Math.floor(Math.max(entry.start, from) / bandMs) === band && entry.start >= from)
            keptHere++;
        }
        const inBand = extra.length + (end - at) - keptHere;
        if (inBand === 1) {
          const single = extra[0] ?? entries.slice(at, end).find((entry) => !keep?.has(entry.id));
          if (single) events.push(single.id);
        } else if (inBand > 1) {
          clusters.push({
            id: `${CLUSTER_ID_PREFIX}${laneId}:${bandMs}:${band}`,
            lane: laneId,
            start: band * bandMs,
            end: (band + 1) * bandMs,
            count: inBand,
          });
        }
        at = end;
      }
    }
    return { events, clusters };
  }

  private idOf<T>(item: T, toEntry: (item: T) => AxisEntry): string {
    const withId = item as { id?: unknown };
    return typeof withId.id === 'string' ? withId.id : toEntry(item).id;
  }

  private laneOf(id: string): Lane {
    let lane = this.lanes.get(id);
    if (!lane) {
      lane = { entries: [], longest: 0 };
      this.lanes.set(id, lane);
    }
    return lane;
  }

  private removeEntry(entry: AxisEntry): void {
    const lane = this.lanes.get(entry.lane);
    if (!lane) return;
    const index = lowerBound(lane.entries, entry);
    if (lane.entries[index]?.id === entry.id) lane.entries.splice(index, 1);
    if (lane.entries.length === 0) this.lanes.delete(entry.lane);
  }
}
