/**
 * RoomPersistence against a store that fails and recovers: nothing is lost or reordered, every
 * update keeps its arrival time through retries, and observers cannot break a committed write.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import { createEvent, deleteEvent, readLanes, updateEvent } from '../../lib/timeline/model';
import {
  DEFAULT_PERSISTENCE_OPTIONS,
  RoomPersistence,
} from '../../server/collab/extensions/persistence';
import { createLogger } from '../../server/log';
import { createMemoryStore } from '../../server/store/memoryStore';
import { createStoredTimeline, loadStoredDoc } from './helpers/collabServer';

async function setup() {
  const store = createMemoryStore();
  const { id } = await createStoredTimeline(store, 'p');
  const doc = new Y.Doc();
  for (const update of (await store.loadDoc(id))!.updates) Y.applyUpdate(doc, update);
  const persistence = new RoomPersistence(
    store,
    id,
    doc,
    0n,
    { ...DEFAULT_PERSISTENCE_OPTIONS, flushDelayMs: 60_000, maxRetryDelayMs: 60_000 },
    createLogger('error'),
  );
  doc.on('update', (update: Uint8Array) =>
    persistence.enqueue(update, 1_000 + persistence.unpersistedBytes),
  );
  return { store, id, doc, persistence };
}

describe('room persistence', () => {
  it('keeps every update and its arrival time through a failed write', async () => {
    const { store, id, doc, persistence } = await setup();
    const reports: number[][] = [];
    persistence.onCommit((report) => reports.push(report.receivedAt));
    store.failing = true;
    for (let i = 0; i < 3; i++) doc.getMap('events').set(`e${i}`, i);
    await assert.rejects(persistence.flush());
    assert.ok(persistence.degraded);
    doc.getMap('events').set('e3', 3);
    store.failing = false;
    const waited = persistence.whenPersisted();
    await persistence.flush();
    await waited;
    assert.equal(reports.length, 1);
    assert.equal(reports[0]!.length, 4, 'one arrival time per update, not one per batch');
    assert.equal(persistence.degraded, false);
    assert.equal(persistence.unpersistedBytes, 0);
    assert.deepEqual([...(await loadStoredDoc(store, id)).getMap('events').keys()].sort(), [
      'e0',
      'e1',
      'e2',
      'e3',
    ]);
    persistence.stop();
  });

  it('does not let a throwing commit observer fail a write that was committed', async () => {
    const { store, id, doc, persistence } = await setup();
    persistence.onCommit(() => {
      throw new Error('observer bug');
    });
    doc.getMap('events').set('x', 1);
    await persistence.flush();
    await persistence.whenPersisted();
    assert.equal((await loadStoredDoc(store, id)).getMap('events').get('x'), 1);
    persistence.stop();
  });

  it('keeps the timeline row’s event count right as events come and go', async () => {
    const { store, id, doc, persistence } = await setup();
    const lane = readLanes(doc)[0]!.id;
    const first = createEvent(doc, { title: 'one', kind: 'point', start: '2019-02-18', lane });
    createEvent(doc, { title: 'two', kind: 'point', start: '2019-02-19', lane });
    await persistence.flush();
    assert.equal((await store.getTimeline(id))?.eventCount, 2);
    updateEvent(doc, first, { title: 'renamed' });
    await persistence.flush();
    assert.equal((await store.getTimeline(id))?.eventCount, 2);
    deleteEvent(doc, first);
    await persistence.flush();
    assert.equal((await store.getTimeline(id))?.eventCount, 1);
    persistence.stop();
  });
});
