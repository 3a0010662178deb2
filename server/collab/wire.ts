/** Websocket-side helpers of the collab server: message bytes and the per-connection rate limit. */
import type { RawData } from 'ws';

/** The bytes of a binary websocket message, however ws delivered them. */
export function toUint8Array(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** A token bucket: `take()` is false once more than `burst` messages came faster than `perSecond`. */
export function createTokenBucket(perSecond: number, burst: number) {
  let tokens = burst;
  let last = performance.now();
  return {
    take(): boolean {
      const now = performance.now();
      tokens = Math.min(burst, tokens + ((now - last) / 1000) * perSecond);
      last = now;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
