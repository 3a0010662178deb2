/**
 * What an idle connection holds (issue #15, "connections cost little"): once a websocket is
 * authorized and synced, the collaboration server keeps neither its upgrade request (headers,
 * URL with the token) nor a timer of its own; one timer pings every socket. The limits that used
 * to live in per-connection closures still hold (hostileClients.test.ts). bench/idle.ts measures
 * the memory; these tests pin down the two properties that measurement depends on.
 */
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { after, describe, it } from 'node:test';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createMemoryStore } from '../../server/store/memoryStore';
import { createStoredTimeline, startCollabServer } from './helpers/collabServer';
import { delay, openRawSocket, type RawSocket, wholeDocumentRequest } from './helpers/hostile';

v8.setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Timers alive in this process (the server runs in it). */
function timerCount(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
}

describe('idle connections (collab server)', () => {
  const sockets: RawSocket[] = [];
  after(() => {
    for (const socket of sockets) socket.ws.terminate();
  });

  it('keeps no upgrade request once a connection is open', async () => {
    const store = createMemoryStore();
    const timeline = await createStoredTimeline(store, 'requests');
    const requests: WeakRef<IncomingMessage>[] = [];
    const server = await startCollabServer(store, {
      authorize: async (request) => {
        requests.push(new WeakRef(request));
        return { mode: 'view', grant: { linkId: 'link-requests' } };
      },
    });
    try {
      for (let i = 0; i < 5; i++) {
        const socket = await openRawSocket(`${server.wsUrl}/${timeline.id}?token=secret-${i}`);
        sockets.push(socket);
        socket.ws.send(wholeDocumentRequest());
        await socket.admitted;
      }
      assert.equal(requests.length, 5);
      for (let attempt = 0; attempt < 5; attempt++) {
        collectGarbage();
        if (requests.every((ref) => ref.deref() === undefined)) break;
        await delay(50);
      }
      assert.equal(
        requests.filter((ref) => ref.deref() !== undefined).length,
        0,
        'upgrade requests still reachable from open connections',
      );
      assert.equal(server.collab.connectionCount, 5);
      // Still open and counted against their link: closing them by grant works.
      assert.equal(
        server.collab.closeConnections((grant) => grant.linkId === 'link-requests', 4403, 'gone'),
        5,
      );
    } finally {
      await server.close();
    }
  });

  it('pings every connection from one timer, not one timer per connection', async () => {
    const store = createMemoryStore();
    const timeline = await createStoredTimeline(store, 'timers');
    // More sockets than one slice of the keepalive's round (500), so the round continues.
    const count = 1_100;
    const server = await startCollabServer(store, {
      limits: { pingIntervalMs: 400 },
      maxConnectionsPerIp: count + 10,
    });
    try {
      const first = await openRawSocket(`${server.wsUrl}/${timeline.id}`);
      sockets.push(first);
      first.ws.send(wholeDocumentRequest());
      await first.admitted;
      const before = timerCount();
      const pinged = new Set<RawSocket>();
      for (let start = 0; start < count; start += 100) {
        const batch = await Promise.all(
          Array.from({ length: Math.min(100, count - start) }, () =>
            openRawSocket(`${server.wsUrl}/${timeline.id}`),
          ),
        );
        for (const socket of batch) {
          sockets.push(socket);
          socket.ws.on('ping', () => pinged.add(socket));
          socket.ws.send(wholeDocumentRequest());
        }
        await Promise.all(batch.map((socket) => socket.admitted));
      }
      assert.ok(timerCount() - before < 5, `${timerCount() - before} more timers for ${count}`);
      // Every socket is pinged, answers (ws answers pings) and stays open.
      const deadline = Date.now() + 10_000;
      while (pinged.size < count && Date.now() < deadline) await delay(100);
      assert.equal(pinged.size, count, 'sockets pinged');
      await delay(900);
      assert.equal(server.collab.connectionCount, count + 1, 'sockets that answered stay open');
    } finally {
      await server.close();
    }
  });
});
