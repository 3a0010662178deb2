/**
 * The server side of the y-websocket protocol: binary messages whose first varuint is the
 * message type (0 sync, 1 awareness, 3 query awareness). Sync messages carry a second varuint:
 * step 1 (a state vector), step 2 (the missing updates) or an incremental update.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import type * as Y from 'yjs';
import { encodeNotice, NOTICE_MESSAGE_TYPE } from '../../lib/noticeMessage';
import { encodePersistedMessage, PERSISTED_MESSAGE_TYPE } from '../../lib/persistedMessage';

export const MessageType = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
  /** Chronoboard's opt-in save acknowledgement (see lib/persistedMessage.ts). */
  persisted: PERSISTED_MESSAGE_TYPE,
  /** Chronoboard's opt-in notices of changes outside the document (see lib/noticeMessage.ts). */
  notice: NOTICE_MESSAGE_TYPE,
} as const;

/** What a decoded client message asks the room to do. */
export type ClientMessage =
  | { type: 'syncStep1'; stateVector: Uint8Array }
  /** `empty` is known once the update was decoded by the update guard (./updateGuard.ts). */
  | { type: 'update'; update: Uint8Array; empty?: boolean }
  | { type: 'awareness'; update: Uint8Array }
  | { type: 'queryAwareness' }
  | { type: 'persistedQuery'; token: number }
  | { type: 'noticeSubscribe' };

/** Raised for a message that does not follow the protocol; the connection is then closed. */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

/**
 * Decodes one client message without touching any document, so a malformed message can be
 * refused before anything is applied. Trailing bytes are an error: a well-formed client never
 * sends them.
 */
export function decodeClientMessage(data: Uint8Array): ClientMessage {
  try {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    let message: ClientMessage;
    switch (type) {
      case MessageType.sync: {
        const syncType = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder);
        if (syncType === syncProtocol.messageYjsSyncStep1) {
          message = { type: 'syncStep1', stateVector: payload };
        } else if (
          syncType === syncProtocol.messageYjsSyncStep2 ||
          syncType === syncProtocol.messageYjsUpdate
        ) {
          message = { type: 'update', update: payload };
        } else {
          throw new ProtocolError(`unknown sync message type ${syncType}`);
        }
        break;
      }
      case MessageType.awareness:
        message = { type: 'awareness', update: decoding.readVarUint8Array(decoder) };
        break;
      case MessageType.queryAwareness:
        message = { type: 'queryAwareness' };
        break;
      case MessageType.persisted:
        message = { type: 'persistedQuery', token: decoding.readVarUint(decoder) };
        break;
      case MessageType.notice:
        // No payload: anything after the type is refused as trailing bytes below.
        message = { type: 'noticeSubscribe' };
        break;
      default:
        throw new ProtocolError(`unknown message type ${type}`);
    }
    if (decoding.hasContent(decoder)) throw new ProtocolError('trailing bytes after message');
    return message;
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    throw new ProtocolError(`malformed message: ${(error as Error).message}`);
  }
}

/** Sync step 1: the server's state vector, asking the client for what the server lacks. */
export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  syncProtocol.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}

/** Sync step 2: everything in `doc` that a client with `stateVector` lacks. */
export function encodeSyncStep2(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  syncProtocol.writeSyncStep2(encoder, doc, stateVector);
  return encoding.toUint8Array(encoder);
}

/**
 * Sync step 2 carrying `update` as it is: the answer to a sync request when the update is already
 * known to hold what the client lacks (see `encodeSyncStep2`).
 */
export function encodeSyncStep2Update(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** Whether a state vector is empty: the client has nothing of the document yet. */
export function isEmptyStateVector(stateVector: Uint8Array): boolean {
  // A state vector is a count of clients followed by that many (client, clock) pairs.
  return stateVector.byteLength === 1 && stateVector[0] === 0;
}

/** An incremental document update, relayed to the other clients. */
export function encodeUpdate(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** The awareness states of `clients`. */
export function encodeAwareness(
  awareness: awarenessProtocol.Awareness,
  clients: number[],
): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.awareness);
  encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
  return encoding.toUint8Array(encoder);
}

/** Tells a client that everything up to its `token` query is committed. */
export const encodePersistedAck = encodePersistedMessage;

/** A notice for clients that subscribed (lib/noticeMessage.ts). */
export { encodeNotice };
