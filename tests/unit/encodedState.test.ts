/**
 * The shared encoding of a live document (server/collab/encodedState.ts): compaction and the
 * automatic snapshot of an unloading room get the same bytes, and never bytes older than the
 * document.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import { encodeDocState } from '../../server/collab/encodedState';

function contentOf(state: Uint8Array): unknown {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc.getMap('m').toJSON();
}

describe('encodeDocState', () => {
  it('gives the same bytes while the document is unchanged, fresh ones after any change', () => {
    const doc = new Y.Doc();
    doc.getMap('m').set('a', 1);
    const first = encodeDocState(doc);
    assert.equal(encodeDocState(doc), first, 'encoded once');
    assert.deepEqual(first, Y.encodeStateAsUpdate(doc));

    doc.getMap('m').set('b', 2);
    const second = encodeDocState(doc);
    assert.notEqual(second, first);
    assert.deepEqual(contentOf(second), { a: 1, b: 2 });

    // A change arriving from elsewhere (another replica's update) counts too.
    const other = new Y.Doc();
    Y.applyUpdate(other, second);
    other.getMap('m').set('c', 3);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)));
    assert.deepEqual(contentOf(encodeDocState(doc)), { a: 1, b: 2, c: 3 });

    // A deletion does not advance the state vector; it still invalidates.
    const beforeDelete = encodeDocState(doc);
    doc.getMap('m').delete('a');
    const afterDelete = encodeDocState(doc);
    assert.notEqual(afterDelete, beforeDelete);
    assert.deepEqual(contentOf(afterDelete), { b: 2, c: 3 });
    doc.destroy();
    other.destroy();
  });

  it('keeps nothing for other documents', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    a.getMap('m').set('x', 'a');
    b.getMap('m').set('x', 'b');
    assert.deepEqual(contentOf(encodeDocState(a)), { x: 'a' });
    assert.deepEqual(contentOf(encodeDocState(b)), { x: 'b' });
    a.destroy();
    b.destroy();
  });
});
