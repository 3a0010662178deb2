/**
 * The attack side of the flood benchmark (bench/floods.ts), run in its own process so that its
 * work stays out of both the server's and the analysts' event loops. It reads its plan from the
 * FLOOD_PLAN environment variable, runs one flood for a bounded time against loopback only, and
 * prints one JSON line (FloodAttackReport) on stdout.
 *
 * Every flood is bounded twice: by time (`seconds`, at most 12) and by count (messages, bytes,
 * sockets), so a server without defences grows by a bounded amount and the machine stays usable.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';

export type FloodName = 'awareness' | 'syncStep1' | 'preAuth';

export interface FloodPlan {
  flood: FloodName;
  /** `ws://127.0.0.1:<port>/collab` */
  wsUrl: string;
  timelineId: string;
  /** The only credential the attacker has: a view link's token. */
  viewToken: string;
  seconds: number;
  /** Attack sockets. */
  sockets: number;
  /** awareness: messages per second per socket; syncStep1: messages per socket (one burst). */
  messages: number;
  /** awareness: made-up client ids per message. preAuth: MiB written per socket at most. */
  size: number;
}

export interface FloodAttackReport {
  flood: FloodName;
  sockets: number;
  /** Websocket messages (or frames) the attackers sent. */
  messagesSent: number;
  bytesSent: number;
  /** How each attack socket ended: a close code, an HTTP status line, 'open' (still open). */
  endings: Record<string, number>;
  seconds: number;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const MAX_SECONDS = 12;

/** An awareness message (type 1) removing `count` made-up clients: null states, clock 1. */
export function encodeNullAwareness(firstId: number, count: number): Uint8Array {
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, count);
  for (let i = 0; i < count; i++) {
    encoding.writeVarUint(update, (firstId + i) >>> 0);
    encoding.writeVarUint(update, 1);
    encoding.writeVarString(update, 'null');
  }
  const message = encoding.createEncoder();
  encoding.writeVarUint(message, 1);
  encoding.writeVarUint8Array(message, encoding.toUint8Array(update));
  return encoding.toUint8Array(message);
}

/** A sync step 1 (type 0, 0) with an empty state vector: "send me the whole document". */
export function encodeEmptySyncStep1(): Uint8Array {
  const message = encoding.createEncoder();
  encoding.writeVarUint(message, 0);
  encoding.writeVarUint(message, 0);
  encoding.writeVarUint8Array(message, new Uint8Array([0]));
  return encoding.toUint8Array(message);
}

/** A masked binary websocket frame, as a client must send it. */
export function encodeClientFrame(payload: Uint8Array): Buffer {
  const mask = randomBytes(4);
  const length = payload.length;
  const header =
    length < 126
      ? Buffer.from([0x82, 0x80 | length])
      : length < 65536
        ? Buffer.from([0x82, 0x80 | 126, length >> 8, length & 0xff])
        : (() => {
            const h = Buffer.alloc(10);
            h[0] = 0x82;
            h[1] = 0x80 | 127;
            h.writeBigUInt64BE(BigInt(length), 2);
            return h;
          })();
  const body = Buffer.alloc(length);
  for (let i = 0; i < length; i++) body[i] = payload[i]! ^ mask[i & 3]!;
  return Buffer.concat([header, mask, body]);
}

class Tally {
  messagesSent = 0;
  bytesSent = 0;
  readonly endings: Record<string, number> = {};
  end(how: string): void {
    this.endings[how] = (this.endings[how] ?? 0) + 1;
  }
}

function roomUrl(plan: FloodPlan, token: string): string {
  return `${plan.wsUrl}/${encodeURIComponent(plan.timelineId)}?token=${encodeURIComponent(token)}`;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    // An aborted signal never fires 'abort' again.
    if (signal.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * (1) View-link sockets sending awareness updates for thousands of made-up client ids with a
 * null state, at a fixed rate; the attacker drains what the server relays (reads are cheap).
 */
async function floodAwareness(plan: FloodPlan, tally: Tally, stop: AbortSignal): Promise<void> {
  await Promise.all(
    Array.from({ length: plan.sockets }, async (_, index) => {
      const socket = new WebSocket(roomUrl(plan, plan.viewToken));
      let closed = false;
      socket.on('close', (code) => {
        closed = true;
        tally.end(`close ${code}`);
      });
      socket.on('error', () => {});
      socket.on('message', () => {});
      await new Promise<void>((resolve) => {
        socket.once('open', () => resolve());
        socket.once('close', () => resolve());
      });
      let nextId = 0x10000000 + index * 0x01000000;
      const interval = 1000 / plan.messages;
      while (!stop.aborted && !closed) {
        // Do not pile data up on our side when the server stops reading.
        if (socket.bufferedAmount < 1024 * 1024) {
          const message = encodeNullAwareness(nextId, plan.size);
          nextId += plan.size;
          socket.send(message);
          tally.messagesSent++;
          tally.bytesSent += message.length;
        }
        await sleep(interval, stop);
      }
      if (!closed) {
        tally.end('open');
        socket.terminate();
      }
    }),
  );
}

/**
 * (2) A burst of sync step 1 requests (each answered with the whole document) from sockets that
 * never read their replies: after sending, the socket is paused, so the replies back up.
 */
async function floodSyncStep1(plan: FloodPlan, tally: Tally, stop: AbortSignal): Promise<void> {
  const message = encodeEmptySyncStep1();
  await Promise.all(
    Array.from({ length: plan.sockets }, async () => {
      const socket = new WebSocket(roomUrl(plan, plan.viewToken));
      let closed = false;
      socket.on('close', (code) => {
        closed = true;
        tally.end(`close ${code}`);
      });
      socket.on('error', () => {});
      await new Promise<void>((resolve) => {
        socket.once('open', () => resolve());
        socket.once('close', () => resolve());
      });
      if (closed) return;
      socket.pause();
      for (let i = 0; i < plan.messages && !closed; i++) {
        socket.send(message);
        tally.messagesSent++;
        tally.bytesSent += message.length;
      }
      await sleep(plan.seconds * 1000, stop);
      // A paused socket reads nothing, including the server's close frame: read what is buffered
      // now, so a connection the server closed counts as closed rather than as still open.
      if (!closed) {
        socket.resume();
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 2_000);
          socket.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      if (!closed) {
        tally.end('open');
        socket.terminate();
      }
    }),
  );
}

/**
 * (3) Bytes before authorization: raw TCP sockets send the upgrade request and, without waiting
 * for the answer, stream websocket frames (null-state awareness updates) as fast as the socket
 * takes them, up to `size` MiB each. Half present the view link's token, half a made-up one.
 */
async function floodPreAuth(plan: FloodPlan, tally: Tally, stop: AbortSignal): Promise<void> {
  const url = new URL(plan.wsUrl);
  const frame = encodeClientFrame(encodeNullAwareness(0x70000000, 1500));
  const capBytes = plan.size * 1024 * 1024;
  await Promise.all(
    Array.from({ length: plan.sockets }, async (_, index) => {
      const token = index % 2 === 0 ? plan.viewToken : `cbl_${randomBytes(32).toString('hex')}`;
      const socket = net.connect({ host: url.hostname, port: Number(url.port) });
      let ended: string | undefined;
      let status: string | undefined;
      socket.on('data', (chunk: Buffer) => {
        status ??= chunk.toString('latin1').split('\r\n')[0];
      });
      socket.on('error', () => {});
      const closedPromise = new Promise<void>((resolve) =>
        socket.once('close', () => {
          ended ??= status ? `closed after ${status}` : 'closed before an answer';
          resolve();
        }),
      );
      await new Promise<void>((resolve) => {
        socket.once('connect', () => resolve());
        socket.once('close', () => resolve());
      });
      const path = `${url.pathname}/${encodeURIComponent(plan.timelineId)}?token=${token}`;
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
      let written = 0;
      while (!stop.aborted && ended === undefined && written < capBytes) {
        const drained = socket.write(frame);
        written += frame.length;
        tally.messagesSent++;
        tally.bytesSent += frame.length;
        if (!drained) {
          await Promise.race([
            new Promise((resolve) => socket.once('drain', resolve)),
            closedPromise,
            sleep(plan.seconds * 1000, stop),
          ]);
        }
      }
      await Promise.race([closedPromise, sleep(plan.seconds * 1000, stop)]);
      if (ended === undefined) {
        tally.end(status ? `open after ${status}` : 'open, no answer');
        socket.destroy();
      } else {
        tally.end(ended);
      }
    }),
  );
}

async function main(): Promise<void> {
  const plan = JSON.parse(process.env.FLOOD_PLAN ?? '{}') as FloodPlan;
  const host = new URL(plan.wsUrl).hostname;
  if (!LOOPBACK.has(host)) throw new Error(`floods run against loopback only, not ${host}`);
  const seconds = Math.min(plan.seconds, MAX_SECONDS);
  const tally = new Tally();
  const controller = new AbortController();
  const startedAt = performance.now();
  const timer = setTimeout(() => controller.abort(), seconds * 1000);
  const bounded = { ...plan, seconds };
  if (plan.flood === 'awareness') await floodAwareness(bounded, tally, controller.signal);
  else if (plan.flood === 'syncStep1') await floodSyncStep1(bounded, tally, controller.signal);
  else await floodPreAuth(bounded, tally, controller.signal);
  clearTimeout(timer);
  const report: FloodAttackReport = {
    flood: plan.flood,
    sockets: plan.sockets,
    messagesSent: tally.messagesSent,
    bytesSent: tally.bytesSent,
    endings: tally.endings,
    seconds: Math.round((performance.now() - startedAt) / 100) / 10,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  process.exit(0);
}

if (process.env.FLOOD_PLAN) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
