/**
 * The evidence fields of an event (spec v1): tags and links that merge under concurrent edits,
 * location, precision and date bounds, extended years, and lenient readers of damaged values.
 * (Confidence, grading, corroboration, restore and export: evidence.test.ts.)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import { formatEventDate } from '../../lib/format';
import {
  createEvent,
  getEventsMap,
  initializeTimeline,
  ModelError,
  moveEvent,
  precisionOf,
  readEvent,
  readEvents,
  updateEvent,
} from '../../lib/timeline/model';
import { IsoDate } from '../../lib/timeline/values';
import { newDoc, replicaOf, sync } from './helpers/replicas';

function setup(clientID?: number): { doc: Y.Doc; lane: string } {
  const doc = newDoc(clientID);
  const [lane] = initializeTimeline(doc, { title: 'Evidence', lanes: [{ title: 'A' }] });
  return { doc, lane: lane! };
}

function withPoint(clientID?: number, extra: Record<string, unknown> = {}) {
  const { doc, lane } = setup(clientID);
  createEvent(doc, { title: 'E', kind: 'point', start: '2019-02-18', lane, ...extra }, 'e');
  return { doc, lane };
}

function eventMap(doc: Y.Doc, id = 'e'): Y.Map<unknown> {
  return getEventsMap(doc).get(id)!;
}

describe('tags', () => {
  it('are trimmed, deduplicated and read sorted case-insensitively', () => {
    const { doc } = withPoint(undefined, { tags: ['outage', ' Border ', 'border', 'outage'] });
    assert.deepEqual(readEvent(doc, 'e')!.tags, ['Border', 'border', 'outage']);
    assert.ok(eventMap(doc).get('tags') instanceof Y.Map);
  });

  it('refuse empty, over-long and too many tags', () => {
    const { doc } = withPoint();
    assert.throws(() => updateEvent(doc, 'e', { tags: [' '] }), /tags/);
    assert.throws(() => updateEvent(doc, 'e', { tags: ['x'.repeat(65)] }), /tags/);
    const many = Array.from({ length: 51 }, (_, index) => `t${index}`);
    assert.throws(() => updateEvent(doc, 'e', { tags: many }), /at most 50 tags/);
  });

  it('added concurrently on two replicas merge, even on an event created without tags', () => {
    const { doc: a } = withPoint(1);
    const b = replicaOf(a, 2);
    updateEvent(a, 'e', { tags: ['from A'] });
    updateEvent(b, 'e', { tags: ['from B'] });
    sync(a, b);
    assert.deepEqual(readEvent(a, 'e')!.tags, ['from A', 'from B']);
    assert.deepEqual(readEvent(b, 'e')!.tags, ['from A', 'from B']);
  });

  it('removed on one replica while another adds one: both changes kept', () => {
    const { doc: a } = withPoint(1, { tags: ['one', 'two'] });
    const b = replicaOf(a, 2);
    updateEvent(a, 'e', { tags: ['two'] });
    updateEvent(b, 'e', { tags: ['one', 'two', 'three'] });
    sync(a, b);
    assert.deepEqual(readEvent(a, 'e')!.tags, ['three', 'two']);
    updateEvent(a, 'e', { tags: null });
    assert.equal(readEvent(a, 'e')!.tags, undefined);
  });

  it('damaged: a tags array, or a map with invalid keys, reads leniently', () => {
    const { doc } = withPoint();
    doc.transact(() => eventMap(doc).set('tags', ['a', 'b']));
    assert.equal(readEvent(doc, 'e')!.tags, undefined);
    const map = new Y.Map<unknown>();
    doc.transact(() => {
      eventMap(doc).set('tags', map);
      map.set('ok', true);
      map.set(' padded', true);
      map.set('', true);
      map.set('x'.repeat(65), true);
    });
    assert.deepEqual(readEvent(doc, 'e')!.tags, ['ok']);
    // And a writer repairs the map in place.
    updateEvent(doc, 'e', { tags: ['ok', 'new'] });
    assert.deepEqual([...map.keys()].sort(), ['new', 'ok']);
  });
});

describe('links', () => {
  function threeEvents(clientID?: number) {
    const { doc, lane } = setup(clientID);
    for (const id of ['a', 'b', 'c']) {
      createEvent(doc, { title: id, kind: 'point', start: '2019-02-18', lane }, id);
    }
    return doc;
  }

  it('are stored as target → relation and read sorted by target', () => {
    const doc = threeEvents();
    updateEvent(doc, 'a', {
      links: [
        { eventId: 'c', relation: 'related' },
        { eventId: 'b', relation: 'causes' },
      ],
    });
    assert.deepEqual(readEvent(doc, 'a')!.links, [
      { eventId: 'b', relation: 'causes' },
      { eventId: 'c', relation: 'related' },
    ]);
    assert.deepEqual(eventMap(doc, 'a').get('links'), eventMap(doc, 'a').get('links'));
    assert.equal((eventMap(doc, 'a').get('links') as Y.Map<unknown>).get('b'), 'causes');
  });

  it('refuse a link to itself, duplicates and unknown relations', () => {
    const doc = threeEvents();
    assert.throws(
      () => updateEvent(doc, 'a', { links: [{ eventId: 'a', relation: 'related' }] }),
      (error: Error) => error instanceof ModelError && /itself/.test(error.message),
    );
    const { lane } = { lane: readEvent(doc, 'a')!.lane };
    assert.throws(
      () =>
        createEvent(
          doc,
          {
            title: 'd',
            kind: 'point',
            start: '2019-02-18',
            lane,
            links: [{ eventId: 'd', relation: 'causes' }],
          },
          'd',
        ),
      /itself/,
    );
    assert.throws(
      () =>
        updateEvent(doc, 'a', {
          links: [
            { eventId: 'b', relation: 'causes' },
            { eventId: 'b', relation: 'related' },
          ],
        }),
      /at most once/,
    );
    assert.throws(
      () => updateEvent(doc, 'a', { links: [{ eventId: 'b', relation: 'precedes' as 'causes' }] }),
      /links/,
    );
  });

  it('edited concurrently on two replicas merge', () => {
    const a = threeEvents(1);
    updateEvent(a, 'a', { links: [{ eventId: 'b', relation: 'related' }] });
    const b = replicaOf(a, 2);
    // A changes the relation to b; B adds a link to c.
    updateEvent(a, 'a', { links: [{ eventId: 'b', relation: 'causes' }] });
    updateEvent(b, 'a', {
      links: [
        { eventId: 'b', relation: 'related' },
        { eventId: 'c', relation: 'caused-by' },
      ],
    });
    sync(a, b);
    const expected = [
      { eventId: 'b', relation: 'causes' },
      { eventId: 'c', relation: 'caused-by' },
    ];
    assert.deepEqual(readEvent(a, 'a')!.links, expected);
    assert.deepEqual(readEvent(b, 'a')!.links, expected);
  });

  it('damaged: bad relations, bad ids and self-links are skipped; missing targets kept', () => {
    const doc = threeEvents();
    const map = new Y.Map<unknown>();
    doc.transact(() => {
      eventMap(doc, 'a').set('links', map);
      map.set('b', 'causes');
      map.set('c', 'unknown');
      map.set('a', 'related');
      map.set('not an id!', 'related');
      map.set('gone', 'related');
    });
    assert.deepEqual(readEvent(doc, 'a')!.links, [
      { eventId: 'b', relation: 'causes' },
      { eventId: 'gone', relation: 'related' },
    ]);
    doc.transact(() => eventMap(doc, 'b').set('links', 'nonsense'));
    assert.equal(readEvent(doc, 'b')!.links, undefined);
  });
});

describe('location', () => {
  it('takes a name with both coordinates or neither', () => {
    const { doc } = withPoint(undefined, {
      location: { name: ' Hanoi ', lat: 21.03, lon: 105.85 },
    });
    assert.deepEqual(readEvent(doc, 'e')!.location, { name: 'Hanoi', lat: 21.03, lon: 105.85 });
    assert.throws(() => updateEvent(doc, 'e', { location: { name: 'X', lat: 1 } }), /location/);
    assert.throws(() => updateEvent(doc, 'e', { location: { name: 'X', lat: 91, lon: 0 } }), /lat/);
    assert.throws(() => updateEvent(doc, 'e', { location: { name: '' } }), /name/);
    updateEvent(doc, 'e', { location: null });
    assert.equal(readEvent(doc, 'e')!.location, undefined);
  });

  it('damaged: a string, a half coordinate or a missing name reads as no location', () => {
    const { doc } = withPoint();
    for (const damaged of [
      'Hanoi',
      { name: 'X', lat: 1 },
      { lat: 1, lon: 2 },
      { name: 'X', lat: 'n' },
    ]) {
      doc.transact(() => eventMap(doc).set('location', damaged));
      assert.equal(readEvent(doc, 'e')!.location, undefined, JSON.stringify(damaged));
    }
  });
});

describe('precision and date bounds', () => {
  it('precision falls back to day at midnight, else time', () => {
    assert.equal(precisionOf({ start: '2019-02-18T00:00:00.000Z' }), 'day');
    assert.equal(
      precisionOf({ start: '2019-02-18T00:00:00.000Z', end: '2019-02-19T06:00:00.000Z' }),
      'time',
    );
    assert.equal(precisionOf({ start: '2019-02-18T00:00:00.000Z', precision: 'year' }), 'year');
  });

  it('bounds must enclose their date', () => {
    const { doc, lane } = setup();
    const base = {
      title: 'R',
      kind: 'range',
      start: '2019-02-18',
      end: '2019-02-20',
      lane,
    } as const;
    assert.throws(
      () => createEvent(doc, { ...base, startEarliest: '2019-02-19' }),
      /startEarliest/,
    );
    assert.throws(() => createEvent(doc, { ...base, startLatest: '2019-02-17' }), /startLatest/);
    assert.throws(() => createEvent(doc, { ...base, endEarliest: '2019-02-21' }), /endEarliest/);
    assert.throws(() => createEvent(doc, { ...base, endLatest: '2019-02-19' }), /endLatest/);
    const id = createEvent(doc, { ...base, startEarliest: '2019-02-01', endLatest: '2019-02-25' });
    assert.throws(() => updateEvent(doc, id, { start: '2019-01-30' }), /startEarliest/);
    // Becoming a point drops the end and its bounds.
    updateEvent(doc, id, { kind: 'point', end: null });
    const point = readEvent(doc, id)!;
    assert.equal(point.endLatest, undefined);
    assert.equal(point.startEarliest, '2019-02-01T00:00:00.000Z');
    assert.throws(
      () => updateEvent(doc, id, { endLatest: '2019-03-01' }),
      /endLatest: a point event has no end/,
    );
  });

  it('a drag moves the bounds with the event', () => {
    const { doc, lane } = setup();
    const id = createEvent(doc, {
      title: 'R',
      kind: 'range',
      start: '2019-02-18',
      end: '2019-02-20',
      lane,
      startEarliest: '2019-02-17',
      endLatest: '2019-02-22',
    });
    moveEvent(doc, id, { start: '2019-03-18T00:00:00.000Z', end: '2019-03-20T00:00:00.000Z' });
    const moved = readEvent(doc, id)!;
    assert.equal(moved.startEarliest, '2019-03-17T00:00:00.000Z');
    assert.equal(moved.endLatest, '2019-03-22T00:00:00.000Z');
  });

  it('bounds left outside their date by concurrent edits are not shown', () => {
    const { doc: a } = withPoint(1);
    const b = replicaOf(a, 2);
    updateEvent(a, 'e', { startEarliest: '2019-02-10' });
    updateEvent(b, 'e', { start: '2019-02-05' });
    sync(a, b);
    const event = readEvent(a, 'e')!;
    assert.equal(event.start, '2019-02-05T00:00:00.000Z');
    assert.equal(event.startEarliest, undefined);
  });
});

describe('extended years', () => {
  it('IsoDate accepts and writes years before 1000, BC and after 9999', () => {
    assert.equal(IsoDate.parse('-000500-01-01'), '-000500-01-01T00:00:00.000Z');
    assert.equal(IsoDate.parse('+012000-01-01'), '+012000-01-01T00:00:00.000Z');
    assert.equal(IsoDate.parse('0050-03-01'), '0050-03-01T00:00:00.000Z');
    assert.equal(IsoDate.parse('0004-02-29'), '0004-02-29T00:00:00.000Z');
    assert.equal(IsoDate.safeParse('0005-02-29').success, false);
    assert.equal(IsoDate.safeParse('-000000-01-01').success, false);
    assert.equal(IsoDate.safeParse('12000-01-01').success, false);
    assert.equal(formatEventDate('-000500-01-01T00:00:00.000Z'), '-000500-01-01');
    assert.equal(formatEventDate('+012000-01-01T09:30:00.000Z'), '+012000-01-01 09:30 UTC');
  });

  it('events across eras are ordered and validated in time, not as strings', () => {
    const { doc, lane } = setup();
    createEvent(doc, { title: 'Modern', kind: 'point', start: '2019-01-01', lane }, 'modern');
    createEvent(
      doc,
      { title: 'Far future', kind: 'point', start: '+012000-01-01', lane },
      'future',
    );
    createEvent(doc, { title: 'Old', kind: 'point', start: '-000100-01-01', lane }, 'old');
    createEvent(doc, { title: 'Older', kind: 'point', start: '-000500-01-01', lane }, 'older');
    createEvent(
      doc,
      { title: 'Span', kind: 'range', start: '-000500-06-01', end: '0050-01-01', lane },
      'span',
    );
    assert.deepEqual(
      readEvents(doc).map((event) => event.id),
      ['older', 'span', 'old', 'modern', 'future'],
    );
    assert.equal(readEvent(doc, 'span')!.kind, 'range');
    assert.throws(
      () =>
        createEvent(doc, {
          title: 'Bad',
          kind: 'range',
          start: '0050-01-01',
          end: '-000500-01-01',
          lane,
        }),
      /end must not be before start/,
    );
  });
});
