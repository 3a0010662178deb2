/**
 * The collaboration websocket against misbehaving clients: each bad connection is closed on its
 * own, well-behaved clients in the same room keep syncing, and the stored document is untouched
 * by anything that failed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { CloseCode, MAX_FRAME_BYTES } from '../../lib/limits';
import { createEvent, readEvents } from '../../lib/timeline/model';
import { createMemoryStore } from '../../server/store/memoryStore';
import { connectClient, type TestClient, waitFor, waitForSync } from './helpers/clients';
import {
  createStoredTimeline,
  loadStoredDoc,
  startCollabServer,
  type TestCollabServer,
} from './helpers/collabServer';

function openRaw(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function closeCode(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once('close', (code) => resolve(code)));
}

function syncUpdateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

describe('collab protocol hardening', () => {
  const store = createMemoryStore();
  let server: TestCollabServer;
  let timeline: { id: string; laneId: string };
  let a: TestClient;
  let b: TestClient;

  before(async () => {
    timeline = await createStoredTimeline(store, 'hardening');
    server = await startCollabServer(store);
    a = connectClient(server.wsUrl, timeline.id);
    b = connectClient(server.wsUrl, timeline.id);
    await Promise.all([waitForSync(a), waitForSync(b)]);
  });

  after(async () => {
    a.destroy();
    b.destroy();
    await server.close();
  });

  /** A still converges with B after whatever the previous step did. */
  async function assertRoomStillSyncs(label: string) {
    const id = createEvent(a.doc, {
      title: label,
      kind: 'point',
      start: '2019-03-01',
      lane: timeline.laneId,
    });
    await waitFor(
      () => readEvents(b.doc).some((event) => event.id === id),
      `B to receive "${label}"`,
    );
  }

  it('closes a text frame with 1003 and the room carries on', async () => {
    const ws = await openRaw(`${server.wsUrl}/${timeline.id}`);
    const closed = closeCode(ws);
    ws.send('hello');
    assert.equal(await closed, CloseCode.unsupportedData);
    await assertRoomStillSyncs('after text frame');
  });

  it('closes undecodable binary messages with 1007', async () => {
    for (const bytes of [[], [9], [0, 7, 1, 2], [0, 2, 200, 1], [1, 255, 255, 255, 255, 15]]) {
      const ws = await openRaw(`${server.wsUrl}/${timeline.id}`);
      const closed = closeCode(ws);
      ws.send(new Uint8Array(bytes));
      assert.equal(await closed, CloseCode.invalidMessage, `bytes ${JSON.stringify(bytes)}`);
    }
    await assertRoomStillSyncs('after garbage');
  });

  it('refuses a corrupted update without touching the document or the store', async () => {
    await assertRoomStillSyncs('baseline');
    await waitFor(
      async () =>
        (await loadStoredDoc(store, timeline.id)).getMap('events').size ===
        readEvents(a.doc).length,
      'store to catch up',
    );
    const before = Y.encodeStateVector(await loadStoredDoc(store, timeline.id));

    // A real update whose delete set is corrupt (claims 5 entries, has none): Yjs integrates the
    // structs before it reads the delete set, so without decoding first this would half-apply.
    const scratch = new Y.Doc();
    scratch.getMap('events').set('x', 'y');
    const corrupted = Y.encodeStateAsUpdate(scratch);
    corrupted[corrupted.length - 1] = 5;
    const ws = await openRaw(`${server.wsUrl}/${timeline.id}`);
    const closed = closeCode(ws);
    ws.send(syncUpdateMessage(corrupted));
    assert.equal(await closed, CloseCode.invalidMessage);

    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(a.doc.getMap('events').has('x'), false, 'nothing relayed');
    assert.deepEqual(
      Y.encodeStateVector(await loadStoredDoc(store, timeline.id)),
      before,
      'store untouched',
    );
    await assertRoomStillSyncs('after corrupted update');
  });

  it('closes an oversized frame with 1009', async () => {
    const ws = await openRaw(`${server.wsUrl}/${timeline.id}`);
    const closed = closeCode(ws);
    ws.send(new Uint8Array(MAX_FRAME_BYTES + 1));
    assert.equal(await closed, CloseCode.messageTooBig);
    await assertRoomStillSyncs('after oversized frame');
  });

  it('closes bad paths with 4400 and unknown timelines with 4404', async () => {
    const bad = await openRaw(`${server.wsUrl}/${encodeURIComponent('../etc/passwd')}`);
    assert.equal(await closeCode(bad), CloseCode.badRoomName);
    const unknown = await openRaw(`${server.wsUrl}/nope`);
    assert.equal(await closeCode(unknown), CloseCode.timelineNotFound);
  });

  it('survives 2,000 random and mutated frames while a client keeps syncing', async () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const valid = syncUpdateMessage(Y.encodeStateAsUpdate(a.doc));
    for (let round = 0; round < 40; round++) {
      const ws = await openRaw(`${server.wsUrl}/${timeline.id}`);
      const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
      for (let i = 0; i < 50 && ws.readyState === WebSocket.OPEN; i++) {
        const frame =
          random() < 0.5
            ? Uint8Array.from({ length: Math.floor(random() * 64) }, () =>
                Math.floor(random() * 256),
              )
            : valid.map((byte) => (random() < 0.02 ? Math.floor(random() * 256) : byte));
        ws.send(frame);
      }
      ws.close();
      await closed;
    }
    await assertRoomStillSyncs('after fuzzing');
    assert.equal(JSON.stringify(readEvents(a.doc)), JSON.stringify(readEvents(b.doc)));
  });
});

describe('collab server when storage fails to load', () => {
  it('refuses clients with 4503 instead of serving an empty document, and recovers', async () => {
    const store = createMemoryStore();
    const timeline = await createStoredTimeline(store, 'flaky');
    const server = await startCollabServer(store);
    try {
      store.failing = true;
      const ws = await openRaw(`${server.wsUrl}/${timeline.id}`);
      assert.equal(await closeCode(ws), CloseCode.loadFailed);
      store.failing = false;
      const client = connectClient(server.wsUrl, timeline.id);
      await waitForSync(client);
      assert.equal(client.doc.getMap('meta').get('title'), 'Timeline flaky');
      client.destroy();
    } finally {
      await server.close();
    }
  });

  it('keeps updates while writes fail and persists them when storage returns', async () => {
    const store = createMemoryStore();
    const timeline = await createStoredTimeline(store, 'outage');
    const server = await startCollabServer(store, { persistence: { maxRetryDelayMs: 100 } });
    const a = connectClient(server.wsUrl, timeline.id);
    const b = connectClient(server.wsUrl, timeline.id);
    try {
      await Promise.all([waitForSync(a), waitForSync(b)]);
      store.failing = true;
      const id = createEvent(a.doc, {
        title: 'During outage',
        kind: 'point',
        start: '2019-02-19',
        lane: timeline.laneId,
      });
      // Clients keep syncing with each other through the server during the outage.
      await waitFor(
        () => readEvents(b.doc).some((event) => event.id === id),
        'B to receive the edit',
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      store.failing = false;
      await waitFor(
        async () => (await loadStoredDoc(store, timeline.id)).getMap('events').has(id),
        'edit persisted after recovery',
      );
    } finally {
      a.destroy();
      b.destroy();
      await server.close();
    }
  });
});
