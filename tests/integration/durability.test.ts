/**
 * Durability of acknowledged edits against a real server process:
 * - kill -9 under a steady stream of edits: every edit the server acknowledged as saved (the
 *   `[4, token]` answer the editor's save state shows) is in the database afterwards, and the
 *   client's remaining edits merge back in when it reconnects;
 * - a PostgreSQL outage (a TCP proxy between the server and the database, cut and restored):
 *   clients keep syncing, health reports degraded, nothing is lost, nothing stored is overwritten;
 * - SIGTERM during an outage: unwritten edits go to a spill file and reach the database at the
 *   next start.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { CloseCode } from '../../lib/limits';
import { encodePersistedMessage, PERSISTED_MESSAGE_TYPE } from '../../lib/persistedMessage';
import { createEvent, readEvents, readLanes } from '../../lib/timeline/model';
import { openDatabase } from '../../server/db/database';
import { createPrismaStore } from '../../server/store/prismaStore';
import { BACKENDS, type Backend, createBackend } from './helpers/backends';
import {
  api,
  connectClient,
  createTimeline,
  type TestClient,
  waitFor,
  waitForSync,
} from './helpers/clients';
import { type ServerProcess, startServerProcess } from './helpers/serverProcess';
import { startTcpProxy } from './helpers/tcpProxy';

/** Event titles stored in the database for a timeline (opened directly, not through a server). */
async function storedTitles(storage: Backend['storage'], timelineId: string): Promise<Set<string>> {
  const database = await openDatabase(storage);
  try {
    const stored = await createPrismaStore(database).loadDoc(timelineId);
    const doc = new Y.Doc();
    for (const update of stored?.updates ?? []) Y.applyUpdate(doc, update);
    return new Set(readEvents(doc).map((event) => event.title));
  } finally {
    await database.close();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const backendName of BACKENDS) {
  describe(`kill -9 under a stream of edits on ${backendName}`, () => {
    let backend: Backend;
    let server: ServerProcess | undefined;
    const clients: TestClient[] = [];

    before(async () => {
      backend = await createBackend(backendName);
    });
    after(async () => {
      for (const client of clients) client.destroy();
      await server?.stop();
      await backend?.cleanup();
    });

    it('keeps every acknowledged edit through kill -9, then merges the client’s rest', async () => {
      server = await startServerProcess({ ...backend.storage, env: { SEED_DEMO: 'false' } });
      const timeline = await createTimeline(server.url, 'Stream');
      const client = connectClient(server.wsUrl, timeline.id);
      clients.push(client);
      await waitForSync(client);
      const lane = readLanes(client.doc)[0]!.id;

      // A steady stream: one new event every 10 ms, each followed by a save query whose answer
      // means "everything before this is committed", as the editor's save state uses it.
      const sentAt = new Map<string, number>();
      const titles: string[] = [];
      let acknowledged = 0; // titles[0..acknowledged) are acknowledged as saved
      const ackLatency: number[] = [];
      client.provider.messageHandlers[PERSISTED_MESSAGE_TYPE] = (_encoder, decoder) => {
        const token = decoding.readVarUint(decoder);
        acknowledged = Math.max(acknowledged, token);
        ackLatency.push(performance.now() - sentAt.get(titles[token - 1]!)!);
      };
      const stream = setInterval(() => {
        const title = `edit ${titles.length}`;
        createEvent(client.doc, { title, kind: 'point', start: '2019-02-18', lane });
        titles.push(title);
        sentAt.set(title, performance.now());
        client.provider.ws?.send(encodePersistedMessage(titles.length));
      }, 10);
      // At least 1.5 s of stream, and until a real run of edits is acknowledged: on a loaded
      // machine PGlite (on the server's one thread) acknowledges slower, not less.
      await sleep(1_500);
      await waitFor(() => acknowledged > 60, 'sixty edits acknowledged', 30_000);
      const ackedAtKill = acknowledged;
      await server.kill();
      clearInterval(stream);
      server = undefined;

      // Server-side durability, before any client comes back.
      const stored = await storedTitles(backend.storage, timeline.id);
      const due = titles.slice(0, ackedAtKill);
      const missing = due.filter((title) => !stored.has(title));
      ackLatency.sort((x, y) => x - y);
      console.log(
        `  ${backendName}: ${due.length} of ${titles.length} edits acknowledged before the kill, ` +
          `save acknowledgement p50 ${ackLatency[ackLatency.length >> 1]?.toFixed(0)} ms`,
      );
      assert.ok(due.length > 50, `expected a real stream of acknowledged edits, got ${due.length}`);
      assert.deepEqual(
        missing,
        [],
        `${missing.length} of ${due.length} acknowledged edits were lost`,
      );

      // The client still holds everything; on reconnect it all merges back in.
      server = await startServerProcess({ ...backend.storage, env: { SEED_DEMO: 'false' } });
      client.provider.destroy();
      const again = connectClient(server.wsUrl, timeline.id, client.doc);
      clients.push(again);
      await waitForSync(again);
      await waitFor(async () => {
        const { body } = await api<{ events: unknown[] }>(
          server!.url,
          `/api/timelines/${timeline.id}/export?format=json`,
        );
        return body.events.length === sentAt.size;
      }, 'every edit to be back on the server');
      await server.stop();
      server = undefined;
      assert.equal((await storedTitles(backend.storage, timeline.id)).size, sentAt.size);
    });
  });
}

describe('PostgreSQL outage while people edit', () => {
  let backend: Backend;
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let server: ServerProcess | undefined;
  const clients: TestClient[] = [];
  let viaProxy: Backend['storage'];

  before(async () => {
    backend = await createBackend('postgresql');
    const url = new URL(backend.storage.databaseUrl!);
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.host = `127.0.0.1:${proxy.port}`;
    viaProxy = { ...backend.storage, databaseUrl: url.toString() };
  });
  after(async () => {
    for (const client of clients) client.destroy();
    proxy?.restore();
    await server?.stop();
    await proxy?.close();
    await backend?.cleanup();
  });

  it('keeps clients syncing, reports degraded health, loses nothing, and recovers', async () => {
    server = await startServerProcess({ ...viaProxy, env: { SEED_DEMO: 'false' } });
    const timeline = await createTimeline(server.url, 'Outage');
    const untouched = await createTimeline(server.url, 'Not open during the outage');
    const a = connectClient(server.wsUrl, timeline.id);
    const b = connectClient(server.wsUrl, timeline.id);
    clients.push(a, b);
    await Promise.all([waitForSync(a), waitForSync(b)]);
    const lane = readLanes(a.doc)[0]!.id;
    createEvent(a.doc, { title: 'before outage', kind: 'point', start: '2019-02-18', lane });
    await waitFor(
      async () => (await storedTitles(backend.storage, timeline.id)).has('before outage'),
      'first edit stored',
    );

    proxy.cut();
    const titles = Array.from({ length: 20 }, (_, i) => `during outage ${i}`);
    for (const title of titles) {
      createEvent(a.doc, { title, kind: 'point', start: '2019-02-19', lane });
      await sleep(20);
    }
    // Clients keep syncing with each other through the server.
    await waitFor(
      () => readEvents(b.doc).length === 21,
      'B to receive edits made during the outage',
    );
    // Health says degraded, with a reason.
    const health = await waitFor(async () => {
      const response = await api<{
        ok: boolean;
        degraded?: string;
        trouble?: string;
        unpersistedBytes: number;
      }>(server!.url, '/api/health');
      return response.status === 503 ? response.body : null;
    }, 'health to report degraded');
    assert.equal(health.ok, false);
    assert.match(health.degraded ?? '', /database|writes/);
    assert.ok(
      health.trouble === 'database-unreachable' || health.trouble === 'writes-failing',
      `the kind of trouble is named (${health.trouble})`,
    );

    // A timeline that is not loaded cannot be opened empty: the connection is refused.
    const refused = connectClient(server.wsUrl, untouched.id);
    clients.push(refused);
    const code = await new Promise<number>((resolve) =>
      refused.provider.on('connection-close', (event: CloseEvent | null) =>
        resolve(event?.code ?? 0),
      ),
    );
    refused.provider.disconnect();
    assert.equal(code, CloseCode.loadFailed);

    // Someone who was working can reconnect during the outage: their credentials were verified
    // shortly before, and the server remembers that while it cannot ask the database.
    b.provider.disconnect();
    b.provider.connect();
    await waitForSync(b);
    createEvent(b.doc, { title: 'after reconnecting', kind: 'point', start: '2019-02-20', lane });
    titles.push('after reconnecting');
    await waitFor(() => readEvents(a.doc).length === 22, 'A to receive B’s edit after B rejoined');

    proxy.restore();
    await waitFor(
      async () => (await api<{ ok: boolean }>(server!.url, '/api/health')).status === 200,
      'health to recover',
      30_000,
    );
    await waitFor(
      async () => {
        const stored = await storedTitles(backend.storage, timeline.id);
        return titles.every((title) => stored.has(title));
      },
      'edits made during the outage to reach the database',
      30_000,
    );
    // The untouched timeline still has its stored state.
    const reopened = connectClient(server.wsUrl, untouched.id);
    clients.push(reopened);
    await waitForSync(reopened);
    assert.equal(reopened.doc.getMap('meta').get('title'), 'Not open during the outage');
  });

  it('saves unwritten edits to a file on SIGTERM during an outage and stores them at the next start', async () => {
    server ??= await startServerProcess({ ...viaProxy, env: { SEED_DEMO: 'false' } });
    await server.stop();
    server = await startServerProcess({
      ...viaProxy,
      env: { SEED_DEMO: 'false', SHUTDOWN_TIMEOUT_MS: '500' },
    });
    const timeline = await createTimeline(server.url, 'Shutdown during outage');
    const client = connectClient(server.wsUrl, timeline.id);
    clients.push(client);
    await waitForSync(client);
    const lane = readLanes(client.doc)[0]!.id;
    proxy.cut();
    createEvent(client.doc, {
      title: 'unsaved at shutdown',
      kind: 'point',
      start: '2019-02-20',
      lane,
    });
    await waitFor(
      async () =>
        (await api<{ unpersistedBytes: number }>(server!.url, '/api/health')).body
          .unpersistedBytes > 0,
      'server to hold the edit',
    );
    client.provider.disconnect();
    assert.equal(await server.stop(), 0, server.log());
    server = undefined;
    assert.equal(
      (await storedTitles(backend.storage, timeline.id)).has('unsaved at shutdown'),
      false,
    );

    proxy.restore();
    server = await startServerProcess({ ...viaProxy, env: { SEED_DEMO: 'false' } });
    assert.ok(
      (await storedTitles(backend.storage, timeline.id)).has('unsaved at shutdown'),
      'recovered at start',
    );
  });
});
