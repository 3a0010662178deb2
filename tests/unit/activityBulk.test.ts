import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import { createEvent, createLane, deleteEvent, initializeTimeline } from '../../lib/timeline/model';
import {
  ActivityRecorder,
  MAX_ACTIVITY_ATTEMPTS,
  MAX_ACTIVITY_BATCH,
} from '../../server/collab/extensions/activityLog';
import type { Logger } from '../../server/log';
import { createMemoryStore } from '../../server/store/memoryStore';

/** A logger that keeps its lines, to check what an operator would read. */
function collectingLogger(): Logger & { lines: { level: string; message: string }[] } {
  const lines: { level: string; message: string }[] = [];
  const keep = (level: string) => (message: string) => lines.push({ level, message });
  return {
    lines,
    debug: keep('debug'),
    info: keep('info'),
    warn: keep('warn'),
    error: keep('error'),
  };
}

async function setUp() {
  const store = createMemoryStore();
  await store.createTimeline({ id: 't1', title: 'T', eventCount: 0 }, new Uint8Array([0, 0]));
  const doc = new Y.Doc();
  initializeTimeline(doc, { title: 'T' });
  const lane = createLane(doc, { title: 'Events' });
  const logger = collectingLogger();
  const recorder = new ActivityRecorder(
    store,
    't1',
    doc,
    () => 'Ana',
    { activityFoldMs: 60_000, activityFlushMs: 3_600_000, bulkThreshold: 20 },
    logger,
  );
  const add = (count: number) =>
    doc.transact(() => {
      for (let i = 0; i < count; i++) {
        createEvent(doc, { title: `E${i}`, start: '2019-02-18', kind: 'point', lane });
      }
    });
  return { store, doc, recorder, logger, add };
}

describe('activity log: bulk changes', () => {
  it('logs a transaction touching many events as one entry with a count', async () => {
    const { store, recorder, add } = await setUp();
    add(10_000);
    add(3);
    await recorder.flush();
    const entries = await store.listActivity('t1', 100);
    assert.equal(entries.length, 4);
    const bulk = entries.find((entry) => entry.count > 1)!;
    assert.deepEqual(
      { action: bulk.action, count: bulk.count, eventId: bulk.eventId, actor: bulk.actor },
      { action: 'created', count: 10_000, eventId: '', actor: 'Ana' },
    );
    assert.equal(entries.filter((entry) => entry.count === 1).length, 3);
    await recorder.stop();
  });

  it('writes a long queue in batches', async () => {
    const { store, doc, recorder, add } = await setUp();
    add(1);
    // Many small transactions: each is logged event by event, written 200 to a transaction.
    for (let i = 0; i < MAX_ACTIVITY_BATCH + 50; i++) add(1);
    await recorder.flush();
    assert.equal((await store.listActivity('t1', 1_000)).length, MAX_ACTIVITY_BATCH + 51);
    doc.destroy();
    await recorder.stop();
  });

  it('gives up on an entry after a bounded number of failed writes, with an error line', async () => {
    const { store, recorder, logger, add } = await setUp();
    add(25);
    store.failing = true;
    for (let i = 0; i < MAX_ACTIVITY_ATTEMPTS + 3; i++) await recorder.flush();
    assert.equal(
      logger.lines.filter((line) => line.level === 'warn').length,
      MAX_ACTIVITY_ATTEMPTS - 1,
    );
    assert.deepEqual(
      logger.lines.filter((line) => line.level === 'error').map((line) => line.message),
      ['dropping activity entries after repeated write failures'],
    );
    store.failing = false;
    await recorder.flush();
    assert.equal(
      (await store.listActivity('t1', 100)).length,
      0,
      'the dropped entry is not retried',
    );
    add(1);
    await recorder.flush();
    assert.equal(
      (await store.listActivity('t1', 100)).length,
      1,
      'later activity is written again',
    );
    await recorder.stop();
  });

  it('counts deletions of many events at once as one entry', async () => {
    const { store, doc, recorder, add } = await setUp();
    add(30);
    await recorder.flush();
    const ids = [...doc.getMap('events').keys()];
    doc.transact(() => {
      for (const id of ids) deleteEvent(doc, id);
    });
    await recorder.flush();
    const [latest] = await store.listActivity('t1', 10);
    assert.equal(latest!.action, 'deleted');
    assert.equal(latest!.count, 30);
    await recorder.stop();
  });
});
