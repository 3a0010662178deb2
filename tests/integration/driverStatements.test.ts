/**
 * The statements that go through the database's driver instead of Prisma so that the
 * collaboration-only process never loads Prisma's query compiler (server/access/credentialRows.ts
 * and the room's side of server/store/prismaStore.ts), on PGlite and PostgreSQL. Rows are written
 * with Prisma and read back both ways: the driver's answers must be what Prisma reads, times
 * included, in a process whose time zone is not UTC.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  extendSession,
  findApiToken,
  findSession,
  findShareLink,
  touchApiToken,
} from '../../server/access/credentialRows';
import { type Database, openDatabase } from '../../server/db/database';
import { createPrismaStore } from '../../server/store/prismaStore';
import type { TimelineStore } from '../../server/store/types';
import { BACKENDS, type Backend, createBackend } from './helpers/backends';

// Times are stored as UTC: a driver that read them in local time would be hours off here.
process.env.TZ = 'America/New_York';

const at = (iso: string) => new Date(iso);

for (const backendName of BACKENDS) {
  describe(`driver statements on ${backendName}`, () => {
    let backend: Backend;
    let database: Database;
    let store: TimelineStore;

    before(async () => {
      backend = await createBackend(backendName);
      database = await openDatabase(backend.storage);
      store = createPrismaStore(database);
      const { prisma } = database;
      await prisma.user.create({
        data: {
          id: 'u1',
          email: 'ana@example.test',
          name: 'Ana',
          role: 'editor',
          passwordHash: 'x',
          createdAt: at('2024-01-02T03:04:05.678Z'),
        },
      });
      await prisma.apiToken.createMany({
        data: [
          { id: 't1', tokenHash: 'hash-t1', userId: 'u1', name: 'never used' },
          {
            id: 't2',
            tokenHash: 'hash-t2',
            userId: 'u1',
            name: 'used',
            lastUsedAt: at('2024-06-30T23:59:59.999Z'),
          },
        ],
      });
      await prisma.session.create({
        data: {
          id: 's1',
          tokenHash: 'hash-s1',
          userId: 'u1',
          expiresAt: at('2030-01-01T00:00:00.001Z'),
          lastSeenAt: at('2024-03-10T07:30:00.000Z'),
        },
      });
      await store.createTimeline(
        { id: 'tl1', title: 'One', eventCount: 0 },
        new Uint8Array([0, 0]),
      );
      await prisma.shareLink.createMany({
        data: [
          { id: 'l1', tokenHash: 'hash-l1', timelineId: 'tl1', role: 'view' },
          {
            id: 'l2',
            tokenHash: 'hash-l2',
            timelineId: 'tl1',
            role: 'edit',
            expiresAt: at('2031-05-05T05:05:05.555Z'),
            revokedAt: at('2024-05-05T00:00:00.000Z'),
            suspendedAt: at('2024-05-06T00:00:00.000Z'),
          },
        ],
      });
    });

    after(async () => {
      await database?.close();
      await backend?.cleanup();
    });

    it('reads API tokens, sessions and share links as Prisma does', async () => {
      const { prisma, sql } = database;
      const user = await prisma.user.findUniqueOrThrow({ where: { id: 'u1' } });
      const expectedUser = {
        id: user.id,
        email: user.email,
        name: user.name,
        role: user.role,
        createdAt: user.createdAt,
      };
      assert.deepEqual(expectedUser.createdAt, at('2024-01-02T03:04:05.678Z'));
      assert.deepEqual(await findApiToken(sql, 'hash-t1'), {
        id: 't1',
        lastUsedAt: null,
        user: expectedUser,
      });
      assert.deepEqual(await findApiToken(sql, 'hash-t2'), {
        id: 't2',
        lastUsedAt: at('2024-06-30T23:59:59.999Z'),
        user: expectedUser,
      });
      assert.equal(await findApiToken(sql, 'hash-nope'), null);
      assert.deepEqual(await findSession(sql, 'hash-s1'), {
        id: 's1',
        expiresAt: at('2030-01-01T00:00:00.001Z'),
        lastSeenAt: at('2024-03-10T07:30:00.000Z'),
        user: expectedUser,
      });
      assert.equal(await findSession(sql, 'hash-t1'), null, 'a token hash of another kind');
      assert.deepEqual(await findShareLink(sql, 'hash-l1'), {
        id: 'l1',
        timelineId: 'tl1',
        role: 'view',
        expiresAt: null,
        revokedAt: null,
        suspendedAt: null,
      });
      const l2 = await prisma.shareLink.findUniqueOrThrow({ where: { id: 'l2' } });
      assert.deepEqual(await findShareLink(sql, 'hash-l2'), {
        id: 'l2',
        timelineId: 'tl1',
        role: 'edit',
        expiresAt: l2.expiresAt,
        revokedAt: l2.revokedAt,
        suspendedAt: l2.suspendedAt,
      });
      assert.deepEqual(l2.expiresAt, at('2031-05-05T05:05:05.555Z'));
    });

    it('records a token’s use and slides a session as Prisma reads them back', async () => {
      const { prisma, sql } = database;
      await touchApiToken(sql, 't1', at('2025-02-03T04:05:06.789Z'));
      const token = await prisma.apiToken.findUniqueOrThrow({ where: { id: 't1' } });
      assert.deepEqual(token.lastUsedAt, at('2025-02-03T04:05:06.789Z'));
      assert.equal(
        await extendSession(
          sql,
          's1',
          at('2025-02-03T00:00:00.000Z'),
          at('2025-03-05T00:00:00.000Z'),
        ),
        true,
      );
      const session = await prisma.session.findUniqueOrThrow({ where: { id: 's1' } });
      assert.deepEqual(
        [session.lastSeenAt, session.expiresAt],
        [at('2025-02-03T00:00:00.000Z'), at('2025-03-05T00:00:00.000Z')],
      );
      assert.equal(await extendSession(sql, 'gone', new Date(), new Date()), false);
    });

    it('lists, pages, filters and deletes snapshots', async () => {
      const state = new Uint8Array([0, 0]);
      const make = (id: string, kind: 'auto' | 'named', createdAt: string) =>
        store.createSnapshot(
          {
            id,
            timelineId: 'tl1',
            kind,
            label: kind === 'named' ? id : null,
            author: null,
            eventCount: 0,
            createdAt: at(createdAt),
          },
          state,
        );
      await make('a', 'auto', '2024-01-01T00:00:00.000Z');
      await make('b', 'named', '2024-01-02T00:00:00.000Z');
      // Two at the same millisecond: the id orders them.
      await make('c', 'auto', '2024-01-03T00:00:00.000Z');
      await make('d', 'auto', '2024-01-03T00:00:00.000Z');
      const ids = async (query: Parameters<TimelineStore['listSnapshots']>[1]) =>
        (await store.listSnapshots('tl1', query)).map((record) => record.id);
      assert.deepEqual(await ids({}), ['d', 'c', 'b', 'a']);
      const [newest] = await store.listSnapshots('tl1', { limit: 1 });
      assert.deepEqual(newest, {
        id: 'd',
        timelineId: 'tl1',
        kind: 'auto',
        label: null,
        author: null,
        eventCount: 0,
        createdAt: at('2024-01-03T00:00:00.000Z'),
      });
      assert.deepEqual(await ids({ kind: 'auto' }), ['d', 'c', 'a']);
      assert.deepEqual(await ids({ kind: 'named', limit: 5 }), ['b']);
      assert.deepEqual(await ids({ createdBefore: at('2024-01-03T00:00:00.000Z') }), ['b', 'a']);
      // Keyset pages of two.
      const first = await store.listSnapshots('tl1', { limit: 2 });
      assert.deepEqual(
        first.map((record) => record.id),
        ['d', 'c'],
      );
      const last = first.at(-1)!;
      assert.deepEqual(await ids({ limit: 2, after: { id: last.id, createdAt: last.createdAt } }), [
        'b',
        'a',
      ]);
      assert.deepEqual(
        await ids({ kind: 'auto', after: { id: 'd', createdAt: at('2024-01-03T00:00:00.000Z') } }),
        ['c', 'a'],
      );
      assert.deepEqual(await store.listSnapshots('other', {}), []);
      assert.equal(await store.deleteSnapshots('tl1', ['a', 'c', 'missing']), 2);
      assert.equal(await store.deleteSnapshots('other', ['b']), 0, 'only the timeline’s own');
      assert.deepEqual(await ids({}), ['d', 'b']);
    });

    it('updates activity entries, counts log rows, claims fences, reads settings', async () => {
      const [id] = await store.appendActivity([
        {
          timelineId: 'tl1',
          at: at('2024-01-01T00:00:00.000Z'),
          actor: 'Ana',
          action: 'updated',
          eventId: 'e1',
          eventTitle: 'Before',
          fields: ['title'],
        },
      ]);
      await store.updateActivity(id!, {
        at: at('2024-01-01T00:00:30.500Z'),
        fields: ['start', 'title'],
        eventTitle: 'After',
      });
      const [entry] = await store.listActivity('tl1', 10);
      assert.deepEqual(
        [entry!.at, entry!.fields, entry!.eventTitle],
        [at('2024-01-01T00:00:30.500Z'), ['start', 'title'], 'After'],
      );
      await assert.rejects(store.updateActivity(id! + 1000n, entry!), /does not exist/);

      assert.equal(await store.countLogRows('tl1'), 0);
      await store.appendUpdate('tl1', new Uint8Array([1, 2]), { title: 'One', eventCount: 0 });
      await store.appendUpdate('tl1', new Uint8Array([3]), { title: 'One', eventCount: 0 });
      assert.equal(await store.countLogRows('tl1'), 2);

      const fence = await store.claimStorageFence('tl1');
      assert.equal(await store.claimStorageFence('tl1'), fence + 1n);
      const row = await database.prisma.timeline.findUniqueOrThrow({ where: { id: 'tl1' } });
      assert.equal(row.storageFence, fence + 1n);
      await assert.rejects(store.claimStorageFence('missing'), /does not exist/);

      assert.equal(await store.getSetting('demo'), null);
      await store.setSetting('demo', 'tl1');
      assert.equal(await store.getSetting('demo'), 'tl1');
      await store.ping();
    });
  });
}
