import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type AxisCluster,
  type AxisEntry,
  AxisIndex,
  type AxisQuery,
  type AxisSelection,
  isClusterId,
} from '../../lib/timeline/axisWindow';

const DAY = 24 * 3600 * 1000;
const T0 = Date.UTC(2024, 0, 1);

interface Ev {
  id: string;
  lane: string;
  start: number;
  end?: number;
}

const toEntry = (event: Ev): AxisEntry => ({
  id: event.id,
  lane: event.lane,
  start: event.start,
  end: event.end ?? event.start,
});

/** The events a query draws, plus every event inside its clusters: what the axis stands for. */
function covered(index: AxisIndex<Ev>, all: Ev[], query: Parameters<AxisIndex['query']>[0]) {
  const result = index.query(query);
  const drawn = new Set(result.events);
  let inClusters = 0;
  for (const cluster of result.clusters) inClusters += cluster.count;
  return { result, drawn, total: drawn.size + inClusters, all };
}

/** The events of `all` that a window (with margin) must account for, computed the slow way. */
function expectedIn(all: Ev[], from: number, to: number): Set<string> {
  return new Set(
    all.filter((e) => (e.end ?? e.start) >= from && e.start <= to).map((event) => event.id),
  );
}

/**
 * The query as first written (a scan of every event in view), kept here as the reference the
 * binary-searched one must agree with exactly.
 */
function scanQuery(all: Ev[], query: AxisQuery): AxisSelection {
  const lanesMap = new Map<string, { entries: AxisEntry[]; longest: number }>();
  const ids = new Set(all.map((event) => event.id));
  const records = { has: (id: string) => ids.has(id) };
  for (const event of all) {
    const entry = toEntry(event);
    const lane = lanesMap.get(entry.lane) ?? { entries: [], longest: 0 };
    lanesMap.set(entry.lane, lane);
    lane.entries.push(entry);
    lane.longest = Math.max(lane.longest, entry.end - entry.start);
  }
  const byStartThenId = (a: AxisEntry, b: AxisEntry) =>
    a.start - b.start || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  for (const lane of lanesMap.values()) lane.entries.sort(byStartThenId);
  const lowerBound = (entries: AxisEntry[], probe: { start: number; id: string }) => {
    let low = 0;
    let high = entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (byStartThenId(entries[middle]!, probe as AxisEntry) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  const CLUSTER_ID_PREFIX = 'cluster:';

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
  if (keep) {
    for (const id of keep) if (records.has(id)) events.push(id);
  }
  for (const [laneId, lane] of lanesMap) {
    const { entries } = lane;
    const first = lowerBound(entries, { start: from - lane.longest, id: '' });
    const inView: AxisEntry[] = [];
    for (let i = first; i < entries.length; i++) {
      const entry = entries[i]!;
      if (entry.start > to) break;
      if (entry.end < from || keep?.has(entry.id)) continue;
      inView.push(entry);
    }
    if (inView.length <= room) {
      for (const entry of inView) events.push(entry.id);
      continue;
    }
    let band: AxisEntry[] = [];
    let bandIndex = Number.NaN;
    const flush = () => {
      if (band.length === 1) events.push(band[0]!.id);
      else if (band.length > 1) {
        clusters.push({
          id: `${CLUSTER_ID_PREFIX}${laneId}:${bandMs}:${bandIndex}`,
          lane: laneId,
          start: bandIndex * bandMs,
          end: (bandIndex + 1) * bandMs,
          count: band.length,
        });
      }
      band = [];
    };
    for (const entry of inView) {
      // A range reaching in from the left belongs to the first band it shows in.
      const index = Math.floor(Math.max(entry.start, from) / bandMs);
      if (index !== bandIndex) {
        flush();
        bandIndex = index;
      }
      band.push(entry);
    }
    flush();
  }
  return { events, clusters };
}

describe('axis window', () => {
  it('draws only the events inside the window and its margin, ranges reaching in included', () => {
    const events: Ev[] = [
      { id: 'a', lane: 'L1', start: T0 },
      { id: 'b', lane: 'L1', start: T0 + 10 * DAY },
      { id: 'c', lane: 'L1', start: T0 + 100 * DAY },
      // Starts long before the window and ends inside it.
      { id: 'r', lane: 'L2', start: T0 - 300 * DAY, end: T0 + 9 * DAY },
      { id: 'd', lane: 'L2', start: T0 - 200 * DAY },
    ];
    const index = new AxisIndex<Ev>();
    index.sync(events, toEntry);
    const { events: drawn, clusters } = index.query({
      start: T0 + 8 * DAY,
      end: T0 + 12 * DAY,
      widthPx: 1000,
      margin: 0.5,
    });
    assert.deepEqual(new Set(drawn), new Set(['b', 'r']));
    assert.deepEqual(clusters, []);
  });

  it('turns a crowded lane into counted bands that add up, and splits them when zooming in', () => {
    const events: Ev[] = [];
    for (let i = 0; i < 5000; i++) {
      events.push({ id: `e${i}`, lane: i % 2 ? 'busy' : 'quiet', start: T0 + i * 60_000 });
    }
    // The quiet lane has a handful only.
    const few = events.filter((e) => e.lane === 'quiet').slice(0, 5);
    const all = [...events.filter((e) => e.lane === 'busy'), ...few];
    const index = new AxisIndex<Ev>();
    index.sync(all, toEntry);
    const wide = { start: T0, end: T0 + 5000 * 60_000, widthPx: 1200, margin: 0 };
    const { result, drawn, total } = covered(index, all, wide);
    assert.equal(total, all.length, 'every event is drawn or counted in a band');
    assert.ok(result.clusters.length > 0);
    assert.ok(result.clusters.length <= 1200 / 64 + 1, 'no more bands than the lane has room for');
    assert.ok(result.clusters.every((c) => c.lane === 'busy' && isClusterId(c.id)));
    for (const event of few) assert.ok(drawn.has(event.id), 'a sparse lane is never clustered');
    // Bands do not overlap.
    const sorted = [...result.clusters].sort((a, b) => a.start - b.start);
    for (let i = 1; i < sorted.length; i++) assert.ok(sorted[i]!.start >= sorted[i - 1]!.end);

    // Zoomed in on half an hour: its 15 busy events fit, no bands.
    const narrow = index.query({
      start: T0 + 1000 * 60_000,
      end: T0 + 1030 * 60_000,
      widthPx: 1200,
      margin: 0,
    });
    assert.deepEqual(narrow.clusters, []);
    assert.equal(narrow.events.length, 15);
  });

  it('keeps band ids while panning at the same zoom', () => {
    const all: Ev[] = [];
    for (let i = 0; i < 20_000; i++) all.push({ id: `e${i}`, lane: 'L', start: T0 + i * 60_000 });
    const index = new AxisIndex<Ev>();
    index.sync(all, toEntry);
    const span = 5000 * 60_000;
    const a = index.query({ start: T0 + span, end: T0 + 2 * span, widthPx: 1000 });
    const b = index.query({
      start: T0 + span + span / 10,
      end: T0 + 2 * span + span / 10,
      widthPx: 1000,
    });
    const idsA = new Set(a.clusters.map((c) => c.id));
    const shared = b.clusters.filter((c) => idsA.has(c.id)).length;
    assert.ok(shared >= b.clusters.length * 0.7, `${shared} of ${b.clusters.length} bands reused`);
  });

  it('always draws the kept events as themselves, out of any band', () => {
    const all: Ev[] = [];
    for (let i = 0; i < 3000; i++) all.push({ id: `e${i}`, lane: 'L', start: T0 + i * 1000 });
    const index = new AxisIndex<Ev>();
    index.sync(all, toEntry);
    const { result, drawn, total } = covered(index, all, {
      start: T0,
      end: T0 + 3000 * 1000,
      widthPx: 800,
      keep: new Set(['e1500', 'missing']),
    });
    assert.ok(drawn.has('e1500'));
    assert.ok(!drawn.has('missing'), 'a kept id that is not an event is not drawn');
    assert.equal(total, all.length, 'the kept event is not counted twice');
    assert.ok(result.clusters.length > 0);
  });

  it('matches a full scan after random incremental changes (sync reuses unchanged objects)', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 48_271) % 2_147_483_647;
      return seed / 2_147_483_647;
    };
    const lanes = ['A', 'B', 'C'];
    let events: Ev[] = [];
    for (let i = 0; i < 2000; i++) {
      const start = T0 + Math.floor(random() * 400) * DAY;
      events.push({
        id: `e${i}`,
        lane: lanes[i % 3]!,
        start,
        ...(i % 7 === 0 ? { end: start + Math.floor(random() * 60) * DAY } : {}),
      });
    }
    const index = new AxisIndex<Ev>();
    index.sync(events, toEntry);
    let next = 2000;
    for (let round = 0; round < 50; round++) {
      // Move, re-lane, delete and add a few; unchanged events keep their object.
      events = events.flatMap((event) => {
        const roll = random();
        if (roll < 0.01) return [];
        if (roll < 0.03) return [{ ...event, start: event.start + DAY, end: undefined }];
        if (roll < 0.04) return [{ ...event, lane: lanes[(lanes.indexOf(event.lane) + 1) % 3]! }];
        return [event];
      });
      for (let k = 0; k < 5; k++) {
        events.push({ id: `e${next++}`, lane: lanes[k % 3]!, start: T0 + random() * 400 * DAY });
      }
      index.sync(events, toEntry);
      assert.equal(index.size, events.length);
      const start = T0 + Math.floor(random() * 300) * DAY;
      const end = start + Math.floor(1 + random() * 100) * DAY;
      const query = { start, end, widthPx: 100_000, margin: 0.25 };
      const result = index.query(query);
      assert.deepEqual(result.clusters, [], 'wide enough: nothing clustered');
      const span = end - start;
      assert.deepEqual(
        new Set(result.events),
        expectedIn(events, start - span * 0.25, end + span * 0.25),
      );
    }
    assert.equal(index.get(events[0]!.id), events[0]);
  });

  it('at 100,000 events hands vis a few hundred items, and a change reads the changed event only', () => {
    const all: Ev[] = [];
    for (let i = 0; i < 100_000; i++) {
      all.push({ id: `e${i}`, lane: `L${i % 6}`, start: T0 + ((i * 7919) % 100_000) * 600_000 });
    }
    let reads = 0;
    const countingEntry = (event: Ev) => {
      reads++;
      return toEntry(event);
    };
    const index = new AxisIndex<Ev>();
    index.sync(all, countingEntry);
    assert.equal(reads, all.length);
    const { result, total } = covered(index, all, {
      start: T0,
      end: T0 + 100_000 * 600_000,
      widthPx: 1400,
    });
    assert.equal(total, all.length);
    // At most one band or event per 64 px of the axis and its margins, per lane.
    assert.ok(result.events.length + result.clusters.length <= 6 * ((1400 * 2) / 64 + 2));
    // One changed event (a new object), one deleted: the resync reads the changed one only.
    const moved = { ...all[5]!, start: all[5]!.start + DAY };
    const next = all.slice(0, -1);
    next[5] = moved;
    reads = 0;
    index.sync(next, countingEntry);
    assert.equal(reads, 1);
    assert.equal(index.get('e5'), moved);
    assert.equal(index.get(`e${all.length - 1}`), undefined);
    assert.equal(index.size, next.length);
  });

  it('counts bands by binary search with exactly the result of scanning every event in view', () => {
    let seed = 11;
    const random = () => {
      seed = (seed * 48_271) % 2_147_483_647;
      return seed / 2_147_483_647;
    };
    const all: Ev[] = [];
    for (let i = 0; i < 6000; i++) {
      // Crowded weeks and a sparse rest; some long ranges reaching across windows.
      const start =
        random() < 0.5
          ? T0 + Math.floor(random() * 4) * 90 * DAY + Math.floor(random() * 7 * DAY)
          : T0 + Math.floor(random() * 365 * DAY);
      const end = i % 9 === 0 ? start + Math.floor(random() * 40 * DAY) : undefined;
      all.push({ id: `e${i}`, lane: `L${i % 4}`, start, ...(end ? { end } : {}) });
    }
    const index = new AxisIndex<Ev>();
    index.sync(all, toEntry);
    let clustered = 0;
    for (let round = 0; round < 300; round++) {
      const start = T0 - 30 * DAY + Math.floor(random() * 400 * DAY);
      const span = Math.max(60_000, Math.floor(random() ** 3 * 400 * DAY));
      const keep = new Set<string>();
      for (let k = 0; k < round % 4; k++) keep.add(`e${Math.floor(random() * 6000)}`);
      const query: AxisQuery = {
        start,
        end: start + span,
        widthPx: 300 + Math.floor(random() * 1500),
        margin: round % 3 === 0 ? 0 : 0.5,
        keep,
      };
      const result = index.query(query);
      assert.deepEqual(result, scanQuery(all, query), `round ${round}`);
      if (result.clusters.length > 0) clustered++;
    }
    assert.ok(clustered > 50 && clustered < 290, `${clustered} of 300 windows had bands`);
  });
});
