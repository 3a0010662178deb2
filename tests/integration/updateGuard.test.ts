/**
 * The update guard decodes updates in a real worker thread with time and memory limits: valid
 * updates pass (and say whether they are empty), malformed ones are refused, and one that is too
 * slow or too big for the limits is refused without stopping the guard for the next update.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import * as Y from 'yjs';
import { createUpdateGuard, UpdateRejectedError } from '../../server/collab/updateGuard';

function bigUpdate(entries: number): Uint8Array {
  const doc = new Y.Doc();
  const map = doc.getMap('events');
  doc.transact(() => {
    for (let i = 0; i < entries; i++)
      map.set(`event-${i}`, `a title long enough to weigh something ${i}`);
  });
  return Y.encodeStateAsUpdate(doc);
}

function smallUpdate(): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('meta').set('title', 'small');
  return Y.encodeStateAsUpdate(doc);
}

describe('update guard', () => {
  const guards: ReturnType<typeof createUpdateGuard>[] = [];
  const make = (timeoutMs: number, maxHeapMb = 256) => {
    const guard = createUpdateGuard({ timeoutMs, maxHeapMb });
    guards.push(guard);
    return guard;
  };
  after(async () => {
    for (const guard of guards) await guard.close();
  });

  it('passes valid updates and tells empty ones apart', async () => {
    const guard = make(5_000);
    assert.deepEqual(await guard.check(smallUpdate()), { empty: false });
    assert.deepEqual(await guard.check(Y.encodeStateAsUpdate(new Y.Doc())), { empty: true });
  });

  it('refuses malformed updates', async () => {
    const guard = make(5_000);
    const corrupted = smallUpdate();
    corrupted[corrupted.length - 1] = 5;
    await assert.rejects(guard.check(corrupted), (error: Error) => {
      assert.ok(error instanceof UpdateRejectedError);
      assert.match(error.message, /malformed/);
      return true;
    });
    assert.deepEqual(await guard.check(smallUpdate()), { empty: false }, 'still works afterwards');
  });

  it('refuses an update that takes longer than the limit, then carries on', async () => {
    // Margins wide in both directions, whatever the machine: 200,000 entries take about half a
    // second to decode here, a small update well under a millisecond; the limit is 50 ms.
    const guard = make(50);
    await guard.check(smallUpdate()); // start the worker outside the measured call
    await assert.rejects(guard.check(bigUpdate(200_000)), /longer than 50 ms/);
    assert.deepEqual(
      await guard.check(smallUpdate()),
      { empty: false },
      'a fresh decoder carries on',
    );
  });

  it('refuses an update that exhausts the decoder’s memory, then carries on', async () => {
    // Enough heap to load the decoder, not enough to decode 300,000 entries.
    const guard = make(60_000, 24);
    await assert.rejects(guard.check(bigUpdate(300_000)), /memory limit/);
    const healthy = make(5_000);
    assert.deepEqual(await healthy.check(smallUpdate()), { empty: false });
    assert.deepEqual(
      await guard.check(Y.encodeStateAsUpdate(new Y.Doc())).catch((e: Error) => e.message),
      {
        empty: true,
      },
    );
  });

  it('answers in the order updates were submitted', async () => {
    const guard = make(5_000);
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => guard.check(smallUpdate()).then(() => order.push(i))),
    );
    assert.deepEqual(
      order,
      Array.from({ length: 20 }, (_, i) => i),
    );
  });
});
