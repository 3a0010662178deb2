/**
 * Large document values in bounded chunks (server/store/chunks.ts), on PGlite and PostgreSQL:
 * a state, log row or snapshot over 1 MiB is stored as ≤ 1 MiB rows and read back byte for byte;
 * rows written before chunking (one big bytea) are still read; a value with missing chunks is
 * refused rather than returned short; and a large write killed midway (SIGKILL of the writing
 * process inside its transaction) leaves the previous state, log and snapshots readable.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Database, openDatabase } from '../../server/db/database';
import { CHUNK_BYTES } from '../../server/store/chunks';
import { createPrismaStore } from '../../server/store/prismaStore';
import type { TimelineStore } from '../../server/store/types';
import { BACKENDS, type Backend, createBackend } from './helpers/backends';
import { ROOT } from './helpers/serverProcess';

const MiB = 1024 * 1024;

/** Every byte value in a pseudo-random order (what a text conversion would garble). */
function bytesOf(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1_103_515_245 + 12_345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}

function same(a: Uint8Array | undefined, b: Uint8Array): boolean {
  return a !== undefined && Buffer.from(a).equals(Buffer.from(b));
}

for (const backendName of BACKENDS) {
  describe(`chunked document values on ${backendName}`, () => {
    let backend: Backend;
    let database: Database;
    let store: TimelineStore;

    const chunkRows = async (table: string, key: string, owner: string) =>
      (
        await database.sql.query<{ seq: number; size: number }>(
          `SELECT "seq", octet_length("data") AS size FROM "${table}"
            WHERE "${key}"::text = $1 ORDER BY "seq"`,
          [owner],
        )
      ).rows;

    before(async () => {
      backend = await createBackend(backendName);
      database = await openDatabase(backend.storage);
      store = createPrismaStore(database);
    });

    after(async () => {
      await database?.close();
      await backend?.cleanup();
    });

    it('stores a 5 MiB state, log row and snapshot in ≤ 1 MiB chunks and reads them back intact', async () => {
      const id = 'chunked';
      await store.createTimeline({ id, title: 'Chunked', eventCount: 0 }, new Uint8Array([0, 0]));
      // One byte over 5 MiB: five full chunks and a last one of one byte.
      const update = bytesOf(5 * MiB + 1, 1);
      const rowId = await store.appendUpdate(id, update, { title: 'Chunked', eventCount: 1 });
      const updateChunks = await chunkRows('DocUpdateChunk', 'updateId', rowId.toString());
      assert.deepEqual(
        updateChunks.map((chunk) => chunk.size),
        [MiB, MiB, MiB, MiB, MiB, 1],
      );
      const { rows: logRow } = await database.sql.query<{ chunks: number; size: number }>(
        `SELECT "chunks", octet_length("data") AS size FROM "DocUpdate" WHERE "id" = $1::bigint`,
        [rowId.toString()],
      );
      assert.deepEqual(logRow, [{ chunks: 6, size: 0 }], 'the row itself holds no bytes');
      let stored = await store.loadDoc(id);
      assert.equal(stored?.updates.length, 2);
      assert.ok(same(stored?.updates[1], update), 'log row read back intact');

      const state = bytesOf(5 * MiB, 2);
      await store.compact(id, state, rowId);
      const stateChunks = await chunkRows('DocStateChunk', 'timelineId', id);
      assert.equal(stateChunks.length, 5);
      assert.ok(stateChunks.every((chunk) => chunk.size <= CHUNK_BYTES));
      assert.equal(
        (await chunkRows('DocUpdateChunk', 'updateId', rowId.toString())).length,
        0,
        'the folded log row went with its chunks',
      );
      stored = await store.loadDoc(id);
      assert.equal(stored?.updates.length, 1);
      assert.ok(same(stored?.updates[0], state), 'state read back intact');
      assert.equal(Object.getPrototypeOf(stored!.updates[0]), Uint8Array.prototype);

      // A larger state replaces every chunk; a small one is stored in the row again.
      const bigger = bytesOf(7 * MiB + 5, 3);
      await store.compact(id, bigger, rowId);
      assert.equal((await chunkRows('DocStateChunk', 'timelineId', id)).length, 8);
      assert.ok(same((await store.loadDoc(id))?.updates[0], bigger));
      const small = bytesOf(1000, 4);
      await store.compact(id, small, rowId);
      assert.equal((await chunkRows('DocStateChunk', 'timelineId', id)).length, 0);
      assert.ok(same((await store.loadDoc(id))?.updates[0], small));
      await store.compact(id, state, rowId);

      const snapshot = await store.createSnapshot(
        {
          id: 'chunked-snap',
          timelineId: id,
          kind: 'named',
          label: 'S',
          author: null,
          eventCount: 1,
        },
        bigger,
      );
      assert.equal((await chunkRows('SnapshotChunk', 'snapshotId', snapshot.id)).length, 8);
      const read = await store.getSnapshot(id, snapshot.id);
      assert.deepEqual(read?.record, snapshot);
      assert.ok(same(read?.state, bigger), 'snapshot read back intact');

      // Many small log rows around a chunked one come back in order.
      const rows = [bytesOf(300_000, 5), bytesOf(900_000, 6), bytesOf(2 * MiB, 7), bytesOf(10, 8)];
      for (const row of rows)
        await store.appendUpdate(id, row, { title: 'Chunked', eventCount: 1 });
      stored = await store.loadDoc(id);
      assert.equal(stored?.updates.length, 5);
      assert.equal(stored?.logRows, 4);
      for (const [i, row] of rows.entries()) {
        assert.ok(same(stored?.updates[i + 1], row), `log row ${i}`);
      }

      // A large initial state is chunked too; deleting the timeline deletes every chunk.
      await store.createTimeline({ id: 'chunked-2', title: 'Big start', eventCount: 0 }, bigger);
      assert.ok(same((await store.loadDoc('chunked-2'))?.updates[0], bigger));
      assert.equal((await store.getTimeline('chunked-2'))?.title, 'Big start');
      assert.equal(await store.deleteTimeline(id), true);
      assert.equal(await store.deleteTimeline('chunked-2'), true);
      for (const table of ['DocStateChunk', 'DocUpdateChunk', 'SnapshotChunk']) {
        const { rows: left } = await database.sql.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "${table}"`,
        );
        assert.equal(left[0]!.n, 0, `${table} emptied`);
      }
    });

    it('reads large values stored in one row before chunking, and refuses a value with a chunk missing', async () => {
      const id = 'legacy';
      await store.createTimeline({ id, title: 'Legacy', eventCount: 0 }, new Uint8Array([0, 0]));
      const state = bytesOf(3 * MiB + 17, 9);
      const update = bytesOf(2 * MiB + 3, 10);
      const snapshotState = bytesOf(4 * MiB, 11);
      // As the store wrote them until chunking: the whole value in the row, "chunks" 0.
      await database.sql.query(`UPDATE "DocState" SET "state" = $2 WHERE "timelineId" = $1`, [
        id,
        state,
      ]);
      await database.sql.query(
        `INSERT INTO "DocUpdate" ("timelineId", "data", "createdAt") VALUES ($1, $2, now())`,
        [id, update],
      );
      await database.sql.query(
        `INSERT INTO "TimelineSnapshot" ("id", "timelineId", "kind", "eventCount", "state")
         VALUES ('legacy-snap', $1, 'named', 1, $2)`,
        [id, snapshotState],
      );
      const stored = await store.loadDoc(id);
      assert.equal(stored?.updates.length, 2);
      assert.ok(same(stored?.updates[0], state), 'old state intact');
      assert.ok(same(stored?.updates[1], update), 'old log row intact');
      assert.ok(same((await store.getSnapshot(id, 'legacy-snap'))?.state, snapshotState));

      // A chunked value missing a chunk is unreadable: loading fails instead of returning less.
      await store.compact(id, bytesOf(3 * MiB, 12), stored!.lastUpdateId);
      await database.sql.query(
        `DELETE FROM "DocStateChunk" WHERE "timelineId" = $1 AND "seq" = 1`,
        [id],
      );
      await assert.rejects(store.loadDoc(id), /unreadable/);
    });

    if (backendName === 'pglite') {
      it("keeps PGlite's memory from growing with the size of the values it stores and reads", async () => {
        assert.deepEqual(
          (await database.sql.query<{ shared_buffers: string }>('SHOW shared_buffers')).rows,
          [{ shared_buffers: '4MB' }],
        );
        const id = 'memory';
        await store.createTimeline({ id, title: 'Memory', eventCount: 0 }, new Uint8Array([0, 0]));
        // Warm up with values of a chunk's size, then write and read values 40 times larger:
        // bound or returned whole, each needed ~4 times its size at once, more than the 128 MiB
        // PGlite starts with.
        const small = bytesOf(MiB, 17);
        let row = await store.appendUpdate(id, small, { title: 'Memory', eventCount: 0 });
        await store.compact(id, small, row);
        await store.loadDoc(id);
        const before = database.memoryBytes!();
        // Compressible, as a document's bytes are (the TOAST compression's buffers count too).
        const large = new Uint8Array(40 * MiB);
        const line = Buffer.from('Report from district 42, Lane 3, https://example.org/r/\n');
        for (let i = 0; i < large.length; i += line.length)
          large.set(line.subarray(0, large.length - i), i);
        large[12_345] = 7;
        row = await store.appendUpdate(id, large, { title: 'Memory', eventCount: 0 });
        await store.compact(id, large, row);
        await store.createSnapshot(
          {
            id: 'memory-snap',
            timelineId: id,
            kind: 'auto',
            label: null,
            author: null,
            eventCount: 0,
          },
          large,
        );
        assert.ok(same((await store.loadDoc(id))?.updates[0], large));
        assert.ok(same((await store.getSnapshot(id, 'memory-snap'))?.state, large));
        const grown = database.memoryBytes!() - before;
        assert.ok(grown < 8 * MiB, `PGlite's memory grew by ${Math.round(grown / MiB)} MiB`);
      });
    }

    for (const operation of ['compact', 'append', 'snapshot'] as const) {
      it(`a chunked ${operation} killed midway leaves the previous state readable`, async () => {
        const id = `crash-${operation}`;
        await store.createTimeline({ id, title: 'Crash', eventCount: 0 }, new Uint8Array([0, 0]));
        const oldState = bytesOf(3 * MiB, 13);
        const row = await store.appendUpdate(id, bytesOf(100, 14), {
          title: 'Crash',
          eventCount: 0,
        });
        await store.compact(id, oldState, row);
        const logRow = bytesOf(2 * MiB, 15);
        const bound = await store.appendUpdate(id, logRow, { title: 'Crash', eventCount: 0 });
        // PGlite is one process's database: the writer gets the directory to itself.
        if (backendName === 'pglite') await database.close();

        const child = spawn(
          process.execPath,
          ['--import', 'tsx', path.join(ROOT, 'tests/integration/helpers/chunkedWriteCrash.ts')],
          {
            cwd: ROOT,
            stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
            env: {
              ...process.env,
              CRASH_STORAGE: JSON.stringify(backend.storage),
              CRASH_OPERATION: operation,
              CRASH_TIMELINE: id,
              CRASH_BYTES: String(5 * MiB),
              CRASH_BOUND: bound.toString(),
            },
          },
        );
        const exited = new Promise<NodeJS.Signals | null>((resolve) =>
          child.once('exit', (_code, signal) => resolve(signal)),
        );
        const message = await new Promise<string>((resolve, reject) => {
          child.once('message', (m) => resolve(String(m)));
          child.once('exit', (code) => reject(new Error(`writer exited (${code}) before midway`)));
        });
        assert.equal(message, 'midway');
        child.kill('SIGKILL');
        assert.equal(await exited, 'SIGKILL');

        if (backendName === 'pglite') {
          database = await openDatabase(backend.storage);
          store = createPrismaStore(database);
        }
        const stored = await store.loadDoc(id);
        assert.equal(stored?.updates.length, 2, 'the old state and the one log row');
        assert.ok(same(stored?.updates[0], oldState), 'old state intact');
        assert.ok(same(stored?.updates[1], logRow), 'log row intact');
        assert.equal(stored?.lastUpdateId, bound);
        assert.deepEqual(await store.listSnapshots(id), []);
        assert.equal((await chunkRows('DocStateChunk', 'timelineId', id)).length, 3);

        // And the store goes on: the same write now completes.
        const fresh = bytesOf(5 * MiB, 16);
        if (operation === 'compact') {
          await store.compact(id, fresh, bound);
          assert.ok(same((await store.loadDoc(id))?.updates[0], fresh));
        } else if (operation === 'append') {
          await store.appendUpdate(id, fresh, { title: 'Crash', eventCount: 0 });
          assert.ok(same((await store.loadDoc(id))?.updates[2], fresh));
        } else {
          await store.createSnapshot(
            {
              id: 'after-crash',
              timelineId: id,
              kind: 'named',
              label: null,
              author: null,
              eventCount: 0,
            },
            fresh,
          );
          assert.ok(same((await store.getSnapshot(id, 'after-crash'))?.state, fresh));
        }
      });
    }
  });
}
