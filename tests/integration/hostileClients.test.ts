/**
 * Hostile clients on the collaboration websocket (issue #9): what someone holding only a view link
 * (or no credentials at all) can do with hand-made messages. Presence belongs to the connection
 * that sent it, awareness metadata stays bounded, names of signed-in people are their accounts',
 * and every connection's buffers are bounded; analysts in the same room keep syncing throughout.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { CloseCode } from '../../lib/limits';
import { createEvent, initializeTimeline, readEvents, readLanes } from '../../lib/timeline/model';
import type { RunningServer } from '../../server/app';
import { createClientAddressResolver } from '../../server/clientAddress';
import { GUARDED_UPDATE_BYTES } from '../../server/collab/server';
import { createMemoryStore } from '../../server/store/memoryStore';
import { type AccountServer, startAccountServer } from './helpers/accountServer';
import { connectClient, type TestClient, waitFor, waitForSync } from './helpers/clients';
import { createStoredTimeline, startCollabServer } from './helpers/collabServer';
import {
  awarenessMessage,
  delay,
  madeUpNullEntries,
  openRawSocket,
  type RawSocket,
  syncPayloadMessage,
  wholeDocumentRequest,
} from './helpers/hostile';

const MiB = 1024 * 1024;

interface SeenUser {
  name?: string;
  mode?: string;
}

/** The `user` of every presence state a client sees, by client id. */
function usersSeenBy(client: TestClient): Map<number, SeenUser | undefined> {
  const users = new Map<number, SeenUser | undefined>();
  for (const [id, state] of client.provider.awareness.getStates()) {
    users.set(id, (state as { user?: SeenUser }).user);
  }
  return users;
}

/** Makes an edit in `from` and waits until `to` has it: the room still syncs. */
async function assertStillSyncing(from: TestClient, to: TestClient, title: string) {
  createEvent(from.doc, {
    title,
    kind: 'point',
    start: '2021-01-01',
    lane: readLanes(from.doc)[0]!.id,
  });
  await waitFor(
    () => readEvents(to.doc).some((event) => event.title === title),
    `“${title}” to reach the other analyst`,
  );
}

describe('hostile clients with only a view link (real server)', () => {
  let running: AccountServer;
  let server: RunningServer;
  let timelineId: string;
  let adminToken: string;
  let editorToken: string;
  let viewToken: string;
  const clients: TestClient[] = [];
  const raws: RawSocket[] = [];
  const wsUrl = () => `ws://127.0.0.1:${server.port}/collab`;

  const analyst = (token: string, name: string) => {
    const client = connectClient(wsUrl(), timelineId, new Y.Doc(), { token });
    client.provider.awareness.setLocalStateField('user', { name, color: '#2563eb', mode: 'edit' });
    clients.push(client);
    return client;
  };
  const attacker = async () => {
    const raw = await openRawSocket(`${wsUrl()}/${timelineId}?token=${viewToken}`);
    raws.push(raw);
    await raw.admitted;
    return raw;
  };

  before(async () => {
    running = await startAccountServer('hostile');
    server = running.server;
    const { access, timelines } = server.services;
    adminToken = running.admin.token;
    editorToken = await running.tokenFor('editor', 'Eddie Editor');
    timelineId = (await timelines.createTimeline({ title: 'Under attack' })).id;
    viewToken = (await access.createShareLink(timelineId, { role: 'view' }, running.admin.id))
      .token;
  });

  after(async () => {
    for (const client of clients) client.destroy();
    for (const raw of raws) raw.ws.terminate();
    await running?.close();
  });

  it('ignores a flood of made-up awareness ids: metadata stays bounded, analysts keep syncing', async () => {
    const ada = analyst(adminToken, 'Ada');
    const eddie = analyst(editorToken, 'Eddie');
    await Promise.all([waitForSync(ada), waitForSync(eddie)]);
    await waitFor(() => server.collab.health().presence.states >= 2, 'both analysts present');
    const baseline = server.collab.health().presence;

    // Four view-link sockets, each announcing thousands of made-up ids with null states (what
    // grew the server by ~500 MiB before), plus a handful of made-up ids with states.
    const attackers = await Promise.all([attacker(), attacker(), attacker(), attacker()]);
    let nextId = 1_000_000;
    for (let round = 0; round < 20; round++) {
      for (const { ws } of attackers) {
        ws.send(awarenessMessage(madeUpNullEntries(nextId, 2_500)));
        nextId += 2_500;
      }
      await delay(10);
    }
    const claimed = attackers.map((_, index) =>
      Array.from({ length: 10 }, (_, i) => ({
        clientId: 9_000_000 + index * 100 + i,
        clock: 1,
        state: { user: { name: `Fake ${index}.${i}`, color: '#ff0000', mode: 'edit' } },
      })),
    );
    for (const [index, { ws }] of attackers.entries()) ws.send(awarenessMessage(claimed[index]!));

    // Every attacker's messages were handled once its last one shows at an analyst.
    await waitFor(
      () =>
        [...usersSeenBy(eddie).values()].filter((user) => user?.name?.startsWith('Fake')).length ===
        16,
      'the attackers’ few accepted presences',
    );
    for (const { ws } of attackers) assert.equal(ws.readyState, WebSocket.OPEN);
    const during = server.collab.health().presence;
    // 200,000 ids were announced; each connection owns at most 4 (MAX_AWARENESS_CLIENTS_PER_CONNECTION).
    assert.ok(during.meta <= baseline.meta + 4 * 4, `meta ${during.meta} vs ${baseline.meta}`);
    assert.ok(during.states <= baseline.states + 4 * 4);
    // Those that were accepted are stamped as watching, not editing.
    for (const user of usersSeenBy(eddie).values()) {
      if (user?.name?.startsWith('Fake')) assert.equal(user.mode, 'view');
    }
    await assertStillSyncing(ada, eddie, 'Still syncing under an awareness flood');

    // When they leave, their states and metadata go, and the analysts are told.
    for (const { ws } of attackers) ws.close();
    await waitFor(
      () => ![...usersSeenBy(eddie).values()].some((user) => user?.name?.startsWith('Fake')),
      'the attackers’ presences removed at the analyst',
    );
    await waitFor(
      () => server.collab.health().presence.meta === baseline.meta,
      'awareness metadata back to the analysts’ own',
    );
  });

  it('drops updates to another connection’s client id, and stamps signed-in names', async () => {
    const ada = analyst(adminToken, 'Spoofed name');
    const eddie = analyst(editorToken, 'Eddie');
    await Promise.all([waitForSync(ada), waitForSync(eddie)]);
    const adaId = ada.provider.awareness.clientID;
    await waitFor(() => usersSeenBy(eddie).get(adaId), 'Ada’s presence at Eddie');
    // Whatever the client announced, others see the account's name.
    assert.equal(usersSeenBy(eddie).get(adaId)?.name, 'Ada Admin');

    const { ws } = await attacker();
    ws.send(
      awarenessMessage([
        {
          clientId: adaId,
          clock: 1_000,
          state: { user: { name: 'Mallory', color: '#ff0000', mode: 'edit' } },
        },
      ]),
    );
    ws.send(awarenessMessage([{ clientId: adaId, clock: 1_001, state: null }]));
    // Messages of one connection are handled in order: once the marker is seen, the two above were.
    ws.send(
      awarenessMessage([
        {
          clientId: 4242,
          clock: 1,
          state: { user: { name: 'Marker', color: '#000000', mode: 'edit' } },
        },
      ]),
    );
    await waitFor(() => usersSeenBy(eddie).get(4242)?.name === 'Marker', 'the marker');
    assert.equal(usersSeenBy(eddie).get(adaId)?.name, 'Ada Admin');
    assert.equal(usersSeenBy(eddie).get(4242)?.mode, 'view', 'a view link is shown watching');

    // A share-link visitor keeps the name they typed, but not the mode they claim.
    const guest = analyst(viewToken, 'Guest Gina');
    await waitForSync(guest);
    const guestId = guest.provider.awareness.clientID;
    await waitFor(() => usersSeenBy(eddie).get(guestId), 'the guest’s presence');
    assert.deepEqual(
      { name: usersSeenBy(eddie).get(guestId)?.name, mode: usersSeenBy(eddie).get(guestId)?.mode },
      { name: 'Guest Gina', mode: 'view' },
    );
    await assertStillSyncing(eddie, ada, 'Still syncing after a presence forgery');
  });

  it('drops a view link’s updates before decoding them (4403, not 1007)', async () => {
    const ada = analyst(adminToken, 'Ada');
    await waitForSync(ada);
    const before = readEvents(ada.doc).length;
    const raw = await attacker();
    // Malformed updates would close the connection with 1007 had they been decoded, and one of
    // GUARDED_UPDATE_BYTES would have gone to the decoding worker.
    raw.ws.send(syncPayloadMessage(2, new Uint8Array(200).fill(0xff)));
    raw.ws.send(syncPayloadMessage(1, new Uint8Array(GUARDED_UPDATE_BYTES).fill(0xfe)));
    raw.ws.send(syncPayloadMessage(2, new Uint8Array([9, 9, 9])));
    assert.equal(await raw.closed, CloseCode.forbidden);
    assert.equal(readEvents(ada.doc).length, before);
  });

  it('closes only the connection that sends a text frame', async () => {
    const ada = analyst(adminToken, 'Ada');
    const eddie = analyst(editorToken, 'Eddie');
    await Promise.all([waitForSync(ada), waitForSync(eddie)]);
    const raw = await attacker();
    raw.ws.send('{"hello":"server"}');
    assert.equal(await raw.closed, CloseCode.unsupportedData);
    await assertStillSyncing(ada, eddie, 'Still syncing after a text frame');
  });
});

describe('per-connection buffers and limits (collab server)', () => {
  it('closes a socket that floods whole-document requests without reading (4413)', async () => {
    const store = createMemoryStore();
    const doc = new Y.Doc();
    initializeTimeline(doc, { title: 'Big', lanes: [{ title: 'Lane' }] });
    // About 2 MB of document, so each whole-document answer is that large.
    doc.getText('padding').insert(0, 'x'.repeat(2 * MiB));
    await store.createTimeline(
      { id: 'big', title: 'Big', eventCount: 0 },
      Y.encodeStateAsUpdate(doc),
    );
    const server = await startCollabServer(store, {
      limits: { maxUnsentBytes: 2 * MiB, closeGraceMs: 10_000 },
    });
    const bystander = connectClient(server.wsUrl, 'big');
    try {
      await waitForSync(bystander);
      const raw = await openRawSocket(`${server.wsUrl}/big`);
      raw.ws.pause();
      // Within SYNC_REQUEST_RATE's burst: only the unread output closes it.
      for (let i = 0; i < 10; i++) raw.ws.send(wholeDocumentRequest());
      await delay(1_000);
      raw.ws.resume();
      assert.equal(await raw.closed, CloseCode.slowConsumer);
      assert.equal(bystander.provider.wsconnected, true);
    } finally {
      bystander.destroy();
      await server.close();
    }
  });

  it('rate-limits whole-document and awareness requests on their own (4429)', async () => {
    const store = createMemoryStore();
    const timeline = await createStoredTimeline(store, 'requests');
    const server = await startCollabServer(store);
    try {
      const raw = await openRawSocket(`${server.wsUrl}/${timeline.id}`);
      // 30 messages are far below MESSAGE_RATE, but each asks for the whole document.
      for (let i = 0; i < 30 && raw.ws.readyState === WebSocket.OPEN; i++) {
        raw.ws.send(wholeDocumentRequest());
      }
      assert.equal(await raw.closed, CloseCode.tooManyMessages);
    } finally {
      await server.close();
    }
  });

  it('reads nothing before authorization and terminates a refused socket that never answers', async () => {
    const store = createMemoryStore();
    const timeline = await createStoredTimeline(store, 'preauth');
    // Authorization lasts until the test has looked (a gate, not a delay: a slow machine could
    // otherwise finish authorizing before the test measures).
    let refuse!: () => void;
    const decided = new Promise<void>((resolve) => {
      refuse = resolve;
    });
    const server = await startCollabServer(store, {
      authorize: async () => {
        await decided;
        return { refuse: CloseCode.unauthorized, reason: 'no credentials' };
      },
    });
    try {
      const raw = await openRawSocket(`${server.wsUrl}/${timeline.id}`);
      const flood = new Uint8Array(512 * 1024);
      for (let i = 0; i < 64; i++) raw.ws.send(flood);
      await delay(300);
      // 32 MiB sent; the server read none of it while authorizing, so it sits on this side
      // (beyond what the kernels' socket buffers hold).
      assert.ok(raw.ws.bufferedAmount > 8 * MiB, `only ${raw.ws.bufferedAmount} bytes unsent`);
      // Never read the close frame, so never answer it.
      raw.ws.pause();
      const refusedAt = Date.now();
      refuse();
      await waitFor(() => server.collab.connectionCount === 0, 'the refused socket to be gone');
      // ws alone would wait 30 s for the close handshake.
      assert.ok(Date.now() - refusedAt < 5_000);
      raw.ws.terminate();
    } finally {
      await server.close();
    }
  });

  it('does not let unsolicited pongs keep a silent connection alive', async () => {
    const store = createMemoryStore();
    const timeline = await createStoredTimeline(store, 'pongs');
    const server = await startCollabServer(store, { limits: { pingIntervalMs: 150 } });
    try {
      const silent = await openRawSocket(`${server.wsUrl}/${timeline.id}`, { autoPong: false });
      const pongs = setInterval(() => silent.ws.pong(Buffer.from('still here')), 30);
      const normal = await openRawSocket(`${server.wsUrl}/${timeline.id}`);
      try {
        assert.equal(await silent.closed, 1006);
        assert.equal(normal.ws.readyState, WebSocket.OPEN, 'a client that answers pings stays');
      } finally {
        clearInterval(pongs);
        normal.ws.close();
      }
    } finally {
      await server.close();
    }
  });

  it('counts connections per credential after authorization (4428)', async () => {
    const store = createMemoryStore();
    const timeline = await createStoredTimeline(store, 'per-link');
    const server = await startCollabServer(store, {
      authorize: async () => ({ mode: 'view', grant: { linkId: 'link-1' } }),
      limits: { maxConnectionsPerCredential: 2 },
    });
    const url = `${server.wsUrl}/${timeline.id}`;
    try {
      const first = await openRawSocket(url);
      const second = await openRawSocket(url);
      await Promise.all([first.admitted, second.admitted]);
      const third = await openRawSocket(url);
      assert.equal(await third.closed, CloseCode.tooManyConnections);
      first.ws.close();
      await first.closed;
      const again = await openRawSocket(url);
      await again.admitted;
      second.ws.close();
      again.ws.close();
    } finally {
      await server.close();
    }
  });

  it('counts connections per address as HTTP sees it behind TRUST_PROXY', async () => {
    const store = createMemoryStore();
    const timeline = await createStoredTimeline(store, 'proxied');
    const server = await startCollabServer(store, {
      // The resolver server/app.ts builds for HTTP with TRUST_PROXY=true (one proxy hop).
      clientAddressOf: createClientAddressResolver({ trustProxy: true }),
      maxConnectionsPerIp: 1,
    });
    const url = `${server.wsUrl}/${timeline.id}`;
    const from = (address: string) => ({ headers: { 'x-forwarded-for': address } });
    try {
      const one = await openRawSocket(url, from('203.0.113.1'));
      const two = await openRawSocket(url, from('203.0.113.2'));
      await assert.rejects(openRawSocket(url, from('203.0.113.1')), /429/);
      one.ws.close();
      two.ws.close();
    } finally {
      await server.close();
    }
  });
});
