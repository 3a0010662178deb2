/** Websocket-side helpers of the collab server: message bytes. */
import type { RawData } from 'ws';

/** The bytes of a binary websocket message, however ws delivered them. */
export function toUint8Array(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
