/**
 * Loading a big room: the stored rows are applied a slice at a time (the event loop keeps
 * turning), and a newcomer with nothing is sent the stored rows while the room still loads,
 * instead of once it has applied and re-encoded them (seconds at 100,000 events). The rows are
 * applied a while after that answer (`DEFER_LOAD_MS`, while the newcomer's browser loads the page
 * from the same process), at once if anything needs the room: a write, a client with part of the
 * document, a server-side writer.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { buildEventMap, createEvent, getEventsMap, readEvents } from '../../lib/timeline/model';
import { DEFER_LOAD_MS } from '../../server/collab/rooms';
import { createMemoryStore } from '../../server/store/memoryStore';
import { connectClient, waitFor, waitForSync } from './helpers/clients';
import {
  createStoredTimeline,
  loadStoredDoc,
  startCollabServer,
  type TestCollabServer,
} from './helpers/collabServer';

const EVENTS = 8_000;

interface Received {
  syncType: number;
  payload: Uint8Array;
}

/** A raw client: sends its sync request on open, records every sync message in order. */
function rawClient(url: string, doc: Y.Doc) {
  const received: Received[] = [];
  const ws = new WebSocket(url);
  ws.binaryType = 'nodebuffer';
  ws.on('open', () => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    syncProtocol.writeSyncStep1(encoder, doc);
    ws.send(encoding.toUint8Array(encoder));
  });
  ws.on('message', (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data));
    if (decoding.readVarUint(decoder) !== 0) return;
    const syncType = decoding.readVarUint(decoder);
    received.push({ syncType, payload: decoding.readVarUint8Array(decoder) });
  });
  return { ws, received };
}

const firstIndex = (received: Received[], syncType: number) =>
  received.findIndex((message) => message.syncType === syncType);

/** Logs one big row (a bulk write of EVENTS events) after the timeline's creation row. */
async function appendBigRow(
  store: ReturnType<typeof createMemoryStore>,
  timeline: { id: string; laneId: string },
  prefix: string,
) {
  const doc = await loadStoredDoc(store, timeline.id);
  const before = Y.encodeStateVector(doc);
  doc.transact(() => {
    const events = getEventsMap(doc);
    for (let i = 0; i < EVENTS; i++) {
      events.set(
        `${prefix}${i}`,
        buildEventMap({
          title: `Event ${i}`,
          kind: 'point',
          start: new Date(Date.UTC(2019, 0, 1) + i * 3_600_000).toISOString(),
          lane: timeline.laneId,
        }),
      );
    }
  });
  await store.appendUpdate(timeline.id, Y.encodeStateAsUpdate(doc, before), {
    title: 'big',
    eventCount: EVENTS,
  });
}

describe('loading a big room', () => {
  const store = createMemoryStore();
  let server: TestCollabServer;
  let timeline: { id: string; laneId: string };

  before(async () => {
    timeline = await createStoredTimeline(store, 'bigload');
    // One big logged row (a bulk write) after the creation row: a few megabytes, many slices.
    await appendBigRow(store, timeline, 'load');
    server = await startCollabServer(store, { idleMs: 20 });
  });

  after(async () => {
    await server.close();
  });

  /** Waits until the room has unloaded, so the next connection loads it again. */
  async function roomUnloaded() {
    await waitFor(() => server.collab.peekDoc(timeline.id) === null, 'the room to unload');
  }

  it('sends a newcomer the stored rows before the room is ready, then only what is missing', async () => {
    await roomUnloaded();
    const opened = performance.now();
    const doc = new Y.Doc();
    const client = rawClient(`${server.wsUrl}/${timeline.id}`, doc);
    // Ticks of a 1 ms timer while the room loads: the load yields to the event loop.
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 1);
    try {
      await waitFor(
        () => firstIndex(client.received, syncProtocol.messageYjsSyncStep1) >= 0,
        'the server to join the client (its sync request)',
        30_000,
      );
    } finally {
      clearInterval(ticker);
    }
    await waitFor(
      () =>
        client.received.filter((m) => m.syncType === syncProtocol.messageYjsSyncStep2).length >= 2,
      'the answer to the queued request after the join',
    );
    const { received } = client;
    const stepOne = firstIndex(received, syncProtocol.messageYjsSyncStep1);
    const stepTwo = firstIndex(received, syncProtocol.messageYjsSyncStep2);
    // The server sends its own sync request when the connection joins the loaded room: the
    // stored rows came before it, so while the room was still loading.
    assert.ok(
      stepTwo >= 0 && stepTwo < stepOne,
      `answered before the join: ${JSON.stringify(received.map((m) => m.syncType))}`,
    );
    assert.ok(received[stepTwo]!.payload.byteLength > 500_000, 'the big row is the sync answer');
    // After the join only what the room holds beyond the stored rows: nothing here.
    const later = received
      .slice(stepOne)
      .find((m) => m.syncType === syncProtocol.messageYjsSyncStep2)!;
    assert.ok(
      later.payload.byteLength < 64,
      `the later answer is empty (${later.payload.byteLength} bytes)`,
    );
    assert.ok(ticks >= 3, `the event loop turned while the room loaded (${ticks} ticks)`);
    // Nothing but presence came from this client: the room was applied after the wait.
    const joinedAfter = performance.now() - opened;
    assert.ok(joinedAfter >= DEFER_LOAD_MS, `joined after ${Math.round(joinedAfter)} ms`);

    for (const message of received) {
      if (message.syncType !== syncProtocol.messageYjsSyncStep1)
        Y.applyUpdate(doc, message.payload);
    }
    const stored = await loadStoredDoc(store, timeline.id);
    assert.equal(readEvents(doc).length, EVENTS);
    assert.deepEqual(Y.encodeStateVector(doc), Y.encodeStateVector(stored));
    client.ws.close();
  });

  it('answers a client that already has the document from the room, after the join', async () => {
    await roomUnloaded();
    const doc = await loadStoredDoc(store, timeline.id);
    const client = rawClient(`${server.wsUrl}/${timeline.id}`, doc);
    await waitFor(
      () => firstIndex(client.received, syncProtocol.messageYjsSyncStep2) >= 0,
      'the answer',
      30_000,
    );
    const { received } = client;
    assert.ok(
      firstIndex(received, syncProtocol.messageYjsSyncStep1) <
        firstIndex(received, syncProtocol.messageYjsSyncStep2),
      'the usual order: the join, then the answer',
    );
    assert.ok(
      received.every((m) => m.payload.byteLength < 64),
      'nothing it already had is sent',
    );
    client.ws.close();
  });

  it('two browsers that open a cold room together both load it early and edit together', async () => {
    await roomUnloaded();
    const a = connectClient(server.wsUrl, timeline.id);
    const b = connectClient(server.wsUrl, timeline.id);
    try {
      await Promise.all([waitForSync(a, 30_000), waitForSync(b, 30_000)]);
      await waitFor(() => readEvents(a.doc).length >= EVENTS, 'A to hold every event');
      await waitFor(() => readEvents(b.doc).length >= EVENTS, 'B to hold every event');
      const id = createEvent(a.doc, {
        title: 'After the early answer',
        kind: 'point',
        start: '2019-03-01',
        lane: timeline.laneId,
      });
      await waitFor(() => readEvents(b.doc).some((event) => event.id === id), 'B to see A’s edit');
      await waitFor(
        async () => readEvents(await loadStoredDoc(store, timeline.id)).some((e) => e.id === id),
        'the edit to be stored',
      );
    } finally {
      a.destroy();
      b.destroy();
    }
  });
});

describe('a big room waits before applying its stored rows, unless something needs it', () => {
  const store = createMemoryStore();
  let server: TestCollabServer;
  let timeline: { id: string; laneId: string };
  // Far longer than any test here waits: only a hurry gets the room applied in time.
  const WAIT_MS = 120_000;

  before(async () => {
    timeline = await createStoredTimeline(store, 'bigwait');
    await appendBigRow(store, timeline, 'wait');
  });

  after(async () => {
    await server?.close();
  });

  async function freshServer() {
    await server?.close();
    server = await startCollabServer(store, { idleMs: 20, deferLoadMs: WAIT_MS });
  }

  /** A newcomer with nothing, holding the stored rows it was sent. */
  async function newcomer() {
    const doc = new Y.Doc();
    const client = rawClient(`${server.wsUrl}/${timeline.id}`, new Y.Doc());
    await waitFor(
      () => firstIndex(client.received, syncProtocol.messageYjsSyncStep2) >= 0,
      'the stored rows',
      30_000,
    );
    for (const message of client.received) {
      if (message.syncType !== syncProtocol.messageYjsSyncStep1)
        Y.applyUpdate(doc, message.payload);
    }
    return { ...client, doc };
  }

  it('a newcomer has the document while the room waits; its edit ends the wait and is stored', async () => {
    await freshServer();
    const client = await newcomer();
    assert.equal(readEvents(client.doc).length, EVENTS);
    // Presence alone does not end the wait.
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(server.collab.peekDoc(timeline.id), null, 'the room is not applied yet');
    assert.equal(server.collab.health().rooms, 0);

    let update: Uint8Array | null = null;
    client.doc.on('update', (u: Uint8Array) => {
      update = u;
    });
    const id = createEvent(client.doc, {
      title: 'Written while the room waited',
      kind: 'point',
      start: '2019-03-01',
      lane: timeline.laneId,
    });
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    syncProtocol.writeUpdate(encoder, update!);
    client.ws.send(encoding.toUint8Array(encoder));
    await waitFor(
      () => readEvents(server.collab.peekDoc(timeline.id) ?? new Y.Doc()).some((e) => e.id === id),
      'the room to apply the edit',
      30_000,
    );
    await waitFor(
      async () => readEvents(await loadStoredDoc(store, timeline.id)).some((e) => e.id === id),
      'the edit to be stored',
    );
    assert.equal(readEvents(server.collab.peekDoc(timeline.id)!).length, EVENTS + 1);
    client.ws.close();
  });

  it('a client with part of the document ends the wait: it gets the rest', async () => {
    await freshServer();
    const waiting = await newcomer();
    const partial = new Y.Doc();
    const [first] = (await store.loadDoc(timeline.id))!.updates;
    Y.applyUpdate(partial, first!);
    const client = rawClient(`${server.wsUrl}/${timeline.id}`, partial);
    await waitFor(
      () => firstIndex(client.received, syncProtocol.messageYjsSyncStep2) >= 0,
      'the answer from the room',
      30_000,
    );
    for (const message of client.received) {
      if (message.syncType === syncProtocol.messageYjsSyncStep2)
        Y.applyUpdate(partial, message.payload);
    }
    const stored = await loadStoredDoc(store, timeline.id);
    assert.equal(readEvents(partial).length, readEvents(stored).length);
    assert.ok(readEvents(partial).length >= EVENTS);
    assert.notEqual(server.collab.peekDoc(timeline.id), null);
    client.ws.close();
    waiting.ws.close();
  });

  it('a server-side writer ends the wait', async () => {
    await freshServer();
    const waiting = await newcomer();
    const asked = performance.now();
    const direct = await server.collab.openDirect(timeline.id, 'script');
    const tookMs = performance.now() - asked;
    try {
      assert.ok(tookMs < WAIT_MS / 4, `the room was ready after ${Math.round(tookMs)} ms`);
      const stored = await loadStoredDoc(store, timeline.id);
      assert.equal(readEvents(direct.doc).length, readEvents(stored).length);
      assert.ok(readEvents(direct.doc).length >= EVENTS);
    } finally {
      direct.release();
      waiting.ws.close();
    }
  });
});
