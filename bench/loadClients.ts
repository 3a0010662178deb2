/**
 * Child process of the durability benchmark (started by ./loadProcess.ts): K unmodified
 * y-websocket clients in Node that edit one timeline through the document model at a fixed total
 * rate. Edits are scheduled against absolute times, so a slow tick makes the next edits catch up
 * rather than lowering the rate; the report says how late they were.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { connectClient, type TestClient, waitForSync } from '../tests/integration/helpers/clients';
import { type EditKind, EditStream } from './edits';
import type { ChildMessage, LoadPlan, LoadReport, ParentMessage } from './loadProcess';
import { summarize } from './stats';

/** Chronoboard's protocol extension: `[4, token]` asks for, and answers, a commit ack. */
const PERSISTED_MESSAGE = 4;
const WS_OPEN = 1;

interface BenchClient {
  client: TestClient;
  stream: EditStream;
}

let plan: LoadPlan | null = null;
const clients: BenchClient[] = [];
const pendingAcks = new Map<number, { sentAt: number; measured: boolean }>();
const ackLatencies: number[] = [];
let nextToken = 1;
let localUpdates = 0;
let streaming = false;
let disconnects = 0;

function send(message: ChildMessage): void {
  process.send?.(message);
}

process.on('message', (message: ParentMessage) => {
  handle(message).catch((error: unknown) => {
    send({
      type: 'error',
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  });
});
// The parent went away (crash, Ctrl-C): never linger as an orphan holding sockets open.
process.on('disconnect', () => void shutdown());

async function handle(message: ParentMessage): Promise<void> {
  switch (message.type) {
    case 'init':
      plan = message.plan;
      await connect(plan);
      send({ type: 'ready' });
      break;
    case 'start':
      if (!plan) throw new Error('start before init');
      send({ type: 'done', report: await stream(plan) });
      break;
    case 'close':
      await shutdown();
      break;
  }
}

async function connect(load: LoadPlan): Promise<void> {
  for (let index = 0; index < load.clients; index++) {
    const client = connectClient(load.wsUrl, load.timelineId);
    client.provider.messageHandlers[PERSISTED_MESSAGE] = (_encoder, decoder) => {
      const token = decoding.readVarUint(decoder);
      const pending = pendingAcks.get(token);
      if (!pending) return;
      pendingAcks.delete(token);
      if (pending.measured) ackLatencies.push(performance.now() - pending.sentAt);
    };
    client.provider.on('connection-close', () => {
      if (streaming) disconnects++;
    });
    // Counts what really left as updates (local transactions), not what we meant to send.
    client.doc.on('update', (_update: Uint8Array, origin: unknown) => {
      if (origin !== client.provider) localUpdates++;
    });
    clients.push({ client, stream: new EditStream(client.doc, load.laneId, `C${index + 1}`) });
  }
  await Promise.all(clients.map(({ client }) => waitForSync(client, 20_000)));
}

async function stream(load: LoadPlan): Promise<LoadReport> {
  const total = Math.round(load.rate * load.seconds);
  const measuredFrom = Math.round(load.rate * load.warmupSeconds);
  const interval = 1000 / load.rate;
  const byKind: Record<EditKind, number> = { create: 0, type: 0, move: 0 };
  const lags: number[] = [];
  let measured = 0;
  streaming = true;
  const startedAt = performance.now();
  for (let index = 0; index < total; ) {
    const due = startedAt + index * interval;
    const now = performance.now();
    if (now < due) {
      await sleep(due - now);
      continue;
    }
    const bench = clients[index % clients.length]!;
    const isMeasured = index >= measuredFrom;
    byKind[bench.stream.next()]++;
    if (isMeasured) {
      lags.push(now - due);
      measured++;
    }
    if (load.acks) requestAck(bench.client, now, isMeasured);
    index++;
  }
  const streamMs = performance.now() - startedAt;
  if (load.acks) {
    await until(() => pendingAcks.size === 0, 15_000);
  } else {
    await until(() => clients.every(({ client }) => !client.provider.ws?.bufferedAmount), 5_000);
  }
  streaming = false;
  return {
    sent: localUpdates,
    measured,
    byKind,
    created: clients.reduce((sum, { stream }) => sum + stream.created, 0),
    lag: summarize(lags),
    ack: summarize(ackLatencies),
    acksMissing: pendingAcks.size,
    disconnects,
    streamMs,
  };
}

/** Sent right after the edit's update on the same socket, so the answer covers that edit. */
function requestAck(client: TestClient, sentAt: number, measured: boolean): void {
  const ws = client.provider.ws;
  if (!ws || ws.readyState !== WS_OPEN) return;
  const token = nextToken++;
  pendingAcks.set(token, { sentAt, measured });
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, PERSISTED_MESSAGE);
  encoding.writeVarUint(encoder, token);
  ws.send(encoding.toUint8Array(encoder));
}

let shuttingDown = false;
async function shutdown(): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  streaming = false;
  for (const { client } of clients) client.destroy();
  // Give the close frames a moment so the server sees orderly closes, not resets.
  await until(() => clients.every(({ client }) => client.provider.ws === null), 1_000);
  process.exit(0);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) return false;
    await sleep(5);
  }
  return true;
}
