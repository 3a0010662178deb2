import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import {
  createEvent,
  createLane,
  deleteEvent,
  getDescriptionText,
  initializeTimeline,
  readEvents,
  updateEvent,
} from '../../lib/timeline/model';
import { sliceUpdate, streamSlices } from '../../lib/timeline/updateSlices';

const DAY = 24 * 3600 * 1000;
const at = (days: number) => new Date(Date.UTC(2024, 0, 1) + days * DAY).toISOString();

/** Applies slices in order to a new document; returns it (and checks nothing is left pending). */
function applySlices(slices: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  for (const slice of slices) Y.applyUpdate(doc, slice);
  assert.equal(doc.store.pendingStructs, null, 'no struct left waiting');
  assert.equal(doc.store.pendingDs, null, 'no deletion left waiting');
  return doc;
}

function sameDocument(a: Y.Doc, b: Y.Doc): void {
  assert.deepEqual(Y.encodeStateVector(a), Y.encodeStateVector(b));
  assert.deepEqual(a.getMap('events').toJSON(), b.getMap('events').toJSON());
  // Every struct and deletion is there: b has nothing a lacks, and a has nothing b lacks.
  assert.deepEqual(
    Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)),
    Y.encodeStateAsUpdate(b, Y.encodeStateVector(b)),
  );
  assert.deepEqual(Y.encodeStateAsUpdate(b), Y.encodeStateAsUpdate(a));
}

/** A timeline written by several people (every kind of struct, emoji, deletions). */
function writtenBySeveral(): Y.Doc {
  const doc = new Y.Doc();
  initializeTimeline(doc, { title: 'Sliced 🧩' });
  const lane = createLane(doc, { title: 'Lane' });
  const ids: string[] = [];
  doc.transact(() => {
    for (let i = 0; i < 1500; i++) {
      ids.push(
        createEvent(doc, {
          title: i % 3 ? `Event ${i}` : `Évènement ${i} — 😀 𝄞 日本`,
          kind: i % 10 === 0 ? 'range' : 'point',
          start: at(i % 300),
          ...(i % 10 === 0 ? { end: at((i % 300) + 2) } : {}),
          lane,
          tags: i % 4 === 0 ? ['a', 'b'] : undefined,
        }),
      );
    }
  });
  // Others edit: typing (with an emoji), renaming, deleting, on top of the first person's events.
  for (let person = 0; person < 3; person++) {
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    for (let k = 0; k < 20; k++) {
      const id = ids[(person * 97 + k * 31) % ids.length]!;
      getDescriptionText(other, id)?.insert(0, `note ${person}/${k} 👍 `);
      if (k % 5 === 0) updateEvent(other, id, { title: `Renamed by ${person}` });
      if (k % 7 === 6) deleteEvent(other, ids[(person * 13 + k) % ids.length]!);
    }
    getDescriptionText(other, ids[0]!)?.delete(0, 3);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)));
  }
  // Values of every kind the encoding has, in a map of its own.
  const misc = doc.getMap('misc');
  misc.set('values', {
    n: null,
    int: -12345,
    float: 1.5,
    big: 2 ** 40 + 0.25,
    yes: true,
    no: false,
    list: [1, 'two', { three: [3] }],
    bytes: new Uint8Array([1, 2, 3]),
  });
  misc.set('text', new Y.Text('plain'));
  misc.set('array', Y.Array.from([1, 2, 3]));
  misc.set('xml', new Y.XmlElement('p'));
  return doc;
}

describe('update slices', () => {
  it('a timeline written by several people, sliced small, applies to the same document', () => {
    const doc = writtenBySeveral();
    const update = Y.encodeStateAsUpdate(doc);
    const slices = sliceUpdate(update, 2_000);
    assert.ok(slices.length > 20, `${slices.length} slices`);
    assert.ok(Math.max(...slices.map((slice) => slice.byteLength)) < 2_000 + 1_000);
    const copy = applySlices(slices);
    sameDocument(doc, copy);
    assert.deepEqual(readEvents(copy), readEvents(doc));
    assert.deepEqual(copy.getMap('misc').toJSON(), doc.getMap('misc').toJSON());
  });

  it('slices a merged update holding skipped ranges; a small update stays whole', () => {
    const a = new Y.Doc();
    const text = a.getText('t');
    const first = Y.encodeStateAsUpdate(a);
    text.insert(0, 'one ');
    const middle = Y.encodeStateAsUpdate(a, Y.encodeStateVector(new Y.Doc()));
    const before = Y.encodeStateVector(a);
    text.insert(4, 'two three four five six seven eight nine ten');
    const last = Y.encodeStateAsUpdate(a, before);
    assert.deepEqual(sliceUpdate(first, 1000), [first]);
    const merged = Y.mergeUpdates([middle, last]);
    const slices = sliceUpdate(merged, 8);
    assert.ok(slices.length >= 2);
    const copy = applySlices(slices);
    assert.equal(copy.getText('t').toString(), text.toString());
  });

  it('gives an update it cannot read back whole', () => {
    const garbage = new Uint8Array(5000).fill(0xff);
    assert.deepEqual(sliceUpdate(garbage, 100), [garbage]);
    // Readable structs followed by bytes that are not a delete set: not cut either.
    const doc = new Y.Doc();
    const map = doc.getMap('m');
    for (let i = 0; i < 200; i++) map.set(`k${i}`, `value ${i}`);
    const update = Y.encodeStateAsUpdate(doc);
    const trailing = new Uint8Array(update.byteLength + 3);
    trailing.set(update);
    trailing.set([1, 2, 3], update.byteLength);
    assert.deepEqual(sliceUpdate(trailing, 100), [trailing]);
    assert.ok(sliceUpdate(update, 100).length > 1, 'the same update without them is cut');
  });

  it('streams slices one at a time in the update’s order, and ends with the whole update if it misreads', () => {
    const doc = writtenBySeveral();
    const update = Y.encodeStateAsUpdate(doc);
    const streamed = [...streamSlices(update, 2_000)];
    assert.ok(streamed.length > 20, `${streamed.length} slices`);
    assert.ok(Math.max(...streamed.map((slice) => slice.byteLength)) < 2_000 + 1_000);
    sameDocument(doc, applySlices(streamed));

    // The first slice comes before the end of the update is read: bytes after the delete set
    // are only found at the end, and then the whole update follows the slices.
    const trailing = new Uint8Array(update.byteLength + 3);
    trailing.set(update);
    trailing.set([1, 2, 3], update.byteLength);
    const stream = streamSlices(trailing, 2_000);
    const first = stream.next();
    assert.equal(first.done, false);
    assert.ok(first.value!.byteLength < 3_000, 'a slice, not the whole update');
    const rest = [...stream];
    assert.equal(rest.at(-1), trailing, 'the whole update last');
    const copy = new Y.Doc();
    Y.applyUpdate(copy, first.value!);
    for (const slice of rest.slice(0, -1)) Y.applyUpdate(copy, slice);
    // Without its delete set (it comes with the whole update), deleted events are still there.
    assert.notDeepEqual(readEvents(copy), readEvents(doc));
    Y.applyUpdate(copy, rest.at(-1)!); // the whole update, read by Yjs itself
    sameDocument(doc, copy);

    // Small updates come whole; garbage comes whole.
    const small = Y.encodeStateAsUpdate(new Y.Doc());
    assert.deepEqual([...streamSlices(small, 2_000)], [small]);
    const garbage = new Uint8Array(5000).fill(0xff);
    assert.deepEqual([...streamSlices(garbage, 100)], [garbage]);
  });
});
