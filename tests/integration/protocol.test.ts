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
import { CloseCode, MAX_AWARENESS_BYTES, MAX_FRAME_BYTES } from '../../lib/limits';
import { createEvent, readEvents } from '../../lib/timeline/model';
import { GUARDED_UPDATE_BYTES } from '../../server/collab/server';
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

  it('survives 10,000 random and mutated frames while a client keeps syncing', async () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const valid = syncUpdateMessage(Y.encodeStateAsUpdate(a.doc));
    for (let round = 0; round < 200; round++) {
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

describe('unsaved backlog bound', () => {
  it('refuses edits past the bound with 4507, and the client’s edits arrive once storage returns', async () => {
    const store = createMemoryStore();
    const timeline = await createStoredTimeline(store, 'backlog');
    const server = await startCollabServer(store, {
      persistence: { maxUnpersistedBytes: 2_000, maxRetryDelayMs: 100 },
    });
    const client = connectClient(server.wsUrl, timeline.id);
    try {
      await waitForSync(client);
      const codes: number[] = [];
      client.provider.on('connection-close', (event: CloseEvent | null) =>
        codes.push(event?.code ?? 0),
      );
      store.failing = true;
      for (let i = 0; i < 40; i++) {
        createEvent(client.doc, {
          title: `backlog ${i} ${'x'.repeat(80)}`,
          kind: 'point',
          start: '2019-02-18',
          lane: timeline.laneId,
        });
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await waitFor(
        () => codes.includes(CloseCode.storageBacklog),
        'the room to refuse further edits',
      );
      const { unpersistedBytes } = server.collab.health();
      assert.ok(unpersistedBytes < 2_000 + 1_000, 'backlog stays near its bound');

      store.failing = false;
      // The provider reconnects by itself and its sync step 2 carries what was refused.
      await waitFor(
        async () => (await loadStoredDoc(store, timeline.id)).getMap('events').size === 40,
        'all 40 edits stored',
        15_000,
      );
    } finally {
      client.destroy();
      await server.close();
    }
  });
});

describe('read-only connections and refused credentials', () => {
  const store = createMemoryStore();
  let server: TestCollabServer;
  let timeline: { id: string; laneId: string };
  const viewUrl = () => `${server.wsUrl}/${timeline.id}?token=view`;

  before(async () => {
    timeline = await createStoredTimeline(store, 'readonly');
    server = await startCollabServer(store, {
      // Stand-in for accounts and share links: the token in the query string decides.
      authorize: async (request) => {
        const token = new URL(request.url ?? '/', 'http://x').searchParams.get('token');
        if (token === 'edit') return { mode: 'edit' };
        if (token === 'view') return { mode: 'view' };
        return { refuse: 4401, reason: 'no token' };
      },
    });
  });
  after(() => server.close());

  it('drops a viewer’s updates: nothing applied, relayed or stored; repeated attempts close 4403', async () => {
    const editor = connectClient(server.wsUrl, timeline.id, undefined, { token: 'edit' });
    await waitForSync(editor);
    const storedBefore = Y.encodeStateAsUpdate(await loadStoredDoc(store, timeline.id));
    const received: Uint8Array[] = [];
    editor.doc.on('update', (update: Uint8Array) => received.push(update));

    const ws = await openRaw(viewUrl());
    const closed = closeCode(ws);
    const forged = new Y.Doc();
    forged.getMap('events').set('forged', 'by a viewer');
    for (let i = 0; i < 3; i++) {
      forged.getMap('meta').set('title', `forged ${i}`);
      ws.send(syncUpdateMessage(Y.encodeStateAsUpdate(forged)));
    }
    assert.equal(await closed, CloseCode.forbidden);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(received.length, 0, 'nothing relayed to the editor');
    assert.equal(editor.doc.getMap('events').has('forged'), false);
    assert.deepEqual(Y.encodeStateAsUpdate(await loadStoredDoc(store, timeline.id)), storedBefore);
    editor.destroy();
  });

  it('lets a viewer follow edits live (a manager’s dashboard)', async () => {
    const editor = connectClient(server.wsUrl, timeline.id, undefined, { token: 'edit' });
    const viewer = connectClient(server.wsUrl, timeline.id, undefined, { token: 'view' });
    await Promise.all([waitForSync(editor), waitForSync(viewer)]);
    const id = createEvent(editor.doc, {
      title: 'Live for managers',
      kind: 'point',
      start: '2019-03-10',
      lane: timeline.laneId,
    });
    await waitFor(
      () => readEvents(viewer.doc).some((event) => event.id === id),
      'viewer to see the edit',
    );
    // The viewer's own local change never reaches the editor.
    createEvent(viewer.doc, {
      title: 'Viewer scribble',
      kind: 'point',
      start: '2019-03-11',
      lane: timeline.laneId,
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(
      readEvents(editor.doc).some((event) => event.title === 'Viewer scribble'),
      false,
    );
    editor.destroy();
    viewer.destroy();
  });

  it('refuses missing or bad credentials with 4401 before sending any document byte', async () => {
    for (const query of ['', '?token=bad']) {
      const ws = await openRaw(`${server.wsUrl}/${timeline.id}${query}`);
      let messages = 0;
      ws.on('message', () => messages++);
      assert.equal(await closeCode(ws), CloseCode.unauthorized);
      assert.equal(messages, 0);
    }
  });
});

describe('connection limits', () => {
  it('closes a connection that sends too many messages per second with 4429', async () => {
    const store = createMemoryStore();
    const timeline = await createStoredTimeline(store, 'flood');
    const server = await startCollabServer(store);
    const bystander = connectClient(server.wsUrl, timeline.id);
    try {
      await waitForSync(bystander);
      const ws = await openRaw(`${server.wsUrl}/${timeline.id}`);
      const closed = closeCode(ws);
      const queryAwareness = new Uint8Array([3]);
      for (let i = 0; i < 5_000 && ws.readyState === WebSocket.OPEN; i++) ws.send(queryAwareness);
      assert.equal(await closed, CloseCode.tooManyMessages);
      // Ordinary use is far below the limit and keeps working.
      createEvent(bystander.doc, {
        title: 'still fine',
        kind: 'point',
        start: '2019-02-01',
        lane: timeline.laneId,
      });
      await waitFor(
        async () => (await loadStoredDoc(store, timeline.id)).getMap('events').size === 1,
        'edit stored',
      );
    } finally {
      bystander.destroy();
      await server.close();
    }
  });

  it('answers upgrades beyond the per-address limit with HTTP 429', async () => {
    const store = createMemoryStore();
    const timeline = await createStoredTimeline(store, 'per-ip');
    const server = await startCollabServer(store, { maxConnectionsPerIp: 3 });
    try {
      const open = await Promise.all(
        [1, 2, 3].map(() => openRaw(`${server.wsUrl}/${timeline.id}`)),
      );
      const status = await new Promise<number>((resolve) => {
        const ws = new WebSocket(`${server.wsUrl}/${timeline.id}`);
        ws.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
        ws.on('open', () => resolve(101));
        ws.on('error', () => {});
      });
      assert.equal(status, 429);
      const first = open[0]!;
      const gone = closeCode(first);
      first.close();
      await gone;
      await waitFor(async () => {
        try {
          const ws = await openRaw(`${server.wsUrl}/${timeline.id}`);
          ws.close();
          return true;
        } catch {
          return false;
        }
      }, 'a slot to free up');
      for (const ws of open) ws.close();
    } finally {
      await server.close();
    }
  });

  it('decodes large updates under the guard’s time limit, small ones directly', async () => {
    const store = createMemoryStore();
    const timeline = await createStoredTimeline(store, 'guarded');
    // A decoder that cannot even start (1 MB of heap) refuses whatever is sent to it, however
    // fast the machine: which updates get refused shows which path they took.
    const server = await startCollabServer(store, {
      updateGuard: { timeoutMs: 1, maxHeapMb: 1 },
    });
    const client = connectClient(server.wsUrl, timeline.id);
    try {
      await waitForSync(client);
      const big = new Y.Doc();
      big.getMap('events').set('big', 'x'.repeat(GUARDED_UPDATE_BYTES));
      const ws = await openRaw(`${server.wsUrl}/${timeline.id}`);
      const closed = closeCode(ws);
      ws.send(syncUpdateMessage(Y.encodeStateAsUpdate(big)));
      assert.equal(await closed, CloseCode.invalidMessage);
      assert.equal((await loadStoredDoc(store, timeline.id)).getMap('events').has('big'), false);
      // Ordinary edits never wait for the worker.
      createEvent(client.doc, {
        title: 'small',
        kind: 'point',
        start: '2019-02-01',
        lane: timeline.laneId,
      });
      await waitFor(
        async () => (await loadStoredDoc(store, timeline.id)).getMap('events').size === 1,
        'small edit stored',
      );
    } finally {
      client.destroy();
      await server.close();
    }
  });

  it('closes an oversized awareness update with 1007', async () => {
    const store = createMemoryStore();
    const timeline = await createStoredTimeline(store, 'awareness');
    const server = await startCollabServer(store);
    try {
      const ws = await openRaw(`${server.wsUrl}/${timeline.id}`);
      const closed = closeCode(ws);
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 1);
      encoding.writeVarUint8Array(encoder, new Uint8Array(MAX_AWARENESS_BYTES + 1));
      ws.send(encoding.toUint8Array(encoder));
      assert.equal(await closed, CloseCode.invalidMessage);
    } finally {
      await server.close();
    }
  });
});
