import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import {
  decodeClientMessage,
  encodeAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  MessageType,
  ProtocolError,
} from '../../server/collab/protocol';

/** Builds a message the way a y-websocket client does: type varuint, then the body. */
function message(type: number, write: (encoder: encoding.Encoder) => void = () => {}): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

function bytes(...values: number[]): Uint8Array {
  return Uint8Array.from(values);
}

function docWithText(text: string): Y.Doc {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return doc;
}

function assertProtocolError(data: Uint8Array, messagePattern: RegExp): void {
  assert.throws(
    () => decodeClientMessage(data),
    (error: unknown) => {
      assert.ok(error instanceof ProtocolError, `expected a ProtocolError, got ${String(error)}`);
      assert.equal(error.name, 'ProtocolError');
      assert.match(error.message, messagePattern);
      return true;
    },
  );
}

/**
 * Plays the client side of a server→client sync message: strips the message type and lets
 * y-protocols handle the body. Returns the client's reply (empty if it has none).
 */
function clientReceives(doc: Y.Doc, data: Uint8Array): Uint8Array {
  const decoder = decoding.createDecoder(data);
  assert.equal(decoding.readVarUint(decoder), MessageType.sync);
  const reply = encoding.createEncoder();
  encoding.writeVarUint(reply, MessageType.sync);
  syncProtocol.readSyncMessage(decoder, reply, doc, 'server');
  assert.equal(decoding.hasContent(decoder), false);
  return encoding.length(reply) > 1 ? encoding.toUint8Array(reply) : new Uint8Array();
}

describe('decodeClientMessage', () => {
  it('decodes sync step 1 into the state vector', () => {
    const doc = docWithText('hello');
    const decoded = decodeClientMessage(
      message(MessageType.sync, (encoder) => syncProtocol.writeSyncStep1(encoder, doc)),
    );
    assert.equal(decoded.type, 'syncStep1');
    assert.ok(decoded.type === 'syncStep1');
    assert.deepEqual(decoded.stateVector, Y.encodeStateVector(doc));
  });

  it('decodes sync step 2 into an update that brings another doc up to date', () => {
    const client = docWithText('from client');
    const decoded = decodeClientMessage(
      message(MessageType.sync, (encoder) =>
        syncProtocol.writeSyncStep2(encoder, client, Y.encodeStateVector(new Y.Doc())),
      ),
    );
    assert.ok(decoded.type === 'update');
    const server = new Y.Doc();
    Y.applyUpdate(server, decoded.update);
    assert.equal(server.getText('t').toString(), 'from client');
  });

  it('decodes an incremental update', () => {
    const client = new Y.Doc();
    let update: Uint8Array | undefined;
    client.on('update', (u: Uint8Array) => {
      update = u;
    });
    client.getMap('m').set('key', 'value');
    assert.ok(update);
    const decoded = decodeClientMessage(
      message(MessageType.sync, (encoder) => syncProtocol.writeUpdate(encoder, update!)),
    );
    assert.deepEqual(decoded, { type: 'update', update });
    const server = new Y.Doc();
    Y.applyUpdate(server, (decoded as { update: Uint8Array }).update);
    assert.equal(server.getMap('m').get('key'), 'value');
  });

  it('decodes an awareness message into its awareness update', () => {
    const doc = new Y.Doc();
    const awareness = new awarenessProtocol.Awareness(doc);
    awareness.setLocalState({ user: { name: 'Ana' } });
    const update = awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]);
    const decoded = decodeClientMessage(
      message(MessageType.awareness, (encoder) => encoding.writeVarUint8Array(encoder, update)),
    );
    assert.deepEqual(decoded, { type: 'awareness', update });

    const other = new awarenessProtocol.Awareness(new Y.Doc());
    awarenessProtocol.applyAwarenessUpdate(other, (decoded as { update: Uint8Array }).update, null);
    assert.deepEqual(other.getStates().get(doc.clientID), { user: { name: 'Ana' } });
    awareness.destroy();
    other.destroy();
  });

  it('decodes a query-awareness message', () => {
    assert.deepEqual(decodeClientMessage(message(MessageType.queryAwareness)), {
      type: 'queryAwareness',
    });
  });

  it('decodes a message that is a view into a larger buffer', () => {
    const doc = docWithText('x');
    const inner = message(MessageType.sync, (encoder) => syncProtocol.writeSyncStep1(encoder, doc));
    const outer = new Uint8Array(inner.length + 20).fill(0xff);
    outer.set(inner, 10);
    const decoded = decodeClientMessage(outer.subarray(10, 10 + inner.length));
    assert.ok(decoded.type === 'syncStep1');
    assert.deepEqual(decoded.stateVector, Y.encodeStateVector(doc));
  });

  it('throws a ProtocolError for an empty buffer', () => {
    assertProtocolError(new Uint8Array(), /malformed message/);
  });

  it('throws a ProtocolError for an unknown message type', () => {
    assertProtocolError(bytes(9), /unknown message type 9/);
    assertProtocolError(bytes(9, 0, 0), /unknown message type 9/);
  });

  it('throws a ProtocolError for the auth message type, which clients do not send', () => {
    assertProtocolError(bytes(MessageType.auth, 0), /unknown message type 2/);
  });

  it('throws a ProtocolError for an unknown sync sub-type', () => {
    assertProtocolError(
      message(MessageType.sync, (encoder) => {
        encoding.writeVarUint(encoder, 7);
        encoding.writeVarUint8Array(encoder, bytes(0));
      }),
      /unknown sync message type 7/,
    );
  });

  it('throws a ProtocolError for a sync message without a sub-type or payload', () => {
    assertProtocolError(bytes(MessageType.sync), /malformed message/);
    assertProtocolError(bytes(MessageType.sync, syncProtocol.messageYjsUpdate), /malformed/);
  });

  it('throws a ProtocolError when the length prefix is larger than the data', () => {
    // sync, update, length 10, but only 3 bytes follow
    assertProtocolError(bytes(0, 2, 10, 1, 2, 3), /malformed message/);
    // awareness, length 5, 1 byte follows
    assertProtocolError(bytes(1, 5, 0), /malformed message/);
  });

  it('throws for a truncated payload in a view whose backing buffer has more bytes', () => {
    const outer = new Uint8Array(64).fill(0);
    outer.set([0, 2, 10, 1, 2, 3], 0);
    assertProtocolError(outer.subarray(0, 6), /malformed message/);
  });

  it('throws a ProtocolError for trailing bytes after a complete message', () => {
    const doc = docWithText('x');
    const valid = message(MessageType.sync, (encoder) => syncProtocol.writeSyncStep1(encoder, doc));
    const withTrailing = new Uint8Array(valid.length + 1);
    withTrailing.set(valid);
    assertProtocolError(withTrailing, /trailing bytes/);
    assertProtocolError(bytes(MessageType.queryAwareness, 0), /trailing bytes/);
    assertProtocolError(bytes(MessageType.awareness, 1, 0, 0), /trailing bytes/);
  });
});

describe('server messages sync a y-protocols client', () => {
  it('encodeSyncStep1 makes the client reply with what the server lacks', () => {
    const server = docWithText('server ');
    const client = docWithText('client');

    const reply = clientReceives(client, encodeSyncStep1(server));
    const decoded = decodeClientMessage(reply);
    assert.ok(decoded.type === 'update');
    Y.applyUpdate(server, decoded.update);

    const merged = server.getText('t').toString();
    assert.ok(merged === 'server client' || merged === 'clientserver ', merged);
    // Step 1 only asks the client for data; the client itself is unchanged.
    assert.equal(client.getText('t').toString(), 'client');
  });

  it('encodeSyncStep2 brings a client with the given state vector up to date', () => {
    const server = new Y.Doc();
    server.getMap('meta').set('title', 'Shared');
    const client = new Y.Doc();
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
    server.getText('t').insert(0, 'later');

    const reply = clientReceives(client, encodeSyncStep2(server, Y.encodeStateVector(client)));
    assert.equal(reply.length, 0);
    assert.equal(client.getMap('meta').get('title'), 'Shared');
    assert.equal(client.getText('t').toString(), 'later');
    assert.deepEqual(Y.encodeStateVector(client), Y.encodeStateVector(server));
  });

  it('encodeUpdate relays an incremental update that the client applies', () => {
    const server = new Y.Doc();
    const client = new Y.Doc();
    const updates: Uint8Array[] = [];
    server.on('update', (update: Uint8Array) => updates.push(update));
    server.getMap('events').set('e1', 'first');
    server.getMap('events').set('e2', 'second');

    for (const update of updates) clientReceives(client, encodeUpdate(update));
    assert.deepEqual(client.getMap('events').toJSON(), { e1: 'first', e2: 'second' });
  });

  it('encodeUpdate output is itself a valid client message', () => {
    const doc = docWithText('relay');
    const update = Y.encodeStateAsUpdate(doc);
    assert.deepEqual(decodeClientMessage(encodeUpdate(update)), { type: 'update', update });
  });

  it('encodeAwareness carries awareness states that another client can apply', () => {
    const doc = new Y.Doc();
    const awareness = new awarenessProtocol.Awareness(doc);
    awareness.setLocalState({ cursor: 3 });
    const data = encodeAwareness(awareness, [doc.clientID]);
    const decoded = decodeClientMessage(data);
    assert.ok(decoded.type === 'awareness');

    const other = new awarenessProtocol.Awareness(new Y.Doc());
    awarenessProtocol.applyAwarenessUpdate(other, decoded.update, null);
    assert.deepEqual(other.getStates().get(doc.clientID), { cursor: 3 });
    awareness.destroy();
    other.destroy();
  });
});
