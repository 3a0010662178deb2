/**
 * Collaboration extensions and direct connections: a registered extension's hooks are called in
 * the documented order with the update's origin and connection, a failing hook does not stop the
 * others, and server code changes a live document through `openDirect` as an actor.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import { NotFoundError } from '../../lib/errors';
import { createEvent, readEvents } from '../../lib/timeline/model';
import type { Extension, RoomConnection } from '../../server/collab/extension';
import { createMemoryStore } from '../../server/store/memoryStore';
import { connectClient, waitFor, waitForSync } from './helpers/clients';
import { createStoredTimeline, loadStoredDoc, startCollabServer } from './helpers/collabServer';

interface HookCall {
  hook: string;
  connection?: RoomConnection;
  origin?: unknown;
  detail?: unknown;
}

/** An extension that records every hook call (and what the store held before unloading). */
function createRecorder(store: ReturnType<typeof createMemoryStore>) {
  const calls: HookCall[] = [];
  const extension: Extension = {
    name: 'recorder',
    onLoad: () => void calls.push({ hook: 'onLoad' }),
    onConnect: ({ connection }) => void calls.push({ hook: 'onConnect', connection }),
    onUpdate: ({ origin, connection }) => void calls.push({ hook: 'onUpdate', origin, connection }),
    onAwareness: ({ origin, connection }) =>
      void calls.push({ hook: 'onAwareness', origin, connection }),
    onDisconnect: ({ connection }) => void calls.push({ hook: 'onDisconnect', connection }),
    onEmpty: () => void calls.push({ hook: 'onEmpty' }),
    async beforeUnload({ room, reason }) {
      // Persistence is registered first, so its compaction is done when this runs.
      const stored = await store.loadDoc(room.timelineId);
      const doc = new Y.Doc();
      for (const update of stored?.updates ?? []) Y.applyUpdate(doc, update);
      calls.push({ hook: 'beforeUnload', detail: { reason, events: readEvents(doc).length } });
      doc.destroy();
    },
    onDestroy: ({ persisted }) => void calls.push({ hook: 'onDestroy', detail: { persisted } }),
  };
  return { calls, extension };
}

describe('collab extensions', () => {
  it('calls hooks in the documented order, with origin and connection', async () => {
    const store = createMemoryStore();
    const timeline = await createStoredTimeline(store, 'hooks');
    const recorder = createRecorder(store);
    let thrown = 0;
    const failing: Extension = {
      name: 'failing',
      onUpdate() {
        thrown++;
        throw new Error('a broken extension');
      },
    };
    const server = await startCollabServer(store, {
      extraExtensions: [failing, recorder.extension],
    });
    try {
      const a = connectClient(server.wsUrl, timeline.id);
      const b = connectClient(server.wsUrl, timeline.id);
      await Promise.all([waitForSync(a), waitForSync(b)]);
      a.provider.awareness.setLocalStateField('user', { name: 'Ada' });
      const id = createEvent(a.doc, {
        title: 'Landing',
        kind: 'point',
        start: '1969-07-20',
        lane: timeline.laneId,
      });
      // The failing extension before the recorder stops neither it nor the relay.
      await waitFor(() => readEvents(b.doc).some((event) => event.id === id), 'B to get the edit');
      await waitFor(
        () => recorder.calls.some((call) => call.hook === 'onAwareness' && call.connection),
        'the awareness hook',
      );
      a.destroy();
      b.destroy();
      await waitFor(
        () => recorder.calls.some((call) => call.hook === 'onDestroy'),
        'the room to unload',
      );

      const hooks = recorder.calls.map((call) => call.hook);
      const first = (hook: string) => hooks.indexOf(hook);
      const last = (hook: string) => hooks.lastIndexOf(hook);
      assert.equal(first('onLoad'), 0);
      assert.equal(hooks.filter((hook) => hook === 'onLoad').length, 1);
      assert.equal(hooks.filter((hook) => hook === 'onConnect').length, 2);
      assert.ok(first('onUpdate') > first('onConnect'));
      assert.ok(last('onUpdate') < first('onEmpty'));
      assert.ok(last('onDisconnect') < first('onEmpty'));
      assert.ok(first('onEmpty') < first('beforeUnload'));
      assert.ok(first('beforeUnload') < first('onDestroy'));
      assert.equal(hooks.at(-1), 'onDestroy');
      assert.ok(thrown > 0, 'the failing hook ran');

      // Every client update names the websocket connection it came from, as its origin too.
      const updates = recorder.calls.filter((call) => call.hook === 'onUpdate');
      assert.ok(updates.length > 0);
      for (const call of updates) {
        assert.ok(call.connection, 'update has a connection');
        assert.equal(call.origin, call.connection);
        assert.equal(call.connection.readOnly, false);
        assert.ok(!call.connection.direct);
      }
      const connected = recorder.calls
        .filter((call) => call.hook === 'onConnect')
        .map((call) => call.connection);
      assert.ok(updates.every((call) => connected.includes(call.connection)));

      const unload = recorder.calls.find((call) => call.hook === 'beforeUnload');
      assert.deepEqual(unload?.detail, { reason: 'idle', events: 1 });
      const destroy = recorder.calls.find((call) => call.hook === 'onDestroy');
      assert.deepEqual(destroy?.detail, { persisted: true });
    } finally {
      await server.close();
    }
  });

  it('runs beforeUnload and onDestroy for every loaded room at shutdown', async () => {
    const store = createMemoryStore();
    const timeline = await createStoredTimeline(store, 'shutdown');
    const recorder = createRecorder(store);
    const server = await startCollabServer(store, {
      idleMs: 60_000,
      extraExtensions: [recorder.extension],
    });
    const client = connectClient(server.wsUrl, timeline.id);
    await waitForSync(client);
    await server.close();
    client.destroy();
    const hooks = recorder.calls.map((call) => call.hook);
    const unload = recorder.calls.find((call) => call.hook === 'beforeUnload');
    assert.equal((unload?.detail as { reason?: string } | undefined)?.reason, 'shutdown');
    assert.ok(hooks.indexOf('beforeUnload') < hooks.indexOf('onDestroy'));
    // Sockets finish closing after the room is gone: no hook runs for a destroyed room.
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(recorder.calls.at(-1)?.hook, 'onDestroy');
  });
});

describe('direct connections', () => {
  it('changes the live document as an actor, persists, and keeps the room until released', async () => {
    const store = createMemoryStore();
    const timeline = await createStoredTimeline(store, 'direct');
    const recorder = createRecorder(store);
    const server = await startCollabServer(store, {
      history: { activityFlushMs: 20 },
      extraExtensions: [recorder.extension],
    });
    try {
      const client = connectClient(server.wsUrl, timeline.id);
      await waitForSync(client);
      const direct = await server.collab.openDirect(timeline.id, 'Import bot');
      assert.equal(direct.doc, server.collab.peekDoc(timeline.id));

      let id = '';
      direct.transact((doc) => {
        id = createEvent(doc, {
          title: 'Imported',
          kind: 'point',
          start: '2001-01-01',
          lane: timeline.laneId,
        });
      });
      await waitFor(
        () => readEvents(client.doc).some((event) => event.id === id),
        'the client to receive the direct change',
      );
      const directUpdate = recorder.calls.find(
        (call) => call.hook === 'onUpdate' && call.connection?.direct,
      );
      assert.equal(directUpdate?.connection?.actor, 'Import bot');
      assert.equal((directUpdate?.origin as { actor?: string } | undefined)?.actor, 'Import bot');

      await direct.whenPersisted();
      const stored = await loadStoredDoc(store, timeline.id);
      assert.ok(
        readEvents(stored).some((event) => event.id === id),
        'the row is in the store',
      );
      stored.destroy();
      await waitFor(async () => {
        const activity = await store.listActivity(timeline.id, 10);
        return activity.some(
          (entry) =>
            entry.actor === 'Import bot' && entry.action === 'created' && entry.eventId === id,
        );
      }, 'the activity entry');

      // The websocket client leaves; the direct connection alone keeps the room loaded.
      client.destroy();
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(server.collab.health().rooms, 1);
      assert.ok(!recorder.calls.some((call) => call.hook === 'beforeUnload'));

      direct.release();
      direct.release();
      assert.throws(() => direct.transact(() => {}), /after release/);
      await waitFor(() => server.collab.health().rooms === 0, 'the room to unload');
      assert.equal(server.collab.peekDoc(timeline.id), null);
    } finally {
      await server.close();
    }
  });

  it('rejects a timeline that does not exist', async () => {
    const store = createMemoryStore();
    const server = await startCollabServer(store);
    try {
      await assert.rejects(server.collab.openDirect('missing', 'Ada'), NotFoundError);
    } finally {
      await server.close();
    }
  });
});
