import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import { ValidationError } from '../../lib/errors';
import { DEMO_TIMELINE_TITLE, writeDemoTimeline } from '../../lib/seed/demoTimeline';
import {
  countEvents,
  createEvent,
  createLane,
  deleteEvent,
  getDescriptionText,
  getEventsMap,
  initializeTimeline,
  ModelError,
  moveEvent,
  readEvent,
  readEvents,
  readLanes,
  readMeta,
  readTimeline,
  replaceText,
  setTimelineTitle,
  updateEvent,
} from '../../lib/timeline/model';
import type { EventInput } from '../../lib/timeline/schemas';
import { newDoc, replicaOf, sync } from './helpers/replicas';
import { withoutIds } from './helpers/sources';

const DAY = '2019-02-18T00:00:00.000Z';

/** A timeline with two lanes; returns the doc and the lane ids. */
function setup(clientID?: number): { doc: Y.Doc; laneA: string; laneB: string } {
  const doc = newDoc(clientID);
  const [laneA, laneB] = initializeTimeline(doc, {
    title: 'Test timeline',
    lanes: [{ title: 'Lane A' }, { title: 'Lane B' }],
  });
  return { doc, laneA: laneA!, laneB: laneB! };
}

function assertConverged(a: Y.Doc, b: Y.Doc): void {
  assert.deepEqual(readTimeline(a), readTimeline(b));
  assert.deepEqual(getEventsMap(a).toJSON(), getEventsMap(b).toJSON());
}

function assertModelError(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ModelError, `expected a ModelError, got ${String(error)}`);
    assert.ok(error instanceof ValidationError);
    assert.equal(error.name, 'ModelError');
    assert.equal(error.status, 400);
    assert.match(error.message, message);
    return true;
  });
}

/** Writes an event map directly, as some other (older, newer or buggy) client might. */
function writeRawEvent(doc: Y.Doc, id: string, fields: Record<string, unknown>): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  getEventsMap(doc).set(id, map);
  for (const [key, value] of Object.entries(fields)) map.set(key, value);
  return map;
}

describe('initializeTimeline, readMeta and readLanes', () => {
  it('stores the title and returns lane ids in the given order', () => {
    const doc = newDoc();
    const ids = initializeTimeline(doc, {
      title: 'Outages',
      lanes: [{ title: 'First' }, { title: 'Second' }, { title: 'Third' }],
    });
    assert.equal(ids.length, 3);
    assert.equal(new Set(ids).size, 3);
    assert.deepEqual(readMeta(doc), { title: 'Outages' });
    const lanes = readLanes(doc);
    assert.deepEqual(
      lanes.map((lane) => lane.id),
      ids,
    );
    assert.deepEqual(
      lanes.map((lane) => lane.title),
      ['First', 'Second', 'Third'],
    );
    assert.deepEqual(
      lanes.map((lane) => lane.order),
      [0, 1, 2],
    );
  });

  it('gives lanes without a colour the palette colours in turn, and keeps explicit colours', () => {
    const doc = newDoc();
    initializeTimeline(doc, {
      title: 'Colours',
      lanes: [{ title: 'A' }, { title: 'B' }, { title: 'C', color: '#123456' }, { title: 'D' }],
    });
    assert.deepEqual(
      readLanes(doc).map((lane) => lane.color),
      ['#2563eb', '#dc2626', '#123456', '#d97706'],
    );
  });

  it('writes the title and all lanes in a single transaction', () => {
    const doc = newDoc();
    let updates = 0;
    doc.on('update', () => updates++);
    initializeTimeline(doc, { title: 'One', lanes: [{ title: 'A' }, { title: 'B' }] });
    assert.equal(updates, 1);
  });

  it('sorts lanes by order, then by id for equal orders', () => {
    const doc = newDoc();
    initializeTimeline(doc, { title: 'Order' });
    createLane(doc, { title: 'late', order: 5 }, 'late');
    createLane(doc, { title: 'tie-b', order: 1 }, 'b');
    createLane(doc, { title: 'tie-a', order: 1 }, 'a');
    createLane(doc, { title: 'early', order: -1 }, 'early');
    assert.deepEqual(
      readLanes(doc).map((lane) => lane.id),
      ['early', 'a', 'b', 'late'],
    );
  });

  it('appends a lane without an order after the last lane', () => {
    const doc = newDoc();
    initializeTimeline(doc, { title: 'Append', lanes: [{ title: 'A', order: 7 }] });
    const id = createLane(doc, { title: 'B' });
    const lanes = readLanes(doc);
    assert.equal(lanes.at(-1)!.id, id);
    assert.equal(lanes.at(-1)!.order, 8);
  });

  it('rejects a lane with an empty title or a malformed colour', () => {
    const doc = newDoc();
    assertModelError(() => createLane(doc, { title: '' }), /title/);
    assertModelError(() => createLane(doc, { title: 'x', color: 'red' }), /color/);
    assert.equal(readLanes(doc).length, 0);
  });

  it('reads a missing title as "Untitled timeline"', () => {
    assert.deepEqual(readMeta(newDoc()), { title: 'Untitled timeline' });
  });

  it('setTimelineTitle renames the timeline and trims the title', () => {
    const { doc } = setup();
    setTimelineTitle(doc, '  Renamed  ');
    assert.equal(readMeta(doc).title, 'Renamed');
  });

  it('setTimelineTitle rejects an empty or blank title and keeps the old one', () => {
    const { doc } = setup();
    assertModelError(() => setTimelineTitle(doc, ''), /title must not be empty/);
    assertModelError(() => setTimelineTitle(doc, '   '), /title must not be empty/);
    assert.equal(readMeta(doc).title, 'Test timeline');
  });
});

describe('createEvent', () => {
  it('creates a point event with the date normalized to a UTC ISO string', () => {
    const { doc, laneA } = setup();
    const id = createEvent(doc, {
      title: 'Point',
      kind: 'point',
      start: '2019-02-18',
      lane: laneA,
    });
    assert.deepEqual(readEvent(doc, id), {
      id,
      title: 'Point',
      start: '2019-02-18T00:00:00.000Z',
      kind: 'point',
      lane: laneA,
      description: '',
      sources: [],
    });
  });

  it('creates a range event with start and end', () => {
    const { doc, laneA } = setup();
    const id = createEvent(doc, {
      title: 'Range',
      kind: 'range',
      start: '2019-02-18',
      end: '2019-02-21T12:00:00Z',
      lane: laneA,
    });
    const event = readEvent(doc, id)!;
    assert.equal(event.kind, 'range');
    assert.equal(event.start, '2019-02-18T00:00:00.000Z');
    assert.equal(event.end, '2019-02-21T12:00:00.000Z');
  });

  it('creates a background event with start and end', () => {
    const { doc, laneB } = setup();
    const id = createEvent(doc, {
      title: 'Band',
      kind: 'background',
      start: '2019-02-25',
      end: '2019-03-08',
      lane: laneB,
    });
    const event = readEvent(doc, id)!;
    assert.equal(event.kind, 'background');
    assert.equal(event.lane, laneB);
    assert.equal(event.end, '2019-03-08T00:00:00.000Z');
  });

  it('normalizes date-times with an offset to UTC', () => {
    const { doc, laneA } = setup();
    const id = createEvent(doc, {
      title: 'Offset',
      kind: 'point',
      start: '2019-02-18T09:30:00+01:00',
      lane: laneA,
    });
    assert.equal(readEvent(doc, id)!.start, '2019-02-18T08:30:00.000Z');
  });

  it('stores optional fields: description, confidence and sources', () => {
    const { doc, laneA } = setup();
    const id = createEvent(doc, {
      title: '  Full  ',
      kind: 'point',
      start: '2019-02-18',
      lane: laneA,
      description: 'Some text',
      confidence: 'moderate',
      sources: [
        { title: 'Report', url: 'https://example.org/a' },
        { title: 'Plain', url: 'http://example.org/b' },
        { title: 'No link' },
      ],
    });
    const event = readEvent(doc, id)!;
    assert.equal(event.title, 'Full');
    assert.equal(event.description, 'Some text');
    assert.equal(event.confidence, 'moderate');
    assert.deepEqual(withoutIds(event.sources), [
      { title: 'Report', url: 'https://example.org/a' },
      { title: 'Plain', url: 'http://example.org/b' },
      { title: 'No link' },
    ]);
    assert.ok(getDescriptionText(doc, id) instanceof Y.Text);
  });

  it('uses the given id when one is passed', () => {
    const { doc, laneA } = setup();
    const id = createEvent(
      doc,
      { title: 'Chosen', kind: 'point', start: '2019-02-18', lane: laneA },
      'my-id',
    );
    assert.equal(id, 'my-id');
    assert.equal(readEvent(doc, 'my-id')!.title, 'Chosen');
  });

  const rejected: Array<{ name: string; input: (lane: string) => EventInput; message: RegExp }> = [
    {
      name: 'a range without an end',
      input: (lane) => ({ title: 'x', kind: 'range', start: '2019-02-18', lane }),
      message: /end: a range event needs an end/,
    },
    {
      name: 'a background without an end',
      input: (lane) => ({ title: 'x', kind: 'background', start: '2019-02-18', lane }),
      message: /end: a background event needs an end/,
    },
    {
      name: 'a point with an end',
      input: (lane) => ({
        title: 'x',
        kind: 'point',
        start: '2019-02-18',
        end: '2019-02-19',
        lane,
      }),
      message: /end: a point event has no end/,
    },
    {
      name: 'an end before the start',
      input: (lane) => ({
        title: 'x',
        kind: 'range',
        start: '2019-02-18',
        end: '2019-02-17',
        lane,
      }),
      message: /end: end must not be before start/,
    },
    {
      name: 'an empty title',
      input: (lane) => ({ title: '', kind: 'point', start: '2019-02-18', lane }),
      message: /title: must not be empty/,
    },
    {
      name: 'a blank title',
      input: (lane) => ({ title: '   ', kind: 'point', start: '2019-02-18', lane }),
      message: /title: must not be empty/,
    },
    {
      name: 'an impossible month and day (2019-13-40)',
      input: (lane) => ({ title: 'x', kind: 'point', start: '2019-13-40', lane }),
      message: /start: must be an ISO 8601 date/,
    },
    {
      name: 'a non-date start (yesterday)',
      input: (lane) => ({ title: 'x', kind: 'point', start: 'yesterday', lane }),
      message: /start: must be an ISO 8601 date/,
    },
    {
      name: 'a date-time without an offset',
      input: (lane) => ({ title: 'x', kind: 'point', start: '2019-02-18T09:30:00', lane }),
      message: /start: must be an ISO 8601 date/,
    },
    {
      name: 'a non-date end',
      input: (lane) => ({ title: 'x', kind: 'range', start: '2019-02-18', end: 'later', lane }),
      message: /end: must be an ISO 8601 date/,
    },
    {
      name: 'an unknown kind',
      input: (lane) =>
        ({ title: 'x', kind: 'milestone', start: '2019-02-18', lane }) as unknown as EventInput,
      message: /kind/,
    },
    {
      name: 'an unknown confidence',
      input: (lane) =>
        ({
          title: 'x',
          kind: 'point',
          start: '2019-02-18',
          lane,
          confidence: 'maybe',
        }) as unknown as EventInput,
      message: /confidence/,
    },
    {
      name: 'a javascript: source url',
      input: (lane) => ({
        title: 'x',
        kind: 'point',
        start: '2019-02-18',
        lane,
        sources: [{ title: 'evil', url: 'javascript:alert(1)' }],
      }),
      message: /sources\.0\.url: must be an http\(s\) URL/,
    },
    {
      name: 'a data: source url',
      input: (lane) => ({
        title: 'x',
        kind: 'point',
        start: '2019-02-18',
        lane,
        sources: [{ title: 'evil', url: 'data:text/html,<script>alert(1)</script>' }],
      }),
      message: /sources\.0\.url: must be an http\(s\) URL/,
    },
  ];

  for (const { name, input, message } of rejected) {
    it(`rejects ${name} with a ModelError and writes nothing`, () => {
      const { doc, laneA } = setup();
      assertModelError(() => createEvent(doc, input(laneA)), message);
      assert.equal(countEvents(doc), 0);
    });
  }

  it('rejects an event in a lane that does not exist', () => {
    const { doc } = setup();
    assertModelError(
      () => createEvent(doc, { title: 'x', kind: 'point', start: '2019-02-18', lane: 'nope' }),
      /lane nope does not exist/,
    );
    assert.equal(countEvents(doc), 0);
  });

  it('rejects calendar dates that do not exist, such as 2019-02-30', () => {
    const { doc, laneA } = setup();
    for (const start of ['2019-02-30', '2019-02-31', '2019-04-31']) {
      assertModelError(
        () => createEvent(doc, { title: 'x', kind: 'point', start, lane: laneA }),
        /start: must be an ISO 8601 date/,
      );
    }
  });
});

describe('updateEvent', () => {
  function rangeEvent(): { doc: Y.Doc; laneA: string; laneB: string; id: string } {
    const { doc, laneA, laneB } = setup();
    const id = createEvent(doc, {
      title: 'Original',
      kind: 'range',
      start: '2019-02-18',
      end: '2019-02-21',
      lane: laneA,
      description: 'Original description',
      confidence: 'moderate',
      sources: [{ title: 'Src', url: 'https://example.org' }],
    });
    return { doc, laneA, laneB, id };
  }

  it('refuses an end for a point, instead of silently dropping it', () => {
    const { doc, id } = rangeEvent();
    updateEvent(doc, id, { kind: 'point' });
    const before = readEvent(doc, id);
    assertModelError(() => updateEvent(doc, id, { end: '2019-03-01' }), /point event has no end/);
    assertModelError(
      () => updateEvent(doc, id, { kind: 'point', end: '2019-03-01' }),
      /point event has no end/,
    );
    assert.deepEqual(readEvent(doc, id), before);
    // Making it a range with an end in one change is fine.
    updateEvent(doc, id, { kind: 'range', end: '2019-03-01' });
    assert.equal(readEvent(doc, id)?.end, '2019-03-01T00:00:00.000Z');
  });

  it('changes only the given field and leaves the others as they were', () => {
    const { doc, id } = rangeEvent();
    const before = readEvent(doc, id)!;
    updateEvent(doc, id, { title: 'Renamed' });
    assert.deepEqual(readEvent(doc, id), { ...before, title: 'Renamed' });
  });

  it('writes only the map entries whose value changed', () => {
    const { doc, id } = rangeEvent();
    const changed: string[] = [];
    getEventsMap(doc)
      .get(id)!
      .observe((event) => changed.push(...event.keysChanged));
    updateEvent(doc, id, { title: 'Renamed', start: '2019-02-18', kind: 'range' });
    assert.deepEqual(changed, ['title']);
  });

  it('writes nothing when every given value equals the current one', () => {
    const { doc, id } = rangeEvent();
    let updates = 0;
    doc.on('update', () => updates++);
    updateEvent(doc, id, {
      title: 'Original',
      start: '2019-02-18',
      end: '2019-02-21',
      description: 'Original description',
      confidence: 'moderate',
    });
    assert.equal(updates, 0);
  });

  it('normalizes patched dates', () => {
    const { doc, id } = rangeEvent();
    updateEvent(doc, id, { start: '2019-02-19T10:00:00+02:00', end: '2019-02-22' });
    const event = readEvent(doc, id)!;
    assert.equal(event.start, '2019-02-19T08:00:00.000Z');
    assert.equal(event.end, '2019-02-22T00:00:00.000Z');
  });

  it('gives a point switched to a range an end one day after its start', () => {
    const { doc, laneA } = setup();
    const id = createEvent(doc, {
      title: 'P',
      kind: 'point',
      start: '2019-02-18T06:00:00Z',
      lane: laneA,
    });
    updateEvent(doc, id, { kind: 'range' });
    const event = readEvent(doc, id)!;
    assert.equal(event.kind, 'range');
    assert.equal(event.end, '2019-02-19T06:00:00.000Z');
  });

  it('keeps an explicit end when a point is switched to a range with one', () => {
    const { doc, laneA } = setup();
    const id = createEvent(doc, { title: 'P', kind: 'point', start: '2019-02-18', lane: laneA });
    updateEvent(doc, id, { kind: 'background', end: '2019-03-01' });
    const event = readEvent(doc, id)!;
    assert.equal(event.kind, 'background');
    assert.equal(event.end, '2019-03-01T00:00:00.000Z');
  });

  it('removes the end when a range is switched to a point', () => {
    const { doc, id } = rangeEvent();
    updateEvent(doc, id, { kind: 'point' });
    const event = readEvent(doc, id)!;
    assert.equal(event.kind, 'point');
    assert.equal('end' in event, false);
    assert.equal(getEventsMap(doc).get(id)!.has('end'), false);
  });

  it('accepts { kind: "point", end: null } and deletes the stored end', () => {
    const { doc, id } = rangeEvent();
    updateEvent(doc, id, { kind: 'point', end: null });
    assert.equal(readEvent(doc, id)!.kind, 'point');
    assert.equal(getEventsMap(doc).get(id)!.has('end'), false);
  });

  it('end: null on a range without a kind change gives it a one-day end again', () => {
    const { doc, id } = rangeEvent();
    updateEvent(doc, id, { end: null });
    const event = readEvent(doc, id)!;
    assert.equal(event.kind, 'range');
    assert.equal(event.end, '2019-02-19T00:00:00.000Z');
  });

  it('sets and clears the confidence', () => {
    const { doc, id } = rangeEvent();
    updateEvent(doc, id, { confidence: 'high' });
    assert.equal(readEvent(doc, id)!.confidence, 'high');
    updateEvent(doc, id, { confidence: null });
    assert.equal('confidence' in readEvent(doc, id)!, false);
    assert.equal(getEventsMap(doc).get(id)!.has('confidence'), false);
  });

  it('replaces the description in the existing Y.Text', () => {
    const { doc, id } = rangeEvent();
    const text = getDescriptionText(doc, id)!;
    updateEvent(doc, id, { description: 'A completely new description' });
    assert.equal(readEvent(doc, id)!.description, 'A completely new description');
    assert.equal(getDescriptionText(doc, id), text);
  });

  it('creates a description Y.Text when the stored one is missing', () => {
    const { doc, laneA } = setup();
    writeRawEvent(doc, 'raw', { title: 'Raw', start: DAY, kind: 'point', lane: laneA });
    updateEvent(doc, 'raw', { description: 'Added' });
    assert.equal(readEvent(doc, 'raw')!.description, 'Added');
    assert.ok(getDescriptionText(doc, 'raw') instanceof Y.Text);
  });

  it('moves the event to another existing lane', () => {
    const { doc, laneB, id } = rangeEvent();
    updateEvent(doc, id, { lane: laneB });
    assert.equal(readEvent(doc, id)!.lane, laneB);
  });

  it('keeps the sources untouched', () => {
    const { doc, id } = rangeEvent();
    const before = readEvent(doc, id)!.sources;
    updateEvent(doc, id, { title: 'x', description: 'y' });
    assert.deepEqual(readEvent(doc, id)!.sources, before);
    assert.deepEqual(withoutIds(before), [{ title: 'Src', url: 'https://example.org' }]);
  });

  it('throws for an unknown event id', () => {
    const { doc } = setup();
    assertModelError(() => updateEvent(doc, 'missing', { title: 'x' }), /event missing not found/);
  });

  it('throws for an unknown lane and leaves the event unchanged', () => {
    const { doc, id } = rangeEvent();
    const before = readEvent(doc, id);
    assertModelError(() => updateEvent(doc, id, { lane: 'nope' }), /lane nope does not exist/);
    assert.deepEqual(readEvent(doc, id), before);
  });

  it('validates the whole result: a start moved past the end throws and changes nothing', () => {
    const { doc, id } = rangeEvent();
    const before = readEvent(doc, id);
    let updates = 0;
    doc.on('update', () => updates++);
    assertModelError(
      () => updateEvent(doc, id, { start: '2019-03-01', title: 'Should not stick' }),
      /end: end must not be before start/,
    );
    assert.deepEqual(readEvent(doc, id), before);
    assert.equal(updates, 0);
  });

  it('rejects an invalid patch value and changes nothing', () => {
    const { doc, id } = rangeEvent();
    const before = readEvent(doc, id);
    assertModelError(() => updateEvent(doc, id, { title: '  ' }), /title: must not be empty/);
    assertModelError(() => updateEvent(doc, id, { start: 'yesterday' }), /start/);
    assertModelError(() => updateEvent(doc, id, { end: '2019-13-40' }), /end/);
    assert.deepEqual(readEvent(doc, id), before);
  });
});

describe('moveEvent', () => {
  it('moves a range to a new start and end', () => {
    const { doc, laneA } = setup();
    const id = createEvent(doc, {
      title: 'R',
      kind: 'range',
      start: '2019-02-18',
      end: '2019-02-20',
      lane: laneA,
    });
    moveEvent(doc, id, { start: '2019-03-01', end: '2019-03-03' });
    const event = readEvent(doc, id)!;
    assert.equal(event.start, '2019-03-01T00:00:00.000Z');
    assert.equal(event.end, '2019-03-03T00:00:00.000Z');
    assert.equal(event.lane, laneA);
  });

  it('moves a point in time and to another lane', () => {
    const { doc, laneA, laneB } = setup();
    const id = createEvent(doc, { title: 'P', kind: 'point', start: '2019-02-18', lane: laneA });
    moveEvent(doc, id, { start: '2019-02-20T15:00:00Z', lane: laneB });
    const event = readEvent(doc, id)!;
    assert.equal(event.start, '2019-02-20T15:00:00.000Z');
    assert.equal(event.lane, laneB);
    assert.equal(event.kind, 'point');
  });

  it('keeps the end of a range when only the start is given', () => {
    const { doc, laneA } = setup();
    const id = createEvent(doc, {
      title: 'R',
      kind: 'range',
      start: '2019-02-18',
      end: '2019-02-25',
      lane: laneA,
    });
    moveEvent(doc, id, { start: '2019-02-20' });
    assert.equal(readEvent(doc, id)!.end, '2019-02-25T00:00:00.000Z');
  });

  it('refuses a move to a lane that does not exist', () => {
    const { doc, laneA } = setup();
    const id = createEvent(doc, { title: 'P', kind: 'point', start: '2019-02-18', lane: laneA });
    assertModelError(() => moveEvent(doc, id, { start: '2019-02-19', lane: 'gone' }), /gone/);
    assert.equal(readEvent(doc, id)!.start, DAY);
  });
});

describe('deleteEvent, readEvents and countEvents', () => {
  it('deletes an event, and deleting it again does nothing', () => {
    const { doc, laneA } = setup();
    const keep = createEvent(doc, { title: 'Keep', kind: 'point', start: DAY, lane: laneA });
    const drop = createEvent(doc, { title: 'Drop', kind: 'point', start: DAY, lane: laneA });
    deleteEvent(doc, drop);
    assert.equal(readEvent(doc, drop), null);
    assert.deepEqual(
      readEvents(doc).map((event) => event.id),
      [keep],
    );
    assert.doesNotThrow(() => deleteEvent(doc, drop));
    assert.doesNotThrow(() => deleteEvent(doc, 'never-existed'));
    assert.equal(countEvents(doc), 1);
  });

  it('reads events sorted by start, then by id for equal starts', () => {
    const { doc, laneA } = setup();
    createEvent(doc, { title: '3', kind: 'point', start: '2019-03-01', lane: laneA }, 'a');
    createEvent(doc, { title: '2', kind: 'point', start: '2019-02-18', lane: laneA }, 'c');
    createEvent(doc, { title: '1', kind: 'point', start: '2019-02-18', lane: laneA }, 'b');
    createEvent(
      doc,
      { title: '0', kind: 'range', start: '2018-12-31T23:00:00Z', end: '2019-04-01', lane: laneA },
      'z',
    );
    assert.deepEqual(
      readEvents(doc).map((event) => event.id),
      ['z', 'b', 'c', 'a'],
    );
  });

  it('counts events as they are created and deleted', () => {
    const { doc, laneA } = setup();
    assert.equal(countEvents(doc), 0);
    const a = createEvent(doc, { title: 'A', kind: 'point', start: DAY, lane: laneA });
    createEvent(doc, { title: 'B', kind: 'point', start: DAY, lane: laneA });
    assert.equal(countEvents(doc), 2);
    deleteEvent(doc, a);
    assert.equal(countEvents(doc), 1);
  });

  it('readEvent returns null for an unknown id', () => {
    const { doc } = setup();
    assert.equal(readEvent(doc, 'nope'), null);
  });
});

describe('replaceText', () => {
  it('does nothing when the value equals the current text', () => {
    const doc = newDoc();
    const text = doc.getText('t');
    text.insert(0, 'same text');
    let updates = 0;
    doc.on('update', () => updates++);
    replaceText(text, 'same text');
    assert.equal(updates, 0);
    assert.equal(text.toString(), 'same text');
  });

  it('deletes and inserts only the part between the common prefix and suffix', () => {
    const doc = newDoc();
    const text = doc.getText('t');
    text.insert(0, 'one two three');
    const deltas: unknown[] = [];
    text.observe((event) => deltas.push(event.delta));
    replaceText(text, 'one 2 three');
    assert.equal(text.toString(), 'one 2 three');
    assert.equal(deltas.length, 1);
    const delta = deltas[0] as Array<{ retain?: number; insert?: string; delete?: number }>;
    assert.equal(delta[0]?.retain, 4);
    assert.deepEqual(
      delta.filter((op) => op.insert !== undefined).map((op) => op.insert),
      ['2'],
    );
    assert.equal(
      delta.reduce((sum, op) => sum + (op.delete ?? 0), 0),
      3,
    );
  });

  it('handles pure insertions, pure deletions and a full replacement', () => {
    const doc = newDoc();
    const text = doc.getText('t');
    replaceText(text, 'abc');
    assert.equal(text.toString(), 'abc');
    replaceText(text, 'abXbc');
    assert.equal(text.toString(), 'abXbc');
    replaceText(text, 'ac');
    assert.equal(text.toString(), 'ac');
    replaceText(text, 'zzz');
    assert.equal(text.toString(), 'zzz');
    replaceText(text, '');
    assert.equal(text.toString(), '');
  });

  it('lets a concurrent insert in the unchanged part survive', () => {
    const a = newDoc(1);
    a.getText('t').insert(0, 'one two three');
    const b = replicaOf(a, 2);
    replaceText(a.getText('t'), 'one two THREE');
    b.getText('t').insert(3, '!');
    sync(a, b);
    assert.equal(a.getText('t').toString(), 'one! two THREE');
    assert.equal(b.getText('t').toString(), 'one! two THREE');
  });

  it('keeps astral characters (emoji) intact when they share a leading surrogate', () => {
    const doc = newDoc();
    const text = doc.getText('t');
    text.insert(0, 'a😀b');
    replaceText(text, 'a😁b');
    assert.equal(text.toString(), 'a😁b');
  });
});

describe('concurrent editing of the same timeline', () => {
  for (const [clientA, clientB] of [
    [1, 2],
    [2, 1],
  ] as const) {
    it(`keeps both changes to different fields of an event (ids ${clientA}, ${clientB})`, () => {
      const { doc: a, laneA } = setup(clientA);
      const id = createEvent(a, {
        title: 'Before',
        kind: 'range',
        start: '2019-02-18',
        end: '2019-02-28',
        lane: laneA,
        description: 'Unchanged',
      });
      const b = replicaOf(a, clientB);

      updateEvent(a, id, { title: 'Title from A' });
      updateEvent(b, id, { start: '2019-02-20' });
      sync(a, b);

      for (const doc of [a, b]) {
        const event = readEvent(doc, id)!;
        assert.equal(event.title, 'Title from A');
        assert.equal(event.start, '2019-02-20T00:00:00.000Z');
        assert.equal(event.end, '2019-02-28T00:00:00.000Z');
        assert.equal(event.description, 'Unchanged');
      }
      assertConverged(a, b);
    });
  }

  it('keeps both words when two clients edit the same description at different places', () => {
    const { doc: a, laneA } = setup(1);
    const id = createEvent(a, {
      title: 'Shared',
      kind: 'point',
      start: DAY,
      lane: laneA,
      description: 'the fox jumps',
    });
    const b = replicaOf(a, 2);

    updateEvent(a, id, { description: 'the quick fox jumps' });
    updateEvent(b, id, { description: 'the fox jumps high' });
    sync(a, b);

    assert.equal(readEvent(a, id)!.description, 'the quick fox jumps high');
    assert.equal(readEvent(b, id)!.description, 'the quick fox jumps high');
    assertConverged(a, b);
  });

  it('keeps both events when two clients create events at the same time', () => {
    const { doc: a, laneA, laneB } = setup(1);
    const b = replicaOf(a, 2);
    const fromA = createEvent(a, { title: 'From A', kind: 'point', start: DAY, lane: laneA });
    const fromB = createEvent(b, {
      title: 'From B',
      kind: 'range',
      start: '2019-02-19',
      end: '2019-02-20',
      lane: laneB,
    });
    sync(a, b);
    for (const doc of [a, b]) {
      assert.deepEqual(
        readEvents(doc).map((event) => [event.id, event.title]),
        [
          [fromA, 'From A'],
          [fromB, 'From B'],
        ],
      );
      assert.equal(countEvents(doc), 2);
    }
    assertConverged(a, b);
  });

  it('converges when one client deletes an event another is editing', () => {
    const { doc: a, laneA } = setup(1);
    const id = createEvent(a, {
      title: 'Doomed',
      kind: 'point',
      start: DAY,
      lane: laneA,
      description: 'text',
    });
    const other = createEvent(a, { title: 'Other', kind: 'point', start: DAY, lane: laneA });
    const b = replicaOf(a, 2);

    deleteEvent(a, id);
    updateEvent(b, id, { title: 'Edited', description: 'more text' });
    sync(a, b);

    assertConverged(a, b);
    for (const doc of [a, b]) {
      assert.equal(readEvent(doc, id), null);
      assert.deepEqual(
        readEvents(doc).map((event) => event.id),
        [other],
      );
    }
  });

  it('converges when updates are relayed live through doc.on("update")', () => {
    const { doc: a, laneA } = setup(1);
    const b = replicaOf(a, 2);
    a.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== 'relay') Y.applyUpdate(b, update, 'relay');
    });
    b.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== 'relay') Y.applyUpdate(a, update, 'relay');
    });
    const id = createEvent(a, { title: 'Live', kind: 'point', start: DAY, lane: laneA });
    updateEvent(b, id, { title: 'Live, edited by B', confidence: 'low' });
    assert.equal(readEvent(a, id)!.title, 'Live, edited by B');
    assert.equal(readEvent(a, id)!.confidence, 'low');
    assertConverged(a, b);
  });
});

describe('lenient readers', () => {
  it('reads a raw event with unknown extra fields and ignores the extras', () => {
    const { doc, laneA } = setup();
    writeRawEvent(doc, 'raw', {
      title: 'Raw',
      start: DAY,
      end: '2019-02-20T00:00:00.000Z',
      kind: 'range',
      lane: laneA,
      description: new Y.Text('desc'),
      confidence: 'confirmed', // a legacy value: reads as high
      priority: 3,
      tags: ['a', 'b'],
      futureMap: new Y.Map(),
    });
    assert.deepEqual(readEvent(doc, 'raw'), {
      id: 'raw',
      title: 'Raw',
      start: DAY,
      end: '2019-02-20T00:00:00.000Z',
      kind: 'range',
      lane: laneA,
      description: 'desc',
      confidence: 'high',
      sources: [],
    });
    assert.equal(readEvents(doc).length, 1);
  });

  it('skips an event without a start, or with an unparseable start', () => {
    const { doc, laneA } = setup();
    createEvent(doc, { title: 'Good', kind: 'point', start: DAY, lane: laneA }, 'good');
    writeRawEvent(doc, 'no-start', { title: 'No start', kind: 'point', lane: laneA });
    writeRawEvent(doc, 'bad-start', { title: 'Bad', start: 'soon', kind: 'point', lane: laneA });
    writeRawEvent(doc, 'num-start', { title: 'Num', start: 12345, kind: 'point', lane: laneA });
    assert.deepEqual(
      readEvents(doc).map((event) => event.id),
      ['good'],
    );
    assert.equal(readEvent(doc, 'no-start'), null);
  });

  it('skips entries of the events map that are not maps', () => {
    const { doc, laneA } = setup();
    createEvent(doc, { title: 'Good', kind: 'point', start: DAY, lane: laneA }, 'good');
    (getEventsMap(doc) as unknown as Y.Map<unknown>).set('junk', 'not a map');
    assert.deepEqual(
      readEvents(doc).map((event) => event.id),
      ['good'],
    );
    assert.equal(readEvent(doc, 'junk'), null);
  });

  it('reads a range with an unreadable end as a point', () => {
    const { doc, laneA } = setup();
    writeRawEvent(doc, 'garbage', {
      title: 'G',
      start: DAY,
      end: 'garbage',
      kind: 'range',
      lane: laneA,
    });
    writeRawEvent(doc, 'missing', { title: 'M', start: DAY, kind: 'range', lane: laneA });
    writeRawEvent(doc, 'before', {
      title: 'B',
      start: DAY,
      end: '2019-01-01T00:00:00.000Z',
      kind: 'background',
      lane: laneA,
    });
    for (const id of ['garbage', 'missing', 'before']) {
      const event = readEvent(doc, id)!;
      assert.equal(event.kind, 'point', id);
      assert.equal('end' in event, false, id);
    }
  });

  it('reads an unknown kind as a point, and ignores an end stored on a point', () => {
    const { doc, laneA } = setup();
    writeRawEvent(doc, 'odd', {
      title: 'Odd',
      start: DAY,
      end: '2019-02-20T00:00:00.000Z',
      kind: 'milestone',
      lane: laneA,
    });
    writeRawEvent(doc, 'pt', {
      title: 'Pt',
      start: DAY,
      end: '2019-02-20T00:00:00.000Z',
      kind: 'point',
      lane: laneA,
    });
    for (const id of ['odd', 'pt']) {
      const event = readEvent(doc, id)!;
      assert.equal(event.kind, 'point');
      assert.equal(event.end, undefined);
    }
  });

  it('fills missing title, lane and description with empty strings', () => {
    const { doc } = setup();
    writeRawEvent(doc, 'bare', { start: DAY, description: 'plain string, not Y.Text' });
    assert.deepEqual(readEvent(doc, 'bare'), {
      id: 'bare',
      title: '',
      start: DAY,
      kind: 'point',
      lane: '',
      description: '',
      sources: [],
    });
  });

  it('skips damaged sources and keeps the readable ones', () => {
    const { doc, laneA } = setup();
    const sources = new Y.Array<unknown>();
    writeRawEvent(doc, 's', { title: 'S', start: DAY, kind: 'point', lane: laneA, sources });
    const good = new Y.Map<unknown>();
    const noTitle = new Y.Map<unknown>();
    const badUrl = new Y.Map<unknown>();
    sources.push([good, 'not a map', noTitle, badUrl]);
    good.set('title', 'Good');
    good.set('url', 'https://example.org');
    noTitle.set('url', 'https://example.org/x');
    badUrl.set('title', 'Number url');
    badUrl.set('url', 42);
    // Sources written without an id (before ids existed) read with a fallback id.
    assert.deepEqual(withoutIds(readEvent(doc, 's')!.sources), [
      { title: 'Good', url: 'https://example.org' },
      { title: 'Number url' },
    ]);
  });

  it('reads damaged lanes with fallback title, order and colour', () => {
    const doc = newDoc();
    const lane = new Y.Map<unknown>();
    doc.getMap('lanes').set('damaged', lane);
    lane.set('title', 7);
    lane.set('order', Number.NaN);
    lane.set('color', 'blue');
    assert.deepEqual(readLanes(doc), [
      { id: 'damaged', title: 'Untitled lane', order: 0, color: '#64748b' },
    ]);
  });

  it('does not return a confidence value outside the known set', () => {
    const { doc, laneA } = setup();
    writeRawEvent(doc, 'c', {
      title: 'C',
      start: DAY,
      kind: 'point',
      lane: laneA,
      confidence: 'maybe',
    });
    assert.equal(readEvent(doc, 'c')!.confidence, undefined);
    updateEvent(doc, 'c', { title: 'Renamed' });
    assert.equal(readEvent(doc, 'c')!.title, 'Renamed');
  });
});

describe('readTimeline', () => {
  it('returns meta, lanes and events together', () => {
    const { doc, laneA, laneB } = setup();
    const id = createEvent(doc, { title: 'E', kind: 'point', start: DAY, lane: laneB });
    const snapshot = readTimeline(doc);
    assert.deepEqual(snapshot.meta, { title: 'Test timeline' });
    assert.deepEqual(
      snapshot.lanes.map((lane) => lane.id),
      [laneA, laneB],
    );
    assert.deepEqual(snapshot.events, [readEvent(doc, id)]);
    assert.deepEqual(Object.keys(snapshot).sort(), ['events', 'lanes', 'meta']);
  });

  it('returns an empty timeline for an empty document', () => {
    assert.deepEqual(readTimeline(newDoc()), {
      meta: { title: 'Untitled timeline' },
      lanes: [],
      events: [],
    });
  });
});

describe('demo seed (writeDemoTimeline)', () => {
  function demo() {
    const doc = newDoc();
    writeDemoTimeline(doc);
    return { doc, snapshot: readTimeline(doc) };
  }

  it('writes the demo title and at least 10 events', () => {
    const { doc, snapshot } = demo();
    assert.equal(snapshot.meta.title, DEMO_TIMELINE_TITLE);
    assert.ok(snapshot.events.length >= 10, `only ${snapshot.events.length} events`);
    assert.equal(countEvents(doc), snapshot.events.length);
  });

  it('has the expected lanes, in order', () => {
    const titles = demo().snapshot.lanes.map((lane) => lane.title);
    for (const title of ['Network outages', 'Surveillance', 'Diplomacy', 'Elections']) {
      assert.ok(titles.includes(title), `missing lane ${title}`);
    }
    assert.deepEqual(titles.slice(0, 4), [
      'Network outages',
      'Surveillance',
      'Diplomacy',
      'Elections',
    ]);
  });

  it('includes at least one range, one point and one background event', () => {
    const kinds = new Set(demo().snapshot.events.map((event) => event.kind));
    assert.ok(kinds.has('range'));
    assert.ok(kinds.has('point'));
    assert.ok(kinds.has('background'));
  });

  it('has the Hanoi summit as a range from 2019-02-27 to 2019-03-01 on the Diplomacy lane', () => {
    const { snapshot } = demo();
    const summit = snapshot.events.find((event) => event.title.includes('Hanoi'));
    assert.ok(summit, 'no Hanoi summit event');
    assert.equal(summit.kind, 'range');
    assert.equal(summit.start, '2019-02-27T00:00:00.000Z');
    assert.equal(summit.end, '2019-03-01T00:00:00.000Z');
    const diplomacy = snapshot.lanes.find((lane) => lane.title === 'Diplomacy');
    assert.equal(summit.lane, diplomacy?.id);
  });

  it('has the outage as a range starting 2019-02-18 on the Network outages lane', () => {
    const { snapshot } = demo();
    const outagesLane = snapshot.lanes.find((lane) => lane.title === 'Network outages')!;
    const outages = snapshot.events.filter(
      (event) => event.lane === outagesLane.id && event.kind === 'range',
    );
    assert.equal(outages.length, 1);
    assert.equal(outages[0]!.start, '2019-02-18T00:00:00.000Z');
    assert.ok(outages[0]!.end! > outages[0]!.start);
  });

  it('puts every event in an existing lane, with a title and valid dates', () => {
    const { snapshot } = demo();
    const laneIds = new Set(snapshot.lanes.map((lane) => lane.id));
    for (const event of snapshot.events) {
      assert.ok(laneIds.has(event.lane), `${event.title} is in unknown lane ${event.lane}`);
      assert.ok(event.title.length > 0);
      assert.match(event.start, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      if (event.kind !== 'point') assert.ok(event.end! >= event.start, event.title);
    }
  });

  it('writes the whole demo in one transaction', () => {
    const doc = newDoc();
    let updates = 0;
    doc.on('update', () => updates++);
    writeDemoTimeline(doc);
    assert.equal(updates, 1);
  });
});
