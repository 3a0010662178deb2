/**
 * Chronoboard's opt-in extension of the y-websocket protocol, shared by browser and server:
 * a client sends `[4, token]` after its updates; the server answers `[4, token]` once everything it
 * had received up to that message is committed to the database. Plain y-websocket clients never
 * send message type 4, so they never receive it.
 */
import * as encoding from 'lib0/encoding';

export const PERSISTED_MESSAGE_TYPE = 4;

/** `[varUint 4, varUint token]` — the query (client → server) and its answer have the same form. */
export function encodePersistedMessage(token: number): Uint8Array<ArrayBuffer> {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, PERSISTED_MESSAGE_TYPE);
  encoding.writeVarUint(encoder, token);
  // A copy typed on a plain ArrayBuffer, which is what WebSocket.send accepts.
  return new Uint8Array(encoding.toUint8Array(encoder));
}
