/**
 * Several instances sharing one PostgreSQL database and one Redis (README "Several instances"):
 * instance A is a real server process (`server/main.ts --collab-only`, what `npm run start:collab`
 * runs), instance B runs in this process (so the test can use its services: accounts, links,
 * the store). Both use the same Redis key prefix, made fresh for this file.
 *
 * - clients on A and on B converge, for document updates and presence;
 * - a share link revoked through B closes its connection on A; a timeline deleted through B
 *   closes A's connections to it (the event bus across instances);
 * - A holds the timeline's storage lease; A is killed with SIGKILL in the middle of a stream of
 *   edits: every edit A acknowledged is in the database, B takes the lease over with a newer
 *   fencing token, a compaction with A's token is refused, A's client reconnects to B and
 *   everything converges, and B compacts the log when the room unloads.
 *
 * Then, with one instance's Redis behind a TCP proxy that is cut and restored: both keep serving
 * their own clients and health says "unreachable"; they converge once Redis is back (the resync
 * after reconnection); the lease holder's compaction keeps rows the other instance logged while
 * cut off; an instance stops within seconds during the outage with its rooms written.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as decoding from 'lib0/decoding';
import { createClient } from 'redis';
import * as Y from 'yjs';
import { CloseCode } from '../../lib/limits';
import { encodePersistedMessage, PERSISTED_MESSAGE_TYPE } from '../../lib/persistedMessage';
import { type RunningServer, startServer } from '../../server/app';
import { createLogger } from '../../server/log';
import { FencedWriteError } from '../../server/store/types';
import { connectClient, type TestClient, waitFor, waitForSync } from './helpers/clients';
import { createTestDatabase, type TestDatabase } from './helpers/postgres';
import { type ServerProcess, startServerProcess } from './helpers/serverProcess';
import { startTcpProxy, type TcpProxy } from './helpers/tcpProxy';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const LEASE_MS = 1_500;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The close code a client's websocket gets next. */
function nextCloseCode(client: TestClient): Promise<number> {
  return new Promise((resolve) => {
    client.provider.once('connection-close', (event: CloseEvent | null) =>
      resolve(event?.code ?? 0),
    );
  });
}

describe('two instances sharing PostgreSQL and Redis', () => {
  const prefix = `chronoboard-test-${randomBytes(6).toString('hex')}`;
  const redis = createClient({ url: REDIS_URL });
  let database: TestDatabase;
  let dataDir: string;
  let a: ServerProcess | undefined;
  let b: RunningServer;
  let wsUrlB: string;
  let adminId: string;
  let token: string;
  const clients: TestClient[] = [];

  const connect = (wsUrl: string, timelineId: string, doc?: Y.Doc, params = { token }) => {
    const client = connectClient(wsUrl, timelineId, doc, params);
    clients.push(client);
    return client;
  };

  before(async () => {
    await redis.connect();
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(tmpdir(), 'chronoboard-instances-'));
    b = await startServer({
      port: 0,
      host: '127.0.0.1',
      databaseUrl: database.url,
      dataDir,
      web: false,
      seedDemo: false,
      logger: createLogger('warn'),
      redis: { url: REDIS_URL, prefix, leaseMs: LEASE_MS, resyncMs: 60_000 },
      collab: { idleMs: 300 },
    });
    wsUrlB = `${b.url.replace(/^http/, 'ws')}/collab`;
    const { user } = await b.services.access.createUser({
      email: 'lead@example.test',
      name: 'Lead',
      role: 'admin',
    });
    adminId = user.id;
    token = (await b.services.access.createApiToken(user.id, 'instances test')).token;
    a = await startServerProcess({
      web: false,
      databaseUrl: database.url,
      env: {
        SEED_DEMO: 'false',
        REDIS_URL,
        REDIS_PREFIX: prefix,
        REDIS_LEASE_MS: String(LEASE_MS),
        REDIS_RESYNC_MS: '60000',
        ROOM_IDLE_MS: '300',
      },
    });
  });

  after(async () => {
    for (const client of clients) client.destroy();
    await a?.stop();
    await b?.close();
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
    for await (const keys of redis.scanIterator({ MATCH: `${prefix}:*` })) {
      if (keys.length > 0) await redis.del(keys);
    }
    await redis.close();
  });

  it('serves collab-only health and both instances report Redis connected', async () => {
    const response = await fetch(`${a!.url}/api/health`);
    assert.equal(response.status, 200);
    const report = (await response.json()) as { ok: boolean; redis?: string };
    assert.equal(report.ok, true);
    assert.equal(report.redis, 'connected');
    assert.equal((await b.services.checkHealth()).redis, 'connected');
  });

  it('converges document updates and presence between clients on A and B', async () => {
    const timeline = await b.services.timelines.createTimeline({ title: 'Shared' });
    const onA = connect(a!.wsUrl, timeline.id);
    const onB = connect(wsUrlB, timeline.id);
    await Promise.all([waitForSync(onA), waitForSync(onB)]);

    onA.doc.getMap('probe').set('fromA', 1);
    onB.doc.getMap('probe').set('fromB', 2);
    for (const client of [onA, onB]) {
      await waitFor(
        () =>
          client.doc.getMap('probe').get('fromA') === 1 &&
          client.doc.getMap('probe').get('fromB') === 2,
        'both edits on both sides',
      );
    }

    onA.provider.awareness.setLocalState({ user: { name: 'typed name', color: '#336699' } });
    // The state crossed instances as A's awareness guard stamped it (the account's name).
    const seen = await waitFor(
      () =>
        onB.provider.awareness.getStates().get(onA.doc.clientID) as { user?: { name?: string } },
      'A’s presence on B',
    );
    assert.equal(seen.user?.name, 'Lead');
    onA.provider.awareness.setLocalState(null);
    await waitFor(
      () => !onB.provider.awareness.getStates().has(onA.doc.clientID),
      'A’s presence removed on B',
    );
  });

  it('closes a link’s connection on A when B revokes the link, and A’s room when B deletes the timeline', async () => {
    const timeline = await b.services.timelines.createTimeline({ title: 'Linked' });
    const link = await b.services.access.createShareLink(timeline.id, { role: 'view' }, adminId);
    const viaLink = connect(a!.wsUrl, timeline.id, undefined, { token: link.token });
    await waitForSync(viaLink);
    const closed = nextCloseCode(viaLink);
    await b.services.access.revokeShareLink(timeline.id, link.id);
    assert.equal(await closed, CloseCode.unauthorized);
    viaLink.provider.disconnect();

    const member = connect(a!.wsUrl, timeline.id);
    await waitForSync(member);
    const gone = nextCloseCode(member);
    await b.services.timelines.deleteTimeline(timeline.id);
    assert.equal(await gone, CloseCode.timelineNotFound);
    member.provider.disconnect();
  });

  it('keeps what A acknowledged through SIGKILL; B takes the lease over and A’s clients converge on B', async () => {
    const timeline = await b.services.timelines.createTimeline({ title: 'Takeover' });
    const leaseKey = `${prefix}:lease:${timeline.id}`;
    // A opens the room first, so A takes the storage lease.
    const writer = connect(a!.wsUrl, timeline.id);
    await waitForSync(writer);
    const holder = await waitFor(() => redis.get(leaseKey), 'A to take the lease');
    assert.notEqual(holder, b.shared!.instanceId, 'A, not B, holds the lease');
    const reader = connect(wsUrlB, timeline.id);
    await waitForSync(reader);
    assert.equal(b.shared!.leaseOf(timeline.id), null, 'B does not hold the lease while A lives');
    const fenceOfA = (
      await b.database.prisma.timeline.findUniqueOrThrow({
        where: { id: timeline.id },
        select: { storageFence: true },
      })
    ).storageFence;

    // A stream of edits on A, each followed by a save query ([4, n]: "all up to n is committed").
    const stream = writer.doc.getMap<number>('stream');
    let sent = 0;
    let acknowledged = 0;
    writer.provider.messageHandlers[PERSISTED_MESSAGE_TYPE] = (_encoder, decoder) => {
      acknowledged = Math.max(acknowledged, decoding.readVarUint(decoder));
    };
    const timer = setInterval(() => {
      sent++;
      stream.set(`edit ${sent}`, sent);
      writer.provider.ws?.send(encodePersistedMessage(sent));
    }, 10);
    // Mid-stream: once a good number of edits is acknowledged (however loaded the machine).
    await waitFor(() => acknowledged >= 40, '40 acknowledged edits', 60_000);
    const ackedAtKill = acknowledged;
    await a!.kill();
    clearInterval(timer);
    a = undefined;
    assert.ok(ackedAtKill > 30, `a real stream was acknowledged (${ackedAtKill} of ${sent})`);

    // Durable: every acknowledged edit is in the database (state + log), read directly.
    const stored = await b.store.loadDoc(timeline.id);
    const check = new Y.Doc();
    for (const update of stored!.updates) Y.applyUpdate(check, update);
    const missing: number[] = [];
    for (let n = 1; n <= ackedAtKill; n++) {
      if (check.getMap('stream').get(`edit ${n}`) !== n) missing.push(n);
    }
    assert.deepEqual(missing, [], `${missing.length} acknowledged edits were lost`);

    // B takes the lease over once A's expires, with a newer fencing token.
    const fenceOfB = await waitFor(
      () => b.shared!.leaseOf(timeline.id),
      'B to take the lease',
      10_000,
    );
    assert.ok(fenceOfB > fenceOfA, `B's token ${fenceOfB} is newer than A's ${fenceOfA}`);
    assert.equal(await redis.get(leaseKey), b.shared!.instanceId);
    // A write with A's (stale) token is refused; B's own is accepted.
    await assert.rejects(
      b.store.compact(timeline.id, Y.encodeStateAsUpdate(check), 0n, fenceOfA),
      (error: unknown) => error instanceof FencedWriteError,
    );

    // A's client reconnects through the load balancer, now to B, and everything converges.
    writer.provider.destroy();
    const rejoined = connect(wsUrlB, timeline.id, writer.doc);
    await waitForSync(rejoined);
    for (const client of [rejoined, reader]) {
      await waitFor(
        () => client.doc.getMap('stream').size === sent,
        `all ${sent} edits on ${client === reader ? 'B’s reader' : 'the rejoined writer'}`,
      );
    }
    reader.doc.getMap('stream').set('after', 1);
    await waitFor(() => rejoined.doc.getMap('stream').get('after') === 1, 'B relays again');

    // The room unloads on B, which holds the lease: the log is compacted into the state.
    rejoined.provider.disconnect();
    reader.provider.disconnect();
    await waitFor(
      async () => (await b.store.countLogRows(timeline.id)) === 0,
      'B to compact',
      10_000,
    );
    const final = new Y.Doc();
    for (const update of (await b.store.loadDoc(timeline.id))!.updates)
      Y.applyUpdate(final, update);
    assert.equal(final.getMap('stream').size, sent + 1);
    await waitFor(async () => (await redis.get(leaseKey)) === null, 'B to release the lease');
  });
});

describe('Redis going away between two instances', () => {
  const prefix = `chronoboard-test-${randomBytes(6).toString('hex')}`;
  let database: TestDatabase;
  let proxy: TcpProxy;
  const servers: RunningServer[] = [];
  const dirs: string[] = [];
  const clients: TestClient[] = [];
  let token: string;

  async function start(redisUrl: string): Promise<RunningServer> {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'chronoboard-outage-'));
    dirs.push(dataDir);
    const server = await startServer({
      port: 0,
      host: '127.0.0.1',
      databaseUrl: database.url,
      dataDir,
      web: false,
      seedDemo: false,
      logger: createLogger('error'),
      // Resync only after reconnection: the repair below must come from that path.
      redis: { url: redisUrl, prefix, leaseMs: LEASE_MS, resyncMs: 600_000 },
      collab: { idleMs: 300 },
    });
    servers.push(server);
    return server;
  }
  const wsUrlOf = (server: RunningServer) => `${server.url.replace(/^http/, 'ws')}/collab`;
  const connectTo = (server: RunningServer, timelineId: string) => {
    const client = connectClient(wsUrlOf(server), timelineId, undefined, { token });
    clients.push(client);
    return client;
  };

  before(async () => {
    database = await createTestDatabase();
    const redisUrl = new URL(REDIS_URL);
    proxy = await startTcpProxy({ host: redisUrl.hostname, port: Number(redisUrl.port || 6379) });
    const direct = await start(REDIS_URL);
    await start(`redis://127.0.0.1:${proxy.port}`);
    const { user } = await direct.services.access.createUser({
      email: 'ops@example.test',
      name: 'Ops',
      role: 'admin',
    });
    token = (await direct.services.access.createApiToken(user.id, 'outage test')).token;
  });

  after(async () => {
    for (const client of clients) client.destroy();
    for (const server of servers) await server.close();
    await proxy?.close();
    await database?.drop();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('keeps each instance serving its own clients, reports it, and converges when Redis is back', async () => {
    const [direct, viaProxy] = servers as [RunningServer, RunningServer];
    const timeline = await direct.services.timelines.createTimeline({ title: 'Outage' });
    const onDirect = connectTo(direct, timeline.id);
    const cutOffA = connectTo(viaProxy, timeline.id);
    const cutOffB = connectTo(viaProxy, timeline.id);
    await Promise.all([onDirect, cutOffA, cutOffB].map((client) => waitForSync(client)));
    onDirect.doc.getMap('m').set('before', 1);
    await waitFor(() => cutOffB.doc.getMap('m').get('before') === 1, 'the edit to cross');

    proxy.cut();
    await waitFor(
      async () => (await viaProxy.services.checkHealth()).redis === 'unreachable',
      'health to report Redis unreachable',
    );
    const health = await viaProxy.services.checkHealth();
    assert.equal(health.ok, true, 'the instance itself stays healthy');
    // The cut-off instance still relays between its own clients and stores their edits.
    cutOffA.doc.getMap('m').set('during, cut off', 2);
    onDirect.doc.getMap('m').set('during, direct', 3);
    await waitFor(() => cutOffB.doc.getMap('m').get('during, cut off') === 2, 'local relay');
    await sleep(300);
    assert.equal(onDirect.doc.getMap('m').get('during, cut off'), undefined, 'nothing crossed');
    assert.equal(cutOffB.doc.getMap('m').get('during, direct'), undefined, 'nothing crossed');

    proxy.restore();
    for (const client of [onDirect, cutOffA, cutOffB]) {
      await waitFor(
        () =>
          client.doc.getMap('m').get('during, cut off') === 2 &&
          client.doc.getMap('m').get('during, direct') === 3,
        'both sides’ edits everywhere after Redis returned',
        15_000,
      );
    }
    assert.equal((await viaProxy.services.checkHealth()).redis, 'connected');
  });

  it('merges what another instance logged before compacting, so none of it is deleted unseen', async () => {
    const [holder, cutOff] = servers as [RunningServer, RunningServer];
    const timeline = await holder.services.timelines.createTimeline({ title: 'Merge' });
    const onHolder = connectTo(holder, timeline.id);
    await waitForSync(onHolder);
    await waitFor(() => holder.shared!.leaseOf(timeline.id), 'the holder to take the lease');
    const onCutOff = connectTo(cutOff, timeline.id);
    await waitForSync(onCutOff);

    // With Redis cut, the other instance's edit reaches the log but never the holder's document.
    proxy.cut();
    await waitFor(
      async () => (await cutOff.services.checkHealth()).redis === 'unreachable',
      'the cut',
    );
    onCutOff.doc.getMap('m').set('logged elsewhere', 1);
    await waitFor(async () => (await holder.store.countLogRows(timeline.id)) >= 1, 'its row');
    // A later row of the holder's own: compaction covers the log up to at least that one.
    onHolder.doc.getMap('m').set('own', 2);
    await waitFor(async () => (await holder.store.countLogRows(timeline.id)) >= 2, 'own row');
    assert.equal(onHolder.doc.getMap('m').get('logged elsewhere'), undefined);

    // The holder's room empties and unloads: it compacts (it holds the lease, Redis is up for it).
    onHolder.provider.disconnect();
    await waitFor(
      async () => (await holder.store.countLogRows(timeline.id)) === 0,
      'the holder to compact',
    );
    const stored = new Y.Doc();
    for (const update of (await holder.store.loadDoc(timeline.id))!.updates) {
      Y.applyUpdate(stored, update);
    }
    assert.equal(stored.getMap('m').get('own'), 2);
    assert.equal(
      stored.getMap('m').get('logged elsewhere'),
      1,
      'the other instance’s row survived',
    );
    proxy.restore();
  });

  it('stops within seconds while Redis is away, with its rooms written', async () => {
    const [direct, viaProxy] = servers as [RunningServer, RunningServer];
    const timeline = await direct.services.timelines.createTimeline({ title: 'Stop' });
    const client = connectTo(viaProxy, timeline.id);
    await waitForSync(client);
    proxy.cut();
    await waitFor(
      async () => (await viaProxy.services.checkHealth()).redis === 'unreachable',
      'the cut',
    );
    client.doc.getMap('m').set('last edit', 1);
    await sleep(100);
    const started = performance.now();
    await viaProxy.close();
    const took = performance.now() - started;
    assert.ok(took < 8_000, `stopped in ${Math.round(took)} ms`);
    const stored = new Y.Doc();
    for (const update of (await direct.store.loadDoc(timeline.id))!.updates) {
      Y.applyUpdate(stored, update);
    }
    assert.equal(stored.getMap('m').get('last edit'), 1);
    proxy.restore();
  });
});
