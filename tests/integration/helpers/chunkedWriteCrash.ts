/**
 * Child process of tests/integration/storeChunks.test.ts: opens the store on the database named
 * by CRASH_STORAGE (JSON of DatabaseConfig) and starts one large write (CRASH_OPERATION:
 * 'compact' | 'append' | 'snapshot') of CRASH_BYTES bytes to timeline CRASH_TIMELINE. When the
 * write is about to store its third chunk it tells the parent ('midway') and stops there; the
 * parent then kills it (SIGKILL), so the write's transaction never ends.
 */
import { type Database, openDatabase, type SqlQueryable } from '../../../server/db/database';
import { createPrismaStore } from '../../../server/store/prismaStore';

const storage = JSON.parse(process.env.CRASH_STORAGE!) as { databaseUrl?: string; dataDir: string };
const operation = process.env.CRASH_OPERATION!;
const timelineId = process.env.CRASH_TIMELINE!;
const size = Number(process.env.CRASH_BYTES);

// Stay alive until killed, whatever the database's own handles do.
setInterval(() => {}, 1_000);

const database = await openDatabase(storage);
const hooked = (target: SqlQueryable): SqlQueryable => ({
  async query(text, params) {
    if (/INSERT INTO "\w+Chunk"/.test(text) && params?.[1] === 2) {
      process.send?.('midway');
      await new Promise(() => {});
    }
    return target.query(text, params);
  },
});
const wrapped: Database = {
  ...database,
  sql: {
    query: (text, params) => database.sql.query(text, params),
    transaction: (work, options) => database.sql.transaction((tx) => work(hooked(tx)), options),
  },
};
const store = createPrismaStore(wrapped);
const value = new Uint8Array(size).fill(0xab);
if (operation === 'compact') {
  await store.compact(timelineId, value, BigInt(process.env.CRASH_BOUND ?? '0'));
} else if (operation === 'append') {
  await store.appendUpdate(timelineId, value, { title: 'crash', eventCount: 1 });
} else {
  await store.createSnapshot(
    { id: 'crash-snapshot', timelineId, kind: 'named', label: null, author: null, eventCount: 1 },
    value,
  );
}
process.send?.('finished');
