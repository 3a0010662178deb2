/**
 * Per-connection limits of the collaboration websocket that do not depend on a room: which
 * messages count as requests for the whole document or every presence state, closing a socket
 * without waiting on a peer that never answers, keepalive pings that only the right pong
 * satisfies, and counting connections per address or credential.
 */
import { randomBytes } from 'node:crypto';
import { WebSocket } from 'ws';
import { MessageType } from './protocol';

/** Sync message subtype of sync step 1 (y-protocols/sync). */
const SYNC_STEP_1 = 0;

/**
 * True for a message that makes the server send the whole document (sync step 1) or every
 * presence state (awareness query), read from its first bytes without decoding it (a malformed one
 * is refused later). Both type bytes are single-byte varuints when valid.
 */
export function isSyncRequest(data: Uint8Array): boolean {
  if (data[0] === MessageType.queryAwareness) return true;
  return data[0] === MessageType.sync && data[1] === SYNC_STEP_1;
}

/**
 * Sends a close frame and destroys the socket if the peer has not completed the closing
 * handshake within `graceMs`: ws would wait 30 s, which lets a client that never answers hold the
 * socket and its buffers.
 */
export function closeWithin(ws: WebSocket, code: number, reason: string, graceMs: number): void {
  if (ws.readyState === WebSocket.CLOSED) return;
  // Close reasons are limited to 123 bytes by the websocket protocol.
  ws.close(code, Buffer.from(reason).subarray(0, 123).toString());
  // A paused socket would never read the peer's close frame.
  ws.resume();
  const timer = setTimeout(() => ws.terminate(), graceMs);
  timer.unref();
  ws.once('close', () => clearTimeout(timer));
}

/**
 * A websocket with its keepalive state in fields: a server with thousands of idle connections
 * keeps no timer, closure or buffer per connection for it (bench/idle.ts).
 */
export class KeepaliveSocket extends WebSocket {
  /** A ping was sent and the pong echoing its payload has not come back yet. */
  awaitingPong = false;
  /** The ping's 8-byte payload, as two signed 32-bit integers (no Buffer kept per socket). */
  pingHigh = 0;
  pingLow = 0;
}

function onPong(this: WebSocket, data: Buffer): void {
  const ws = this as KeepaliveSocket;
  if (
    ws.awaitingPong &&
    data.length === 8 &&
    data.readInt32BE(0) === ws.pingHigh &&
    data.readInt32BE(4) === ws.pingLow
  ) {
    ws.awaitingPong = false;
  }
}

/** Lets a socket's pongs answer the keepalive's pings (call once per socket). */
export function watchPongs(ws: KeepaliveSocket): void {
  ws.on('pong', onPong);
}

/** Sockets pinged per turn of the event loop, so a round over 10,000 never blocks it for long. */
const PINGS_PER_TURN = 500;

/**
 * Pings every open socket of `sockets` every `intervalMs`, from one timer for all of them (in
 * slices of PINGS_PER_TURN), and terminates a socket whose previous ping got no pong by the next
 * round. Each ping carries a fresh random payload and only a pong echoing it counts, so a client
 * that sends unsolicited pongs (allowed by RFC 6455 as a heartbeat) cannot keep a dead connection
 * alive. A socket gets at least one full interval to answer. Returns a function that stops it.
 */
export function startKeepalive(sockets: Iterable<KeepaliveSocket>, intervalMs: number): () => void {
  let stopped = false;
  const pingSlice = (round: KeepaliveSocket[], from: number) => {
    if (stopped) return;
    const to = Math.min(round.length, from + PINGS_PER_TURN);
    const nonces = randomBytes(8 * (to - from));
    for (let index = from; index < to; index++) {
      const ws = round[index]!;
      if (ws.readyState !== WebSocket.OPEN) continue;
      if (ws.awaitingPong) {
        ws.terminate();
        continue;
      }
      const payload = nonces.subarray((index - from) * 8, (index - from) * 8 + 8);
      ws.awaitingPong = true;
      ws.pingHigh = payload.readInt32BE(0);
      ws.pingLow = payload.readInt32BE(4);
      ws.ping(payload);
    }
    if (to < round.length) setImmediate(pingSlice, round, to);
  };
  const timer = setInterval(() => pingSlice([...sockets], 0), intervalMs);
  // The HTTP server keeps the process alive, not the keepalive.
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}

/** Counts open connections per key (an address, an account, a share link). */
export function createConnectionCounter() {
  const counts = new Map<string, number>();
  return {
    /** Counts one more connection for `key` unless it already has `max`; false if refused. */
    tryAdd(key: string, max: number): boolean {
      const count = counts.get(key) ?? 0;
      if (count >= max) return false;
      counts.set(key, count + 1);
      return true;
    },
    /** Counts one connection for `key` less. */
    remove(key: string): void {
      const left = (counts.get(key) ?? 1) - 1;
      if (left <= 0) counts.delete(key);
      else counts.set(key, left);
    },
    /** Open connections for `key`. */
    countOf(key: string): number {
      return counts.get(key) ?? 0;
    },
  };
}

export type ConnectionCounter = ReturnType<typeof createConnectionCounter>;
