import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import { diffTimelines } from '../../lib/timeline/diff';
import {
  createEvent,
  createLane,
  deleteEvent,
  getDescriptionText,
  getEventsMap,
  getLanesMap,
  getMetaMap,
  initializeTimeline,
  readEvent,
  readTimeline,
  replaceText,
  setTimelineTitle,
  type TimelineSnapshot,
  updateEvent,
} from '../../lib/timeline/model';
import { restoreTimeline } from '../../lib/timeline/restore';
import { newDoc, replicaOf, sync } from './helpers/replicas';
import { withoutIds } from './helpers/sources';

/**
 * A timeline with two lanes and three events covering every field: a point with description and
 * sources, a range with a confidence, and a plain point.
 */
function setup(clientID?: number): { doc: Y.Doc; laneA: string; laneB: string } {
  const doc = newDoc(clientID);
  initializeTimeline(doc, { title: 'Restore timeline' });
  const laneA = createLane(doc, { title: 'Lane A' }, 'lane-a');
  const laneB = createLane(doc, { title: 'Lane B', color: '#123456' }, 'lane-b');
  createEvent(
    doc,
    {
      title: 'Alpha',
      kind: 'point',
      start: '2019-02-18',
      lane: laneA,
      description: 'Hello brave new world',
      sources: [{ title: 'Report', url: 'https://example.org/report' }, { title: 'Interview' }],
    },
    'alpha',
  );
  createEvent(
    doc,
    {
      title: 'Beta',
      kind: 'range',
      start: '2019-02-20',
      end: '2019-02-25',
      lane: laneB,
      confidence: 'moderate',
    },
    'beta',
  );
  createEvent(doc, { title: 'Gamma', kind: 'point', start: '2019-03-01', lane: laneB }, 'gamma');
  return { doc, laneA, laneB };
}

/** Counts the updates `fn` makes the doc emit (what would be sent to other clients). */
function countUpdates(doc: Y.Doc, fn: () => void): number {
  let updates = 0;
  const count = () => updates++;
  doc.on('update', count);
  try {
    fn();
  } finally {
    doc.off('update', count);
  }
  return updates;
}

/**
 * What `fn` writes under the events map, as `id` (an event added or deleted) or `id.field` (a
 * field of an existing event written).
 */
function recordEventWrites(doc: Y.Doc, fn: () => void): string[] {
  const writes = new Set<string>();
  const events = getEventsMap(doc);
  const observe = (yEvents: Y.YEvent<Y.AbstractType<unknown>>[]) => {
    for (const yEvent of yEvents) {
      const path = yEvent.path.map(String);
      const keys = [...yEvent.changes.keys.keys()];
      if (path.length === 0) {
        for (const key of keys) writes.add(key);
      } else if (path.length === 1) {
        for (const key of keys) writes.add(`${path[0]}.${key}`);
      } else {
        // A change inside the description text or the sources array.
        writes.add(`${path[0]}.${path[1]}`);
      }
    }
  };
  events.observeDeep(observe);
  try {
    fn();
  } finally {
    events.unobserveDeep(observe);
  }
  return [...writes].sort();
}

/** Every event points to a lane that exists: what the UI needs to draw the timeline. */
function assertLanesExist(snapshot: TimelineSnapshot): void {
  const laneIds = new Set(snapshot.lanes.map((lane) => lane.id));
  for (const event of snapshot.events) {
    assert.ok(laneIds.has(event.lane), `event ${event.id} points to missing lane ${event.lane}`);
  }
}

/** Many kinds of edit at once: title, lanes added/removed/renamed, events added/deleted/edited. */
function editEverything(doc: Y.Doc): void {
  setTimelineTitle(doc, 'Renamed timeline');
  const laneC = createLane(doc, { title: 'Lane C' }, 'lane-c');
  getLanesMap(doc).get('lane-a')!.set('title', 'Lane A, renamed');
  updateEvent(doc, 'beta', { lane: laneC, title: 'Beta moved', confidence: null });
  deleteEvent(doc, 'gamma');
  getLanesMap(doc).delete('lane-b');
  createEvent(doc, { title: 'Delta', kind: 'point', start: '2019-01-01', lane: laneC }, 'delta');
  updateEvent(doc, 'alpha', {
    kind: 'range',
    end: '2019-02-19',
    description: 'Hello new world!',
    confidence: 'high',
  });
  const sources = getEventsMap(doc).get('alpha')!.get('sources') as Y.Array<Y.Map<unknown>>;
  sources.delete(0, 1);
}

describe('restoreTimeline', () => {
  it('brings back an older state after adds, deletes, field edits, lane changes and a rename', () => {
    const { doc } = setup();
    const old = readTimeline(doc);
    editEverything(doc);
    assert.equal(diffTimelines(readTimeline(doc), old).empty, false);

    const updates = countUpdates(doc, () => restoreTimeline(doc, old));

    assert.equal(updates, 1, 'the restore is one transaction, so one update');
    assert.deepEqual(readTimeline(doc), old);
    assert.equal(getLanesMap(doc).has('lane-c'), false);
    assert.equal(getEventsMap(doc).has('delta'), false);
    assertLanesExist(readTimeline(doc));
  });

  it('keeps the ids of re-created events and lanes, so links and other replicas still match', () => {
    const { doc } = setup();
    const old = readTimeline(doc);
    deleteEvent(doc, 'gamma');
    deleteEvent(doc, 'beta');
    getLanesMap(doc).delete('lane-b');
    restoreTimeline(doc, old);
    assert.deepEqual(
      readEvent(doc, 'gamma'),
      old.events.find((event) => event.id === 'gamma'),
    );
    assert.deepEqual(
      readEvent(doc, 'beta'),
      old.events.find((event) => event.id === 'beta'),
    );
    assert.deepEqual(getLanesMap(doc).get('lane-b')!.toJSON(), {
      title: 'Lane B',
      order: 1,
      color: '#123456',
    });
    // Re-created events have the layout createEvent builds, so model writers work on them.
    assert.ok(getDescriptionText(doc, 'gamma') instanceof Y.Text);
    updateEvent(doc, 'gamma', { description: 'still editable' });
    assert.equal(readEvent(doc, 'gamma')!.description, 'still editable');
  });

  it('writes nothing and emits no update when the document already matches', () => {
    const { doc } = setup();
    const current = readTimeline(doc);
    const before = Y.encodeStateVector(doc);
    let writes: string[] = [];
    const updates = countUpdates(doc, () => {
      writes = recordEventWrites(doc, () => restoreTimeline(doc, current));
    });
    assert.equal(updates, 0);
    assert.deepEqual(writes, []);
    assert.deepEqual(Y.encodeStateVector(doc), before);
  });

  it('writes only the fields that differ, and nothing for unchanged events', () => {
    const { doc } = setup();
    const old = readTimeline(doc);
    updateEvent(doc, 'beta', { start: '2019-02-21', title: 'Beta edited' });
    let titleWrites = 0;
    getMetaMap(doc).observe(() => titleWrites++);
    let laneWrites = 0;
    getLanesMap(doc).observeDeep(() => laneWrites++);

    const writes = recordEventWrites(doc, () => restoreTimeline(doc, old));

    assert.deepEqual(writes, ['beta.start', 'beta.title']);
    assert.equal(titleWrites, 0);
    assert.equal(laneWrites, 0);
    assert.deepEqual(readTimeline(doc), old);
  });

  it('restores a description with a minimal text edit', () => {
    const { doc } = setup();
    const old = readTimeline(doc);
    updateEvent(doc, 'alpha', { description: 'Hello new world' });
    const deltas: unknown[] = [];
    getDescriptionText(doc, 'alpha')!.observe((event) => deltas.push(event.delta));

    restoreTimeline(doc, old);

    assert.equal(readEvent(doc, 'alpha')!.description, 'Hello brave new world');
    // Only "brave " is inserted; the rest of the text (and anyone's cursor in it) is untouched.
    assert.deepEqual(deltas, [[{ retain: 6 }, { insert: 'brave ' }]]);
  });

  it('restores descriptions exactly, including astral characters and an emptied text', () => {
    const { doc } = setup();
    updateEvent(doc, 'beta', { description: 'Flags 🇺🇦 and 👩‍👩‍👧 stay whole\nsecond line' });
    const old = readTimeline(doc);
    updateEvent(doc, 'beta', { description: 'Flags 🇺🇸 stay whole' });
    updateEvent(doc, 'alpha', { description: '' });
    restoreTimeline(doc, old);
    assert.equal(
      readEvent(doc, 'beta')!.description,
      'Flags 🇺🇦 and 👩‍👩‍👧 stay whole\nsecond line',
    );
    assert.equal(readEvent(doc, 'alpha')!.description, 'Hello brave new world');
    assert.deepEqual(readTimeline(doc), old);
  });

  it('deletes every event when the target has none, and keeps the lanes it has', () => {
    const { doc } = setup();
    const target: TimelineSnapshot = { ...readTimeline(doc), events: [] };
    restoreTimeline(doc, target);
    assert.equal(getEventsMap(doc).size, 0);
    assert.deepEqual(readTimeline(doc), target);
    assert.equal(readTimeline(doc).lanes.length, 2);
  });

  it('fills an empty document from a snapshot', () => {
    const { doc } = setup();
    const snapshot = readTimeline(doc);
    const fresh = newDoc();
    restoreTimeline(fresh, snapshot);
    assert.deepEqual(readTimeline(fresh), snapshot);
  });

  it('restores sources, both removed ones and an emptied list', () => {
    const { doc } = setup();
    const old = readTimeline(doc);
    const sources = getEventsMap(doc).get('alpha')!.get('sources') as Y.Array<Y.Map<unknown>>;
    sources.delete(0, sources.length);
    assert.deepEqual(readEvent(doc, 'alpha')!.sources, []);
    restoreTimeline(doc, old);
    // The restored sources are new maps but keep their ids.
    assert.deepEqual(
      readEvent(doc, 'alpha')!.sources,
      old.events.find((event) => event.id === 'alpha')!.sources,
    );
    assert.deepEqual(withoutIds(readEvent(doc, 'alpha')!.sources), [
      { title: 'Report', url: 'https://example.org/report' },
      { title: 'Interview' },
    ]);
    // The other way: a target without sources empties the list.
    const withoutSources: TimelineSnapshot = {
      ...old,
      events: old.events.map((event) => ({ ...event, sources: [] })),
    };
    restoreTimeline(doc, withoutSources);
    assert.deepEqual(readTimeline(doc), withoutSources);
  });

  it('never leaves an event in a missing lane, whichever way lanes are swapped', () => {
    const { doc } = setup();
    const old = readTimeline(doc);
    editEverything(doc);
    const edited = readTimeline(doc);
    assertLanesExist(edited);
    restoreTimeline(doc, old);
    assertLanesExist(readTimeline(doc));
    restoreTimeline(doc, edited);
    assert.deepEqual(readTimeline(doc), edited);
    assertLanesExist(readTimeline(doc));
  });

  it('is itself undone by restoring the state captured just before it', () => {
    const { doc } = setup();
    const old = readTimeline(doc);
    editEverything(doc);
    const beforeRestore = readTimeline(doc);
    restoreTimeline(doc, old);
    assert.deepEqual(readTimeline(doc), old);
    restoreTimeline(doc, beforeRestore);
    assert.deepEqual(readTimeline(doc), beforeRestore);
  });

  it('tags its single transaction with the given origin, so an UndoManager can undo it', () => {
    const { doc } = setup();
    const old = readTimeline(doc);
    editEverything(doc);
    const edited = readTimeline(doc);
    const origin = { kind: 'restore' };
    const undo = new Y.UndoManager([getMetaMap(doc), getLanesMap(doc), getEventsMap(doc)], {
      trackedOrigins: new Set([origin]),
    });
    const origins: unknown[] = [];
    doc.on('update', (_update: Uint8Array, updateOrigin: unknown) => origins.push(updateOrigin));

    restoreTimeline(doc, old, origin);

    assert.deepEqual(origins, [origin]);
    assert.equal(origins[0], origin);
    assert.deepEqual(readTimeline(doc), old);
    undo.undo();
    assert.deepEqual(readTimeline(doc), edited);
  });

  it('is just another change: concurrent edits to untouched events survive the merge', () => {
    const { doc: a } = setup(1);
    const b = replicaOf(a, 2);
    const target = readTimeline(a);
    // X = alpha, Y = gamma, Z = beta.
    updateEvent(b, 'alpha', { title: 'Alpha, edited on B' });
    deleteEvent(a, 'gamma');
    updateEvent(a, 'beta', { start: '2019-02-10' });

    restoreTimeline(a, target);
    sync(a, b);

    assert.deepEqual(readTimeline(a), readTimeline(b));
    assert.deepEqual(getEventsMap(a).toJSON(), getEventsMap(b).toJSON());
    const merged = readTimeline(b);
    const expected: TimelineSnapshot = {
      ...target,
      events: target.events.map((event) =>
        event.id === 'alpha' ? { ...event, title: 'Alpha, edited on B' } : event,
      ),
    };
    assert.deepEqual(merged, expected);
  });

  it('keeps concurrent typing in a description and a concurrently added source', () => {
    const { doc: a } = setup(1);
    updateEvent(a, 'alpha', { description: 'Hello new world' });
    const target = readTimeline(a);
    updateEvent(a, 'alpha', { description: 'Hello old world' });
    const b = replicaOf(a, 2);
    // B types at the end of the text and cites one more source while A restores.
    replaceText(getDescriptionText(b, 'alpha')!, 'Hello old world. More from B.');
    const extra = new Y.Map<unknown>();
    extra.set('title', 'Added on B');
    (getEventsMap(b).get('alpha')!.get('sources') as Y.Array<Y.Map<unknown>>).push([extra]);
    const sourcesTarget: TimelineSnapshot = {
      ...target,
      events: target.events.map((event) =>
        event.id === 'alpha'
          ? { ...event, sources: [{ id: 'only', title: 'Only this one' }] }
          : event,
      ),
    };

    restoreTimeline(a, sourcesTarget);
    sync(a, b);

    assert.deepEqual(readTimeline(a), readTimeline(b));
    const alpha = readEvent(b, 'alpha')!;
    assert.equal(alpha.description, 'Hello new world. More from B.');
    assert.deepEqual(withoutIds(alpha.sources), [
      { title: 'Only this one' },
      { title: 'Added on B' },
    ]);
    assert.equal(alpha.sources[0]!.id, 'only');
  });

  it('restores values the model writers would refuse or normalize, without throwing', () => {
    const { doc } = setup();
    // A snapshot of a doc that another client damaged: readers show a non-string title as ''
    // and keep a start that is a bare date; createEvent would reject the first and rewrite the
    // second, so the doc would not read back as the snapshot.
    const damaged = getEventsMap(doc).get('gamma')!;
    damaged.set('title', 42);
    damaged.set('start', '2019-03-01');
    const old = readTimeline(doc);
    assert.equal(readEvent(doc, 'gamma')!.title, '');

    deleteEvent(doc, 'gamma');
    setTimelineTitle(doc, 'Something else');
    restoreTimeline(doc, old);

    assert.deepEqual(readTimeline(doc), old);
    assert.equal(readEvent(doc, 'gamma')!.start, '2019-03-01');
  });

  it('rewrites kind, start and end together when a damaged entry needs it to read as the target', () => {
    const { doc, laneA } = setup();
    // Another client wrote a range whose end is before its start: readers show it as a point.
    const map = new Y.Map<unknown>();
    getEventsMap(doc).set('odd', map);
    map.set('title', 'Odd');
    map.set('start', '2019-02-20T00:00:00.000Z');
    map.set('end', '2019-02-19T00:00:00.000Z');
    map.set('kind', 'range');
    map.set('lane', laneA);
    map.set('description', new Y.Text());
    const odd = readEvent(doc, 'odd')!;
    assert.equal(odd.kind, 'point');
    // The target moves the point earlier. Writing only `start` would make the stored end valid
    // again and the event would read back as a range.
    const target = readTimeline(doc);
    target.events = target.events.map((event) =>
      event.id === 'odd' ? { ...event, start: '2019-02-18T00:00:00.000Z' } : event,
    );

    restoreTimeline(doc, target);

    // The target was edited by hand, so its events are not in reading order; compare by content.
    assert.equal(diffTimelines(readTimeline(doc), target).empty, true);
    assert.deepEqual(readEvent(doc, 'odd'), { ...odd, start: '2019-02-18T00:00:00.000Z' });
    assert.equal(map.get('kind'), 'point');
    assert.equal(map.has('end'), false);
  });
});
