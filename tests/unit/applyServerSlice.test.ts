import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import { applyServerSlice } from '../../components/timeline/session/slicedApply';
import {
  createEvent,
  getEventsMap,
  initializeTimeline,
  readEvents,
} from '../../lib/timeline/model';
import { sliceUpdate } from '../../lib/timeline/updateSlices';

const DAY = 24 * 3600 * 1000;
const at = (days: number) => new Date(Date.UTC(2024, 0, 1) + days * DAY).toISOString();

function bigDocument(events: number): Y.Doc {
  const doc = new Y.Doc();
  const [lane] = initializeTimeline(doc, { title: 'Big', lanes: [{ title: 'Lane' }] });
  for (let i = 0; i < events; i++) {
    createEvent(doc, { title: `Event ${i}`, kind: 'point', start: at(i), lane: lane! });
  }
  return doc;
}

describe('applyServerSlice', () => {
  it('tells every update listener, with bytes that rebuild the same document', () => {
    const source = bigDocument(400);
    const slices = sliceUpdate(Y.encodeStateAsUpdate(source), 4 * 1024);
    assert.ok(slices.length > 3, 'several slices');
    const doc = new Y.Doc();
    const origin = { kind: 'server' };
    const heard: { update: Uint8Array; origin: unknown; tr: Y.Transaction }[] = [];
    let afterTransactions = 0;
    doc.on('update', (update, o, _doc, tr) => heard.push({ update, origin: o, tr }));
    doc.on('afterTransaction', () => afterTransactions++);
    for (const slice of slices) applyServerSlice(doc, slice, origin);

    assert.equal(heard.length, slices.length, 'one update event per slice');
    assert.equal(afterTransactions, slices.length, 'one transaction per slice');
    // Not encoded again: the listeners get the very bytes applied.
    heard.forEach(({ update }, i) => {
      assert.equal(update, slices[i]);
    });
    for (const { origin: o, tr } of heard) {
      assert.equal(o, origin);
      assert.equal(tr.origin, origin);
      assert.equal(tr.local, false);
    }
    // What a listener stored (y-indexeddb keeps these bytes) gives back the whole document.
    const stored = new Y.Doc();
    for (const { update } of heard) Y.applyUpdate(stored, update);
    assert.deepEqual(readEvents(stored), readEvents(source));
    assert.deepEqual(readEvents(doc), readEvents(source));
  });

  it('leaves the listeners attached: a later local edit is heard and encoded by Yjs', () => {
    const doc = new Y.Doc();
    const heard: unknown[] = [];
    const listener = (_update: Uint8Array, origin: unknown) => heard.push(origin);
    doc.on('update', listener);
    const [slice] = sliceUpdate(Y.encodeStateAsUpdate(bigDocument(3)), 1024 * 1024);
    applyServerSlice(doc, slice!, 'server');
    assert.deepEqual(heard, ['server']);
    getEventsMap(doc).set('mine', new Y.Map());
    assert.deepEqual(heard, ['server', null]);
    doc.off('update', listener);
    getEventsMap(doc).set('unheard', new Y.Map());
    assert.equal(heard.length, 2, 'off() still works afterwards');
  });

  it('keeps a listener that an observer added while the slice was applied, told once', () => {
    const doc = new Y.Doc();
    const first: unknown[] = [];
    const added: unknown[] = [];
    doc.on('update', (_u, origin) => first.push(origin));
    const addLater = (_u: Uint8Array, origin: unknown) => added.push(origin);
    doc.getMap('meta').observe(() => doc.on('update', addLater));
    const [slice] = sliceUpdate(Y.encodeStateAsUpdate(bigDocument(2)), 1024 * 1024);
    applyServerSlice(doc, slice!, 'server');
    assert.deepEqual(first, ['server']);
    assert.deepEqual(added, ['server']);
  });

  it('applies without listeners, and tells none when the slice cannot be applied', () => {
    const quiet = new Y.Doc();
    const [slice] = sliceUpdate(Y.encodeStateAsUpdate(bigDocument(5)), 1024 * 1024);
    applyServerSlice(quiet, slice!, 'server');
    assert.equal(readEvents(quiet).length, 5);

    const doc = new Y.Doc();
    const heard: unknown[] = [];
    doc.on('update', (_u, origin) => heard.push(origin));
    assert.throws(() => applyServerSlice(doc, new Uint8Array([0xff, 0xff, 0xff]), 'server'));
    assert.deepEqual(heard, []);
    doc.getMap('meta').set('after', 1);
    assert.deepEqual(heard, [null], 'listeners restored after the error');
  });
});
