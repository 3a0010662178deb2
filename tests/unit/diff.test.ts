import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import { diffEventFields, diffLaneFields, diffTimelines } from '../../lib/timeline/diff';
import {
  createEvent,
  createLane,
  deleteEvent,
  getEventsMap,
  getLanesMap,
  initializeTimeline,
  readTimeline,
  replaceText,
  setTimelineTitle,
  type TimelineEvent,
  type TimelineSnapshot,
  updateEvent,
} from '../../lib/timeline/model';

/** A timeline with two lanes and two events; returns the doc and the ids. */
function setup(): { doc: Y.Doc; laneA: string; laneB: string; first: string; second: string } {
  const doc = new Y.Doc();
  const [laneA, laneB] = initializeTimeline(doc, {
    title: 'Diff timeline',
    lanes: [{ title: 'Lane A' }, { title: 'Lane B' }],
  });
  const first = createEvent(
    doc,
    {
      title: 'First',
      kind: 'point',
      start: '2019-02-18',
      lane: laneA!,
      description: 'Initial text',
      sources: [{ title: 'Report', url: 'https://example.org/report' }],
    },
    'first',
  );
  const second = createEvent(
    doc,
    { title: 'Second', kind: 'range', start: '2019-02-20', end: '2019-02-22', lane: laneB! },
    'second',
  );
  return { doc, laneA: laneA!, laneB: laneB!, first, second };
}

/** A structurally independent copy, so a test can see whether diffTimelines mutated its input. */
function clone(snapshot: TimelineSnapshot): TimelineSnapshot {
  return JSON.parse(JSON.stringify(snapshot)) as TimelineSnapshot;
}

function assertOnlyEventChanges(
  before: TimelineSnapshot,
  after: TimelineSnapshot,
  id: string,
  changes: { field: string; before: unknown; after: unknown }[],
): void {
  const diff = diffTimelines(before, after);
  assert.equal(diff.empty, false);
  assert.equal(diff.title, undefined);
  assert.deepEqual(diff.events.added, []);
  assert.deepEqual(diff.events.removed, []);
  assert.deepEqual(diff.lanes, { added: [], removed: [], changed: [] });
  assert.equal(diff.events.changed.length, 1);
  assert.equal(diff.events.changed[0]!.id, id);
  assert.deepEqual(diff.events.changed[0]!.changes, changes);
}

describe('diffTimelines', () => {
  it('reports an identical snapshot as empty, with no title entry', () => {
    const { doc } = setup();
    const diff = diffTimelines(readTimeline(doc), readTimeline(doc));
    assert.deepEqual(diff, {
      events: { added: [], removed: [], changed: [] },
      lanes: { added: [], removed: [], changed: [] },
      empty: true,
    });
    assert.ok(!('title' in diff));
  });

  it('reports an event added after the snapshot, with all its fields', () => {
    const { doc, laneA } = setup();
    const before = readTimeline(doc);
    const id = createEvent(doc, {
      title: 'New',
      kind: 'point',
      start: '2019-03-01',
      lane: laneA,
      confidence: 'high',
    });
    const diff = diffTimelines(before, readTimeline(doc));
    assert.equal(diff.empty, false);
    assert.deepEqual(diff.events.added, [
      {
        id,
        title: 'New',
        start: '2019-03-01T00:00:00.000Z',
        kind: 'point',
        lane: laneA,
        description: '',
        confidence: 'high',
        sources: [],
      },
    ]);
    assert.deepEqual(diff.events.removed, []);
    assert.deepEqual(diff.events.changed, []);
  });

  it('reports a deleted event as removed, with the fields it had', () => {
    const { doc, second } = setup();
    const before = readTimeline(doc);
    deleteEvent(doc, second);
    const diff = diffTimelines(before, readTimeline(doc));
    assert.equal(diff.empty, false);
    assert.deepEqual(diff.events.added, []);
    assert.deepEqual(
      diff.events.removed,
      before.events.filter((event) => event.id === second),
    );
    assert.equal(diff.events.removed[0]!.title, 'Second');
    assert.deepEqual(diff.events.changed, []);
  });

  it('reports each changed field of an event with before and after, in field order', () => {
    const { doc, first, laneB } = setup();
    const before = readTimeline(doc);
    updateEvent(doc, first, {
      confidence: 'moderate',
      lane: laneB,
      start: '2019-02-17',
      title: 'First, renamed',
    });
    const after = readTimeline(doc);
    assertOnlyEventChanges(before, after, first, [
      { field: 'title', before: 'First', after: 'First, renamed' },
      { field: 'start', before: '2019-02-18T00:00:00.000Z', after: '2019-02-17T00:00:00.000Z' },
      { field: 'lane', before: before.events[0]!.lane, after: laneB },
      { field: 'confidence', before: undefined, after: 'moderate' },
    ]);
    // The entry is named by its new title, which is what people now see on the timeline.
    assert.equal(diffTimelines(before, after).events.changed[0]!.title, 'First, renamed');
  });

  it('reports a point turned into a range as kind changed and end added', () => {
    const { doc, first } = setup();
    const before = readTimeline(doc);
    updateEvent(doc, first, { kind: 'range', end: '2019-02-19' });
    assertOnlyEventChanges(before, readTimeline(doc), first, [
      { field: 'end', before: undefined, after: '2019-02-19T00:00:00.000Z' },
      { field: 'kind', before: 'point', after: 'range' },
    ]);
  });

  it('reports a range turned into a point as end removed', () => {
    const { doc, second } = setup();
    const before = readTimeline(doc);
    updateEvent(doc, second, { kind: 'point', end: null });
    assertOnlyEventChanges(before, readTimeline(doc), second, [
      { field: 'end', before: '2019-02-22T00:00:00.000Z', after: undefined },
      { field: 'kind', before: 'range', after: 'point' },
    ]);
  });

  it('reports a description edit with the full old and new text', () => {
    const { doc, first } = setup();
    const before = readTimeline(doc);
    updateEvent(doc, first, { description: 'Initial text, extended' });
    assertOnlyEventChanges(before, readTimeline(doc), first, [
      { field: 'description', before: 'Initial text', after: 'Initial text, extended' },
    ]);
  });

  it('reports a change to the sources with the before and after arrays', () => {
    const { doc, first } = setup();
    const before = readTimeline(doc);
    // Write the Y.Array the way another (older) client would: a source map without an id.
    const sources = getEventsMap(doc).get(first)!.get('sources') as Y.Array<Y.Map<unknown>>;
    const added = new Y.Map<unknown>();
    added.set('title', 'Second report');
    sources.push([added]);
    const after = readTimeline(doc);
    const [report, second] = after.events.find((event) => event.id === first)!.sources;
    assert.equal(second!.title, 'Second report');
    assertOnlyEventChanges(before, after, first, [
      {
        field: 'sources',
        before: [{ id: report!.id, title: 'Report', url: 'https://example.org/report' }],
        after: [
          { id: report!.id, title: 'Report', url: 'https://example.org/report' },
          { id: second!.id, title: 'Second report' },
        ],
      },
    ]);
  });

  it('reports a changed source url and a reordering of sources', () => {
    const event: TimelineEvent = {
      id: 'e',
      title: 'E',
      start: '2019-02-18T00:00:00.000Z',
      kind: 'point',
      lane: 'l',
      description: '',
      sources: [
        { id: 'a', title: 'A', url: 'https://a.example' },
        { id: 'b', title: 'B' },
      ],
    };
    assert.deepEqual(
      diffEventFields(event, {
        ...event,
        sources: [
          { id: 'a', title: 'A', url: 'https://changed.example' },
          { id: 'b', title: 'B' },
        ],
      }).map((change) => change.field),
      ['sources'],
    );
    assert.deepEqual(
      diffEventFields(event, { ...event, sources: [event.sources[1]!, event.sources[0]!] }).map(
        (change) => change.field,
      ),
      ['sources'],
    );
  });

  it('treats sources with the same values as equal regardless of key order or missing arrays', () => {
    const event: TimelineEvent = {
      id: 'e',
      title: 'E',
      start: '2019-02-18T00:00:00.000Z',
      kind: 'point',
      lane: 'l',
      description: '',
      sources: [{ id: 'a', title: 'A', url: 'https://a.example' }],
    };
    // As parsed back from stored JSON written by code that put url first.
    const reordered = { ...event, sources: [{ url: 'https://a.example', title: 'A', id: 'a' }] };
    assert.deepEqual(diffEventFields(event, reordered), []);
    const withoutSources = { ...event, sources: [] };
    const missingSources = { ...event, sources: undefined } as unknown as TimelineEvent;
    assert.deepEqual(diffEventFields(withoutSources, missingSources), []);
  });

  it('reports a renamed, recoloured and reordered lane', () => {
    const { doc, laneA } = setup();
    const before = readTimeline(doc);
    const map = getLanesMap(doc).get(laneA)!;
    doc.transact(() => {
      map.set('title', 'Lane A, renamed');
      map.set('color', '#123456');
      map.set('order', 5);
    });
    const diff = diffTimelines(before, readTimeline(doc));
    assert.equal(diff.empty, false);
    assert.deepEqual(diff.lanes.added, []);
    assert.deepEqual(diff.lanes.removed, []);
    assert.deepEqual(diff.lanes.changed, [
      {
        id: laneA,
        title: 'Lane A, renamed',
        changes: [
          { field: 'title', before: 'Lane A', after: 'Lane A, renamed' },
          { field: 'order', before: 0, after: 5 },
          { field: 'color', before: '#2563eb', after: '#123456' },
        ],
      },
    ]);
    assert.deepEqual(diff.events, { added: [], removed: [], changed: [] });
  });

  it('reports added and removed lanes', () => {
    const { doc, laneB } = setup();
    const before = readTimeline(doc);
    const laneC = createLane(doc, { title: 'Lane C', color: '#abcdef' });
    getLanesMap(doc).delete(laneB);
    const diff = diffTimelines(before, readTimeline(doc));
    assert.deepEqual(diff.lanes.added, [
      { id: laneC, title: 'Lane C', order: 2, color: '#abcdef' },
    ]);
    assert.deepEqual(diff.lanes.removed, [
      { id: laneB, title: 'Lane B', order: 1, color: '#dc2626' },
    ]);
    assert.deepEqual(diff.lanes.changed, []);
    assert.equal(diff.empty, false);
  });

  it('reports a title change and nothing else', () => {
    const { doc } = setup();
    const before = readTimeline(doc);
    setTimelineTitle(doc, 'Renamed timeline');
    const diff = diffTimelines(before, readTimeline(doc));
    assert.deepEqual(diff.title, { before: 'Diff timeline', after: 'Renamed timeline' });
    assert.equal(diff.empty, false);
    assert.deepEqual(diff.events, { added: [], removed: [], changed: [] });
    assert.deepEqual(diff.lanes, { added: [], removed: [], changed: [] });
  });

  it('reports the reverse change when the snapshots are swapped', () => {
    const { doc, first } = setup();
    const before = readTimeline(doc);
    updateEvent(doc, first, { title: 'Later' });
    const after = readTimeline(doc);
    const reverse = diffTimelines(after, before);
    assert.deepEqual(reverse.events.changed, [
      { id: first, title: 'First', changes: [{ field: 'title', before: 'Later', after: 'First' }] },
    ]);
  });

  it('sorts events by start then id and lanes by order then id, whatever the input order', () => {
    const { doc, laneA } = setup();
    const before = readTimeline(doc);
    // Created out of order, with a tie on start broken by id.
    createEvent(doc, { title: 'c', kind: 'point', start: '2019-05-01', lane: laneA }, 'c');
    createEvent(doc, { title: 'b', kind: 'point', start: '2019-04-01', lane: laneA }, 'zz');
    createEvent(doc, { title: 'a', kind: 'point', start: '2019-04-01', lane: laneA }, 'aa');
    createLane(doc, { title: 'late', order: 9 }, 'late');
    createLane(doc, { title: 'tie y', order: 3 }, 'y');
    createLane(doc, { title: 'tie x', order: 3 }, 'x');
    // Both earlier events move; the one that now starts first must be listed first.
    updateEvent(doc, 'first', { start: '2019-06-01', title: 'First moved' });
    updateEvent(doc, 'second', { start: '2019-01-01', title: 'Second moved' });
    const after = readTimeline(doc);
    const shuffled: TimelineSnapshot = {
      meta: after.meta,
      lanes: [...after.lanes].reverse(),
      events: [...after.events].reverse(),
    };
    for (const snapshot of [after, shuffled]) {
      const diff = diffTimelines(before, snapshot);
      assert.deepEqual(
        diff.events.added.map((event) => event.id),
        ['aa', 'zz', 'c'],
      );
      assert.deepEqual(
        diff.lanes.added.map((lane) => lane.id),
        ['x', 'y', 'late'],
      );
      assert.deepEqual(
        diff.events.changed.map((change) => change.id),
        ['second', 'first'],
      );
    }
    // Removed items are sorted the same way (by their fields in `before`).
    const removed = diffTimelines(shuffled, before);
    assert.deepEqual(
      removed.events.removed.map((event) => event.id),
      ['aa', 'zz', 'c'],
    );
    assert.deepEqual(
      removed.lanes.removed.map((lane) => lane.id),
      ['x', 'y', 'late'],
    );
  });

  it('does not modify its inputs', () => {
    const { doc, first } = setup();
    const before = readTimeline(doc);
    updateEvent(doc, first, { title: 'x' });
    deleteEvent(doc, 'second');
    const after = readTimeline(doc);
    const beforeCopy = clone(before);
    const afterCopy = clone(after);
    diffTimelines(before, after);
    assert.deepEqual(before, beforeCopy);
    assert.deepEqual(after, afterCopy);
  });

  it('sees a description edit made through replaceText on a concurrent replica', () => {
    const { doc, first } = setup();
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
    const before = readTimeline(replica);
    const text = getEventsMap(replica).get(first)!.get('description') as Y.Text;
    replaceText(text, 'Initial context');
    const diff = diffTimelines(before, readTimeline(replica));
    assert.deepEqual(diff.events.changed[0]!.changes, [
      { field: 'description', before: 'Initial text', after: 'Initial context' },
    ]);
  });
});

describe('diffLaneFields', () => {
  it('returns no changes for equal lanes and one per differing field', () => {
    const lane = { id: 'l', title: 'L', order: 1, color: '#000000' };
    assert.deepEqual(diffLaneFields(lane, { ...lane }), []);
    assert.deepEqual(diffLaneFields(lane, { ...lane, order: 2 }), [
      { field: 'order', before: 1, after: 2 },
    ]);
  });
});
