import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import { createEventReader } from '../../lib/timeline/eventReader';
import {
  createEvent,
  createLane,
  deleteEvent,
  getDescriptionText,
  initializeTimeline,
  moveEvent,
  readEvents,
  updateEvent,
} from '../../lib/timeline/model';

const DAY = 24 * 3600 * 1000;
const at = (days: number) => new Date(Date.UTC(2024, 0, 1) + days * DAY).toISOString();

describe('incremental event reader', () => {
  it('stays equal to a full read through creates, edits, moves, deletes and remote updates', () => {
    const doc = new Y.Doc();
    initializeTimeline(doc, { title: 'T' });
    const lanes = [createLane(doc, { title: 'A' }), createLane(doc, { title: 'B' })];
    const ids: string[] = [];
    for (let i = 0; i < 200; i++) {
      ids.push(
        createEvent(doc, { title: `E${i}`, kind: 'point', start: at(i % 50), lane: lanes[i % 2]! }),
      );
    }
    const reader = createEventReader(doc);
    assert.deepEqual(reader.read(), readEvents(doc));
    const first = reader.read();
    assert.equal(reader.read(), first, 'nothing changed: the same array');

    moveEvent(doc, ids[3]!, { start: at(70) });
    updateEvent(doc, ids[4]!, { title: 'Renamed' });
    deleteEvent(doc, ids[5]!);
    getDescriptionText(doc, ids[6]!)?.insert(0, 'typed');
    const added = createEvent(doc, {
      title: 'New',
      kind: 'range',
      start: at(1),
      end: at(3),
      lane: lanes[0]!,
    });
    // A change made elsewhere arrives as an update.
    const remote = new Y.Doc();
    Y.applyUpdate(remote, Y.encodeStateAsUpdate(doc));
    updateEvent(remote, ids[7]!, { start: at(-10) });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote, Y.encodeStateVector(doc)));

    const second = reader.read();
    assert.deepEqual(second, readEvents(doc));
    assert.ok(second.some((event) => event.id === added));
    assert.ok(!second.some((event) => event.id === ids[5]));
    assert.equal(second[0]!.id, ids[7], 'moved to the front by its new start');
    // Untouched events keep their object; touched ones are read again.
    const before = new Map(first.map((event) => [event.id, event]));
    const reused = second.filter((event) => before.get(event.id) === event).length;
    assert.equal(reused, 200 - 4 - 1, 'all but the 4 changed and the deleted one are reused');
    assert.notEqual(
      before.get(ids[6]!),
      second.find((event) => event.id === ids[6]),
    );
    reader.destroy();
  });

  it('falls back to one full read after a bulk change, and stops observing when destroyed', () => {
    const doc = new Y.Doc();
    initializeTimeline(doc, { title: 'T' });
    const lane = createLane(doc, { title: 'A' });
    const reader = createEventReader(doc);
    assert.deepEqual(reader.read(), []);
    doc.transact(() => {
      for (let i = 0; i < 3000; i++)
        createEvent(doc, { title: `E${i}`, kind: 'point', start: at(i % 365), lane });
    });
    const events = reader.read();
    assert.equal(events.length, 3000);
    assert.deepEqual(events, readEvents(doc));
    reader.destroy();
    createEvent(doc, { title: 'late', kind: 'point', start: at(1), lane });
    assert.equal(reader.read(), events, 'a destroyed reader sees no more changes');
  });

  it('reads a big document in slices, pausing between them, and catches up on changes made meanwhile', async () => {
    const doc = new Y.Doc();
    initializeTimeline(doc, { title: 'T' });
    const lanes = [createLane(doc, { title: 'A' }), createLane(doc, { title: 'B' })];
    const ids: string[] = [];
    doc.transact(() => {
      for (let i = 0; i < 4000; i++) {
        ids.push(
          createEvent(doc, {
            title: `E${i}`,
            kind: i % 10 === 0 ? 'range' : 'point',
            start: at((i * 7) % 400),
            ...(i % 10 === 0 ? { end: at(((i * 7) % 400) + 3) } : {}),
            lane: lanes[i % 2]!,
          }),
        );
      }
    });
    const reader = createEventReader(doc);
    assert.equal(reader.needsFullRead, true);
    let pauses = 0;
    let added = '';
    const read = await reader.readInSlices({
      sliceMs: 0, // one batch of events per slice
      pause: async () => {
        pauses++;
        // Others keep editing while the page reads: a move, a delete, an addition.
        if (pauses === 2) moveEvent(doc, ids[10]!, { start: at(-30), end: at(-29) });
        if (pauses === 3) deleteEvent(doc, ids[3999]!);
        if (pauses === 4)
          added = createEvent(doc, {
            title: 'During',
            kind: 'point',
            start: at(2),
            lane: lanes[0]!,
          });
      },
    });
    assert.ok(read, 'the read ended');
    // Each event present when the read started, once; the one deleted meanwhile (read last) not.
    assert.equal(read.length, 3999);
    assert.equal(new Set(read.map((event) => event.id)).size, 3999);
    assert.ok(pauses >= 10, `paused ${pauses} times`);
    assert.equal(reader.needsFullRead, false);
    const events = reader.read();
    assert.deepEqual(events, readEvents(doc));
    assert.equal(events[0]!.id, ids[10]);
    assert.ok(events.some((event) => event.id === added));
    assert.ok(!events.some((event) => event.id === ids[3999]));

    // Destroyed during a read: it stops and says so.
    const other = createEventReader(doc);
    const stopped = await other.readInSlices({ sliceMs: 0, pause: async () => other.destroy() });
    assert.equal(stopped, null);
    reader.destroy();
  });
});
