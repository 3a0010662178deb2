import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import { diffEventFields } from '../../lib/timeline/diff';
import type { FieldSpec } from '../../lib/timeline/fieldSpec';
import {
  addSource,
  createEvent,
  EVENT_FIELD_NAMES,
  EVENT_FIELDS,
  type EventFieldName,
  EventInput,
  EventPatch,
  getEventsMap,
  initializeTimeline,
  ModelError,
  moveSource,
  readEvent,
  readTimeline,
  removeSource,
  SOURCE_FIELD_NAMES,
  SourceInput,
  type TimelineEvent,
  type TimelineSnapshot,
  updateSource,
} from '../../lib/timeline/model';
import { restoreTimeline } from '../../lib/timeline/restore';
import { newDoc, replicaOf, sync } from './helpers/replicas';
import { withoutIds } from './helpers/sources';

const LANE = 'lane-a';
const OTHER_LANE = 'lane-b';

/** A range event with every field set; the samples below change one field at a time. */
const BASE: Omit<TimelineEvent, 'id'> = {
  title: 'Base',
  start: '2019-02-18T00:00:00.000Z',
  end: '2019-02-20T00:00:00.000Z',
  kind: 'range',
  lane: LANE,
  description: 'Some text',
  confidence: 'moderate',
  precision: 'day',
  startEarliest: '2019-02-17T00:00:00.000Z',
  startLatest: '2019-02-18T12:00:00.000Z',
  endEarliest: '2019-02-19T00:00:00.000Z',
  endLatest: '2019-02-26T00:00:00.000Z',
  location: { name: 'Hyesan', lat: 41.4, lon: 128.18 },
  tags: ['border', 'Network', 'outage'],
  links: [{ eventId: 'other-1', relation: 'causes' }],
  sources: [{ id: 'src1', title: 'Report', url: 'https://example.org/a' }],
};

/**
 * Another valid value for every field of the table. Typed by the table, so a new field without a
 * sample here fails the type-check: every field gets the round-trip, diff and restore tests.
 */
const OTHER: { [K in EventFieldName]-?: TimelineEvent[K] } = {
  title: 'Changed',
  start: '2019-02-17T09:30:00.000Z',
  end: '2019-02-25T00:00:00.000Z',
  kind: 'background',
  lane: OTHER_LANE,
  description: 'Other text 🙂',
  confidence: 'low',
  precision: 'month',
  startEarliest: '2019-02-01T00:00:00.000Z',
  startLatest: '2019-02-18T00:00:00.000Z',
  endEarliest: '2019-02-20T00:00:00.000Z',
  endLatest: '2019-03-01T00:00:00.000Z',
  location: { name: 'Musan, North Hamgyong' },
  tags: ['border', 'surveillance'],
  links: [
    { eventId: 'other-1', relation: 'related' },
    { eventId: 'other-2', relation: 'caused-by' },
  ],
  sources: [
    { id: 'src2', title: 'Interview' },
    {
      id: 'src1',
      title: 'Report, corrected',
      url: 'https://example.org/b',
      publisher: 'Daily NK',
      publishedAt: '2019-02-22T00:00:00.000Z',
      excerpt: 'Phones near the border could not connect.',
      reliability: 'C',
      credibility: 3,
      notes: 'Single source.',
    },
  ],
};

function setup(clientID?: number): Y.Doc {
  const doc = newDoc(clientID);
  initializeTimeline(doc, { title: 'Fields' });
  doc.transact(() => {
    // Fixed lane ids, so samples can name them.
    const lanes = doc.getMap<Y.Map<unknown>>('lanes');
    for (const [id, order] of [
      [LANE, 0],
      [OTHER_LANE, 1],
    ] as const) {
      const lane = new Y.Map<unknown>();
      lane.set('title', id);
      lane.set('order', order);
      lane.set('color', '#123456');
      lanes.set(id, lane);
    }
  });
  return doc;
}

function withEvent(event: Omit<TimelineEvent, 'id'>, clientID?: number): Y.Doc {
  const doc = setup(clientID);
  createEvent(doc, event, 'e');
  return doc;
}

/** What `fn` writes under event `e`, as field names (changes inside a field count as the field). */
function recordFieldWrites(doc: Y.Doc, fn: () => void): string[] {
  const fields = new Set<string>();
  const observe = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
    for (const event of events) {
      if (event.path.length === 0) for (const key of event.changes.keys.keys()) fields.add(key);
      else if (event.path.length === 1) {
        for (const key of event.changes.keys.keys()) fields.add(key);
      } else fields.add(String(event.path[1]));
    }
  };
  getEventsMap(doc).observeDeep(observe);
  try {
    fn();
  } finally {
    getEventsMap(doc).unobserveDeep(observe);
  }
  return [...fields].sort();
}

describe('the event field table', () => {
  it('is what EventInput and EventPatch are made of', () => {
    assert.deepEqual(Object.keys(EventInput.shape).sort(), [...EVENT_FIELD_NAMES].sort());
    assert.deepEqual(
      Object.keys(EventPatch.shape).sort(),
      EVENT_FIELD_NAMES.filter((name) => EVENT_FIELDS[name].patch !== null).sort(),
    );
    assert.deepEqual(Object.keys(SourceInput.shape).sort(), ['id', ...SOURCE_FIELD_NAMES].sort());
  });

  it('gives every field a label, and enumerated fields labelled choices', () => {
    for (const name of EVENT_FIELD_NAMES) assert.ok(EVENT_FIELDS[name].label, name);
    assert.deepEqual(
      EVENT_FIELDS.confidence.options?.map((option) => option.value),
      ['high', 'moderate', 'low'],
    );
    assert.deepEqual(
      EVENT_FIELDS.kind.options?.map((option) => option.value),
      ['point', 'range', 'background'],
    );
  });

  for (const name of EVENT_FIELD_NAMES) {
    describe(`field ${name}`, () => {
      const changed = { ...BASE, [name]: OTHER[name] } as Omit<TimelineEvent, 'id'>;

      it('round-trips through createEvent and the reader', () => {
        for (const event of [BASE, changed]) {
          const doc = withEvent(event);
          assert.deepEqual(readEvent(doc, 'e'), { id: 'e', ...event });
        }
      });

      it('round-trips through its own writer on a stored event', () => {
        const doc = withEvent(BASE);
        const map = getEventsMap(doc).get('e')!;
        const spec: FieldSpec = EVENT_FIELDS[name];
        const writes = recordFieldWrites(doc, () =>
          doc.transact(() => spec.write(map, name, OTHER[name])),
        );
        assert.deepEqual(writes, [name]);
        assert.deepEqual(readEvent(doc, 'e'), { id: 'e', ...changed });
        // Writing the same value again writes nothing.
        assert.deepEqual(
          recordFieldWrites(doc, () => spec.write(map, name, OTHER[name])),
          [],
        );
      });

      it('is reported by the diff, alone, with before and after', () => {
        const before = { id: 'e', ...BASE };
        const after = { id: 'e', ...changed };
        assert.deepEqual(diffEventFields(before, after), [
          { field: name, before: BASE[name], after: OTHER[name] },
        ]);
        assert.deepEqual(diffEventFields(after, after), []);
      });

      it('is restored by writing only that field', () => {
        const doc = withEvent(BASE);
        const target: TimelineSnapshot = readTimeline(withEvent(changed));
        const writes = recordFieldWrites(doc, () => restoreTimeline(doc, target));
        assert.deepEqual(writes, [name]);
        assert.deepEqual(readTimeline(doc), target);
      });

      it('formats its values as text', () => {
        const spec: FieldSpec = EVENT_FIELDS[name];
        const text = spec.format(OTHER[name], {
          laneTitles: new Map([[OTHER_LANE, 'Lane B']]),
        });
        assert.equal(typeof text, 'string');
        assert.ok(text.length > 0, name);
      });
    });
  }
});

describe('sources', () => {
  it('are updated in place: two replicas editing different sources and fields keep both', () => {
    const a = withEvent(
      {
        ...BASE,
        sources: [
          { id: 'one', title: 'One' },
          { id: 'two', title: 'Two', url: 'https://example.org/two' },
        ],
      },
      1,
    );
    const b = replicaOf(a, 2);
    updateSource(a, 'e', 'one', { title: 'One, retitled on A' });
    updateSource(b, 'e', 'one', { url: 'https://example.org/one' });
    updateSource(b, 'e', 'two', { title: 'Two, retitled on B', url: null });
    sync(a, b);
    assert.deepEqual(readTimeline(a), readTimeline(b));
    assert.deepEqual(readEvent(a, 'e')!.sources, [
      { id: 'one', title: 'One, retitled on A', url: 'https://example.org/one' },
      { id: 'two', title: 'Two, retitled on B' },
    ]);
  });

  it('keeps a source added on one replica while another edits an existing one', () => {
    const a = withEvent(BASE, 1);
    const b = replicaOf(a, 2);
    const added = addSource(b, 'e', { title: 'Added on B' });
    updateSource(a, 'e', 'src1', { title: 'Edited on A' });
    sync(a, b);
    assert.deepEqual(readEvent(a, 'e')!.sources, [
      { id: 'src1', title: 'Edited on A', url: 'https://example.org/a' },
      { id: added, title: 'Added on B' },
    ]);
  });

  it('written without ids (older clients) read with stable ids, and reading writes nothing', () => {
    const doc = withEvent({ ...BASE, sources: [] }, 7);
    const array = getEventsMap(doc).get('e')!.get('sources') as Y.Array<Y.Map<unknown>>;
    for (const title of ['Old one', 'Old two']) {
      const map = new Y.Map<unknown>();
      map.set('title', title);
      array.push([map]);
    }
    let updates = 0;
    doc.on('update', () => updates++);
    const first = readEvent(doc, 'e')!.sources;
    assert.equal(updates, 0);
    assert.deepEqual(withoutIds(first), [{ title: 'Old one' }, { title: 'Old two' }]);
    // The same on another replica, and after a source is inserted before them.
    const replica = replicaOf(doc, 8);
    assert.deepEqual(readEvent(replica, 'e')!.sources, first);
    addSource(replica, 'e', { title: 'New first' }, 0);
    assert.deepEqual(readEvent(replica, 'e')!.sources.slice(1), first);
    // And they can be edited in place by that id.
    updateSource(replica, 'e', first[1]!.id, { url: 'https://example.org/old' });
    assert.deepEqual(readEvent(replica, 'e')!.sources[2], {
      id: first[1]!.id,
      title: 'Old two',
      url: 'https://example.org/old',
    });
  });

  it('can be removed and moved, keeping their ids', () => {
    const doc = withEvent({
      ...BASE,
      sources: [
        { id: 'a', title: 'A' },
        { id: 'b', title: 'B' },
        { id: 'c', title: 'C' },
      ],
    });
    moveSource(doc, 'e', 'c', 0);
    assert.deepEqual(
      readEvent(doc, 'e')!.sources.map((source) => source.id),
      ['c', 'a', 'b'],
    );
    removeSource(doc, 'e', 'a');
    removeSource(doc, 'e', 'a');
    assert.deepEqual(
      readEvent(doc, 'e')!.sources.map((source) => source.id),
      ['c', 'b'],
    );
  });

  it('refuses invalid sources and unknown ids with a ModelError', () => {
    const doc = withEvent(BASE);
    assert.throws(() => addSource(doc, 'e', { title: ' ' }), ModelError);
    assert.throws(
      () => addSource(doc, 'e', { title: 'X', url: 'javascript:alert(1)' }),
      ModelError,
    );
    assert.throws(() => addSource(doc, 'e', { id: 'src1', title: 'Duplicate' }), ModelError);
    assert.throws(() => updateSource(doc, 'e', 'nope', { title: 'X' }), ModelError);
    assert.throws(() => updateSource(doc, 'e', 'src1', { url: 'ftp://x' }), ModelError);
    assert.throws(() => addSource(doc, 'missing', { title: 'X' }), ModelError);
    assert.deepEqual(readEvent(doc, 'e')!.sources, BASE.sources);
  });

  it('are restored by id: a reordered list keeps ids, an unchanged source is not rewritten', () => {
    const doc = withEvent({
      ...BASE,
      sources: [
        { id: 'a', title: 'A' },
        { id: 'b', title: 'B' },
      ],
    });
    const target = readTimeline(doc);
    updateSource(doc, 'e', 'a', { title: 'A, edited' });
    moveSource(doc, 'e', 'b', 0);
    addSource(doc, 'e', { title: 'Extra' });
    restoreTimeline(doc, target);
    assert.deepEqual(readTimeline(doc), target);
  });

  it('without ids in a restore target are matched by position', () => {
    const doc = withEvent(BASE);
    const target = readTimeline(doc);
    const event = target.events[0]!;
    const stripped = {
      ...target,
      events: [{ ...event, sources: [{ title: 'Report, renamed' }] }],
    } as unknown as TimelineSnapshot;
    restoreTimeline(doc, stripped);
    // The source at that position is changed in place: same id, new title, no link.
    assert.deepEqual(readEvent(doc, 'e')!.sources, [{ id: 'src1', title: 'Report, renamed' }]);
  });
});
