/**
 * How a room relays document updates (server/collab/room.ts): updates applied in the same
 * event-loop turn reach each reader as one frame, a writer never gets its own edits back, and a
 * later awareness change is never delivered before the updates applied ahead of it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as decoding from 'lib0/decoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { createEvent, createLane, initializeTimeline, readEvents } from '../../lib/timeline/model';
import { ExtensionRunner, type RoomConnection } from '../../server/collab/extension';
import { MessageType } from '../../server/collab/protocol';
import { Room } from '../../server/collab/room';
import { createLogger } from '../../server/log';

/** A connection that records what the room sends it, decoded to (type, payload). */
function recordingConnection(readOnly = false) {
  const received: { type: 'update' | 'awareness' | 'other'; payload: Uint8Array }[] = [];
  const connection: RoomConnection = {
    readOnly,
    send(message) {
      const decoder = decoding.createDecoder(message);
      const type = decoding.readVarUint(decoder);
      if (type === MessageType.sync) {
        const syncType = decoding.readVarUint(decoder);
        // 2: an incremental update; 0/1 are the sync handshake.
        received.push({
          type: syncType === 2 ? 'update' : 'other',
          payload: decoding.readVarUint8Array(decoder),
        });
      } else if (type === MessageType.awareness) {
        received.push({ type: 'awareness', payload: decoding.readVarUint8Array(decoder) });
      } else received.push({ type: 'other', payload: message });
    },
  };
  return { connection, received, updates: () => received.filter((m) => m.type === 'update') };
}

async function newRoom(): Promise<{ room: Room; lane: string; base: Y.Doc }> {
  const base = new Y.Doc();
  const [lane] = initializeTimeline(base, { title: 'Broadcast', lanes: [{ title: 'Lane' }] });
  const room = await Room.load(
    'broadcast',
    { updates: [Y.encodeStateAsUpdate(base)], lastUpdateId: 0n },
    new ExtensionRunner([], createLogger('error')),
    createLogger('error'),
  );
  return { room, lane: lane!, base };
}

/** An update that creates one event titled `title`, made on a copy of the room's document. */
function eventUpdate(base: Y.Doc, lane: string, title: string, clientID: number): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
  const before = Y.encodeStateVector(doc);
  createEvent(doc, { title, kind: 'point', start: '2019-02-27T00:00:00.000Z', lane });
  return Y.encodeStateAsUpdate(doc, before);
}

function titlesIn(base: Y.Doc, updates: Uint8Array[]): string[] {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
  for (const update of updates) Y.applyUpdate(doc, update);
  return readEvents(doc)
    .map((event) => event.title)
    .sort();
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('room broadcast', () => {
  it('relays the updates of one turn as one frame; writers do not get their own edits back', async () => {
    const { room, lane, base } = await newRoom();
    const a = recordingConnection();
    const b = recordingConnection();
    const reader = recordingConnection(true);
    for (const c of [a, b, reader]) room.addConnection(c.connection);

    room.handleMessage(a.connection, { type: 'update', update: eventUpdate(base, lane, 'A1', 11) });
    room.handleMessage(b.connection, { type: 'update', update: eventUpdate(base, lane, 'B1', 22) });
    room.handleMessage(a.connection, { type: 'update', update: eventUpdate(base, lane, 'A2', 12) });
    // Nothing is relayed before the turn ends…
    assert.equal(reader.updates().length, 0);
    await nextTurn();
    // …then one frame per connection.
    assert.equal(reader.updates().length, 1);
    assert.deepEqual(
      titlesIn(
        base,
        reader.updates().map((m) => m.payload),
      ),
      ['A1', 'A2', 'B1'],
    );
    assert.equal(a.updates().length, 1);
    assert.deepEqual(
      titlesIn(
        base,
        a.updates().map((m) => m.payload),
      ),
      ['B1'],
    );
    assert.equal(b.updates().length, 1);
    assert.deepEqual(
      titlesIn(
        base,
        b.updates().map((m) => m.payload),
      ),
      ['A1', 'A2'],
    );

    // A lone edit in a later turn: only the others get it.
    room.handleMessage(b.connection, { type: 'update', update: eventUpdate(base, lane, 'B2', 23) });
    await nextTurn();
    assert.equal(b.updates().length, 1);
    assert.equal(reader.updates().length, 2);
    assert.deepEqual(
      titlesIn(
        base,
        reader.updates().map((m) => m.payload),
      ),
      ['A1', 'A2', 'B1', 'B2'],
    );
    await room.destroy(true);
  });

  it('sends the pending updates before a later awareness change', async () => {
    const { room, lane, base } = await newRoom();
    const writer = recordingConnection();
    const reader = recordingConnection(true);
    room.addConnection(writer.connection);
    room.addConnection(reader.connection);

    room.handleMessage(writer.connection, {
      type: 'update',
      update: eventUpdate(base, lane, 'Selected', 33),
    });
    const presence = new awarenessProtocol.Awareness(new Y.Doc());
    presence.setLocalState({ user: { name: 'Ana' }, selection: ['whatever'] });
    room.handleMessage(writer.connection, {
      type: 'awareness',
      update: awarenessProtocol.encodeAwarenessUpdate(presence, [presence.clientID]),
    });
    const kinds = reader.received.map((m) => m.type).filter((t) => t !== 'other');
    assert.deepEqual(kinds, ['update', 'awareness']);
    await nextTurn();
    // Flushed once: the turn's end sends nothing more.
    assert.equal(reader.updates().length, 1);
    presence.destroy();
    await room.destroy(true);
  });

  it('relays a burst of 500 edits in one turn as one frame that applies to the same document', async () => {
    const { room, base } = await newRoom();
    const writer = recordingConnection();
    const reader = recordingConnection(true);
    room.addConnection(writer.connection);
    room.addConnection(reader.connection);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
    doc.on('update', (update: Uint8Array) =>
      room.handleMessage(writer.connection, { type: 'update', update }),
    );
    const lane = createLane(doc, { title: 'Burst' });
    for (let i = 0; i < 500; i++) {
      createEvent(doc, { title: `E${i}`, kind: 'point', start: '2019-01-01T00:00:00.000Z', lane });
    }
    await nextTurn();
    assert.equal(reader.updates().length, 1);
    assert.equal(titlesIn(base, [reader.updates()[0]!.payload]).length, 500);
    assert.deepEqual(Y.encodeStateVector(room.doc), Y.encodeStateVector(doc));
    await room.destroy(true);
  });

  it('builds no frame when only direct connections are in the room', async () => {
    const { room, lane, base } = await newRoom();
    let sent = 0;
    const direct: RoomConnection = { readOnly: false, direct: true, send: () => sent++ };
    room.addConnection(direct);
    room.handleMessage(direct, { type: 'update', update: eventUpdate(base, lane, 'Alone', 44) });
    await nextTurn();
    assert.equal(sent, 0);
    // A reader joining later syncs the document itself.
    const reader = recordingConnection(true);
    room.addConnection(reader.connection);
    await nextTurn();
    assert.equal(reader.updates().length, 0);
    assert.equal(titlesIn(base, [Y.encodeStateAsUpdate(room.doc)]).length, 1);
    await room.destroy(true);
  });
});
