/**
 * The Prisma store and the migration runner against real PGlite and PostgreSQL: the update log,
 * compaction keeping content identical while shrinking the log, and idempotent migrations.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import * as Y from 'yjs';
import {
  createEvent,
  initializeTimeline,
  readTimeline,
  updateEvent,
} from '../../lib/timeline/model';
import {
  DEFAULT_PERSISTENCE_OPTIONS,
  RoomPersistence,
} from '../../server/collab/extensions/persistence';
import { type Database, openDatabase } from '../../server/db/database';
import { applyMigrations, readMigrations } from '../../server/db/migrate';
import { createLogger } from '../../server/log';
import { createPrismaStore } from '../../server/store/prismaStore';
import { LateRowsError, type TimelineStore } from '../../server/store/types';
import { BACKENDS, type Backend, createBackend } from './helpers/backends';
import { loadStoredDoc } from './helpers/collabServer';

for (const backendName of BACKENDS) {
  describe(`Prisma store on ${backendName}`, () => {
    let backend: Backend;
    let database: Database;
    let store: TimelineStore;

    before(async () => {
      backend = await createBackend(backendName);
      database = await openDatabase(backend.storage);
      store = createPrismaStore(database);
    });

    after(async () => {
      await database?.close();
      await backend?.cleanup();
    });

    it('applies migrations once and records them like prisma migrate deploy', async () => {
      assert.equal(database.kind, backendName);
      const rows = await database.prisma.$queryRaw<{ migration_name: string; checksum: string }[]>`
        SELECT migration_name, checksum FROM "_prisma_migrations"`;
      const migrations = await readMigrations();
      assert.deepEqual(
        rows.map((row) => [row.migration_name, row.checksum]),
        migrations.map((m) => [m.name, m.checksum]),
      );
      // Opening again applies nothing new.
      await database.close();
      database = await openDatabase(backend.storage);
      store = createPrismaStore(database);
      const again = await database.prisma.$queryRaw<
        { n: bigint }[]
      >`SELECT count(*) AS n FROM "_prisma_migrations"`;
      assert.equal(Number(again[0]!.n), migrations.length);
    });

    it('compacts the log into the state without changing the content', async () => {
      const source = new Y.Doc();
      const [lane] = initializeTimeline(source, {
        title: 'Compaction',
        lanes: [{ title: 'Lane' }],
      });
      await store.createTimeline(
        { id: `compact-${backendName}`, title: 'Compaction', eventCount: 0 },
        Y.encodeStateAsUpdate(source),
      );
      const id = `compact-${backendName}`;

      // A room's persistence writes each batch as one log row.
      const persistence = new RoomPersistence(
        store,
        id,
        source,
        0n,
        { ...DEFAULT_PERSISTENCE_OPTIONS, flushDelayMs: 1_000_000, compactEveryRows: 1_000_000 },
        createLogger('error'),
      );
      source.on('update', (update: Uint8Array) => persistence.enqueue(update));
      for (let i = 0; i < 30; i++) {
        const eventId = createEvent(source, {
          title: `Event ${i}`,
          kind: 'point',
          start: `2019-02-${String((i % 28) + 1).padStart(2, '0')}`,
          lane: lane!,
        });
        updateEvent(source, eventId, { description: `Note ${i}` });
        await persistence.flush();
      }
      assert.equal(await store.countLogRows(id), 30);
      const beforeDoc = await loadStoredDoc(store, id);
      const before = {
        vector: Y.encodeStateVector(beforeDoc),
        json: JSON.stringify(readTimeline(beforeDoc)),
      };
      assert.equal(readTimeline(beforeDoc).events.length, 30);

      await persistence.compact();
      assert.equal(await store.countLogRows(id), 0, 'log emptied');
      const afterDoc = await loadStoredDoc(store, id);
      assert.deepEqual(Y.encodeStateVector(afterDoc), before.vector);
      assert.equal(JSON.stringify(readTimeline(afterDoc)), before.json);
      assert.equal(JSON.stringify(readTimeline(source)), before.json);

      // Rows written after a compaction are loaded on top of the state.
      createEvent(source, {
        title: 'After compaction',
        kind: 'point',
        start: '2019-03-01',
        lane: lane!,
      });
      await persistence.flush();
      assert.equal(await store.countLogRows(id), 1);
      assert.equal(readTimeline(await loadStoredDoc(store, id)).events.length, 31);
      const summary = await store.getTimeline(id);
      assert.equal(summary?.eventCount, 31);
      persistence.stop();
    });

    it('ignores a compaction older than the stored one', async () => {
      const id = `stale-${backendName}`;
      const doc = new Y.Doc();
      initializeTimeline(doc, { title: 'Stale', lanes: [{ title: 'Lane' }] });
      await store.createTimeline({ id, title: 'Stale', eventCount: 0 }, Y.encodeStateAsUpdate(doc));
      const first = await store.appendUpdate(id, Y.encodeStateAsUpdate(doc), {
        title: 'Stale',
        eventCount: 0,
      });
      doc.getMap('meta').set('title', 'Newer');
      const second = await store.appendUpdate(id, Y.encodeStateAsUpdate(doc), {
        title: 'Newer',
        eventCount: 0,
      });
      await store.compact(id, Y.encodeStateAsUpdate(doc), second);
      await store.compact(id, new Uint8Array([0, 0]), first);
      const loaded = await loadStoredDoc(store, id);
      assert.equal(loaded.getMap('meta').get('title'), 'Newer');
    });

    it('writes and reads large byte strings intact: log rows, the compacted state, snapshots', async () => {
      const id = `large-${backendName}`;
      const doc = new Y.Doc();
      initializeTimeline(doc, { title: 'Large', lanes: [{ title: 'Lane' }] });
      await store.createTimeline({ id, title: 'Large', eventCount: 0 }, Y.encodeStateAsUpdate(doc));
      // Every byte value, zeros and high bytes included, in a pseudo-random order: what a
      // text or hex conversion on the way would garble or shorten.
      const bytesOf = (size: number, seed: number) => {
        const bytes = new Uint8Array(size);
        let x = seed;
        for (let i = 0; i < size; i++) {
          x = (x * 1_103_515_245 + 12_345) >>> 0;
          bytes[i] = x >>> 24;
        }
        return bytes;
      };
      const row = bytesOf(6 * 1024 * 1024, 1);
      const before = Date.now();
      const rowId = await store.appendUpdate(id, row, { title: 'Large', eventCount: 7 });
      const summary = await store.getTimeline(id);
      assert.equal(summary?.eventCount, 7);
      // The summary's time is UTC now, whatever the database session's time zone.
      assert.ok(Math.abs(summary!.updatedAt.getTime() - before) < 60_000, `${summary?.updatedAt}`);
      let stored = await store.loadDoc(id);
      assert.equal(stored?.updates.length, 2);
      assert.ok(Buffer.from(stored!.updates[1]!).equals(Buffer.from(row)), 'log row intact');
      assert.equal(stored?.lastUpdateId, rowId);
      assert.equal(Object.getPrototypeOf(stored!.updates[1]), Uint8Array.prototype);

      const state = bytesOf(12 * 1024 * 1024, 2);
      await store.compact(id, state, rowId);
      assert.equal(await store.countLogRows(id), 0);
      stored = await store.loadDoc(id);
      assert.equal(stored?.updates.length, 1);
      assert.ok(Buffer.from(stored!.updates[0]!).equals(Buffer.from(state)), 'state intact');
      assert.equal(stored?.lastUpdateId, rowId);
      // A caller that holds every row up to the state's bound does not get the state again,
      // but still every row after it.
      const next = await store.appendUpdate(id, new Uint8Array([9, 9]), {
        title: 'Large',
        eventCount: 7,
      });
      assert.deepEqual(await store.loadDoc(id, { skipStateUpTo: rowId }), {
        updates: [new Uint8Array([9, 9])],
        lastUpdateId: next,
        logRows: 1,
      });
      const older = await store.loadDoc(id, { skipStateUpTo: rowId - 1n });
      assert.equal(older?.updates.length, 2, 'a state newer than the bound is read');
      await store.compact(id, state, next);

      const createdAt = new Date(Date.UTC(2026, 10, 30, 23, 59, 58, 123));
      const snapshot = await store.createSnapshot(
        {
          id: `snap-${backendName}`,
          timelineId: id,
          kind: 'named',
          label: 'Big',
          author: 'Ana',
          eventCount: 7,
          createdAt,
        },
        state,
      );
      assert.deepEqual(snapshot, {
        id: `snap-${backendName}`,
        timelineId: id,
        kind: 'named',
        label: 'Big',
        author: 'Ana',
        eventCount: 7,
        createdAt,
      });
      const read = await store.getSnapshot(id, snapshot.id);
      assert.deepEqual(read?.record, snapshot);
      assert.ok(Buffer.from(read!.state).equals(Buffer.from(state)), 'snapshot state intact');
      assert.deepEqual(await store.listSnapshots(id), [snapshot]);
      assert.equal(await store.getSnapshot('missing', snapshot.id), null);
    });

    it('refuses to log an update for a timeline that does not exist', async () => {
      await assert.rejects(
        store.appendUpdate('missing', new Uint8Array([1, 2, 3]), { title: 'x', eventCount: 0 }),
      );
      await assert.rejects(store.compact('missing', new Uint8Array([0, 0]), 0n));
    });

    if (backendName === 'postgresql') {
      // Only PostgreSQL has concurrent writers (several instances); PGlite has one connection.
      it('refuses a compaction that would drop a row another writer committed late below its bound, then folds it', async () => {
        const id = 'late-rows';
        const doc = new Y.Doc();
        const [lane] = initializeTimeline(doc, { title: 'Late', lanes: [{ title: 'Lane' }] });
        await store.createTimeline(
          { id, title: 'Late', eventCount: 0 },
          Y.encodeStateAsUpdate(doc),
        );
        const change = (title: string) => {
          const before = Y.encodeStateVector(doc);
          createEvent(doc, { title, kind: 'point', start: '2019-02-27', lane: lane! });
          return Y.encodeStateAsUpdate(doc, before);
        };
        const titlesOf = async () =>
          readTimeline(await loadStoredDoc(store, id))
            .events.map((event) => event.title)
            .sort();
        const summary = { title: 'Late', eventCount: 0 };
        await store.appendUpdate(id, change('First'), summary);

        // Another instance's row gets its id, and commits only after this compactor read the log.
        const other = new pg.Client({ connectionString: backend.storage.databaseUrl });
        await other.connect();
        try {
          await other.query('BEGIN');
          await other.query(
            `INSERT INTO "DocUpdate" ("timelineId", "data", "createdAt") VALUES ($1, $2, now())`,
            [id, Buffer.from(change('Late'))],
          );
          await store.appendUpdate(id, change('Third'), summary);
          const read = await store.loadDoc(id);
          assert.equal(read!.logRows, 2);
          const compactor = new Y.Doc();
          for (const update of read!.updates) Y.applyUpdate(compactor, update);
          await other.query('COMMIT');
          await assert.rejects(
            store.compact(id, Y.encodeStateAsUpdate(compactor), read!.lastUpdateId, undefined, 2),
            LateRowsError,
          );
          assert.deepEqual(await titlesOf(), ['First', 'Late', 'Third']);

          // The next compaction reads the late row and folds it.
          const again = await store.loadDoc(id);
          assert.equal(again!.logRows, 3);
          for (const update of again!.updates) Y.applyUpdate(compactor, update);
          await store.compact(
            id,
            Y.encodeStateAsUpdate(compactor),
            again!.lastUpdateId,
            undefined,
            again!.logRows,
          );
          assert.equal(await store.countLogRows(id), 0);
          assert.deepEqual(await titlesOf(), ['First', 'Late', 'Third']);

          // A row below the state's bound (committed after a compaction deleted up to it) is
          // still read.
          await other.query(
            `INSERT INTO "DocUpdate" ("id", "timelineId", "data", "createdAt")
             VALUES ($1::bigint - 1, $2, $3, now())`,
            [again!.lastUpdateId.toString(), id, Buffer.from(change('Below'))],
          );
          assert.deepEqual(await titlesOf(), ['Below', 'First', 'Late', 'Third']);
        } finally {
          await other.end();
        }
      });
    }

    it('appends activity entries in one statement, in order, fields and text intact', async () => {
      const id = 'activity-rows';
      await store.createTimeline({ id, title: 'Activity', eventCount: 0 }, new Uint8Array([0, 0]));
      const at = new Date(Date.UTC(2019, 1, 27, 23, 59, 58, 123));
      const entries = [
        { fields: [], title: 'Plain' },
        { fields: ['title', 'description'], title: 'Quotes " and \\ backslash, commas' },
        { fields: ['sources', '{braces}', 'Ünïcode ✓'], title: '북한 국경 통신 장애' },
        { fields: ['x'], title: '' },
      ].map((entry, index) => ({
        timelineId: id,
        at: new Date(at.getTime() + index),
        actor: `Actor ${index}`,
        action: 'updated' as const,
        eventId: `evt_${index}`,
        eventTitle: entry.title,
        fields: entry.fields,
        ...(index === 3 ? { count: 250 } : {}),
      }));
      const ids = await store.appendActivity(entries);
      assert.equal(ids.length, entries.length);
      assert.deepEqual(
        [...ids].sort((a, b) => (a < b ? -1 : 1)),
        ids,
        'ids in order',
      );
      const listed = (await store.listActivity(id, 10)).reverse();
      assert.deepEqual(
        listed.map(
          ({ id: rowId, at: when, actor, action, eventId, eventTitle, fields, count }) => ({
            rowId,
            when: when.getTime(),
            actor,
            action,
            eventId,
            eventTitle,
            fields,
            count,
          }),
        ),
        entries.map((entry, index) => ({
          rowId: ids[index],
          when: entry.at.getTime(),
          actor: entry.actor,
          action: entry.action,
          eventId: entry.eventId,
          eventTitle: entry.eventTitle,
          fields: entry.fields,
          count: index === 3 ? 250 : 1,
        })),
      );
      assert.deepEqual(await store.appendActivity([]), []);
    });

    it('returns null for unknown timelines', async () => {
      assert.equal(await store.loadDoc('missing'), null);
      assert.equal(await store.getTimeline('missing'), null);
    });
  });
}

describe('migration runner', () => {
  it('refuses an applied migration whose file changed, and rolls back a failing one', async () => {
    const db = await PGlite.create();
    const connection = {
      query: async <Row>(sql: string, params?: unknown[]) =>
        (await db.query<Row>(sql, params)).rows,
      runInTransaction: async (script: string, record: { sql: string; params: unknown[] }) => {
        await db.transaction(async (tx) => {
          await tx.exec(script);
          await tx.query(record.sql, record.params);
        });
      },
    };
    const good = { name: '001_a', sql: 'CREATE TABLE a (id int);', checksum: 'x1' };
    assert.deepEqual(await applyMigrations(connection, [good]), ['001_a']);
    assert.deepEqual(await applyMigrations(connection, [good]), []);
    await assert.rejects(
      applyMigrations(connection, [{ ...good, checksum: 'changed' }]),
      /was changed/,
    );

    // A function body with semicolons inside $$ (what naive splitting breaks) applies whole.
    const fn = {
      name: '002_fn',
      sql: `CREATE FUNCTION f() RETURNS int AS $$ BEGIN PERFORM 1; RETURN 2; END; $$ LANGUAGE plpgsql;`,
      checksum: 'x2',
    };
    const broken = {
      name: '003_broken',
      sql: 'CREATE TABLE b (id int); SELECT nope;',
      checksum: 'x3',
    };
    await assert.rejects(applyMigrations(connection, [good, fn, broken]), /003_broken failed/);
    assert.equal((await db.query<{ f: number }>('SELECT f() AS f')).rows[0]!.f, 2);
    const tables = await db.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'b'`);
    assert.equal(tables.rows.length, 0, 'failed migration rolled back');
    const recorded = await db.query<{ migration_name: string }>(
      'SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name',
    );
    assert.deepEqual(
      recorded.rows.map((r) => r.migration_name),
      ['001_a', '002_fn'],
    );
    await db.close();
  });
});
