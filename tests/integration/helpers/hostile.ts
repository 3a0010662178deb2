/**
 * Hand-made y-websocket clients for hostile-client tests: raw sockets that send exactly the
 * bytes an attacker would, and read (or refuse to read) what the server sends back.
 */
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import {
  type AwarenessEntry,
  encodeAwarenessEntries,
} from '../../../server/collab/awarenessFilter';

export interface RawSocket {
  ws: WebSocket;
  /** Resolves with the close code, whenever the socket closes. */
  closed: Promise<number>;
  /** Resolves once the server sent anything (it was authorized and joined its room). */
  admitted: Promise<void>;
}

/** Opens a raw websocket and resolves once the handshake is done (or rejects with its error). */
export function openRawSocket(
  url: string,
  options: ConstructorParameters<typeof WebSocket>[2] = {},
): Promise<RawSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    const closed = new Promise<number>((done) => ws.once('close', (code) => done(code)));
    const admitted = new Promise<void>((done) => ws.once('message', () => done()));
    ws.on('error', () => {});
    ws.once('open', () => resolve({ ws, closed, admitted }));
    ws.once('unexpected-response', (_request, response) =>
      reject(new Error(`unexpected response ${response.statusCode}`)),
    );
    ws.once('error', reject);
  });
}

/** A y-websocket awareness message (type 1) carrying `entries`. */
export function awarenessMessage(entries: AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint8Array(encoder, encodeAwarenessEntries(entries));
  return encoding.toUint8Array(encoder);
}

/** Sync step 1 with an empty state vector: "send me the whole document". */
export function wholeDocumentRequest(): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint8Array(encoder, Y.encodeStateVector(new Y.Doc()));
  return encoding.toUint8Array(encoder);
}

/** A sync message of `subtype` (1 = step 2, 2 = update) carrying arbitrary bytes. */
export function syncPayloadMessage(subtype: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, subtype);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

/** Made-up awareness entries with null states ("these clients left"), from `firstId` on. */
export function madeUpNullEntries(firstId: number, count: number): AwarenessEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    clientId: firstId + i,
    clock: 1,
    state: null,
  }));
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
