import type { Database, SqlQueryable } from '../db/database';
import {
  CHUNK_BYTES,
  chunkCount,
  DOC_STATE,
  DOC_UPDATE,
  inlinePart,
  readValue,
  SNAPSHOT_STATE,
  writeChunks,
} from './chunks';
import type {
  ActivityAction,
  ActivityRecord,
  SnapshotKind,
  SnapshotRecord,
  StoredDoc,
  TimelineRecord,
  TimelineStore,
  TimelineSummaryFields,
} from './types';
import { FencedWriteError, LateRowsError } from './types';

/**
 * TimelineStore backed by Prisma (PostgreSQL or PGlite). The document's bytes — the compacted
 * state, the update log, snapshots — are written and read through the database's own driver
 * (`database.sql`): a 100,000-event state is 30 MB, which Prisma's engine would pass as base64
 * and copy several times, inside an interactive transaction that times out after 5 s.
 * So is everything a collaboration room does (log counts, activity, automatic snapshots, the
 * storage fence) and the health check: the collaboration-only process then never loads Prisma's
 * WebAssembly query compiler (~30 MiB; tests/integration/collabOnly.test.ts). The REST API's
 * other reads and writes go through Prisma.
 *
 * A value over 1 MiB (a big state, snapshot or log row) is stored as chunks of at most 1 MiB,
 * written with its row in one transaction and read back one chunk per statement (./chunks.ts):
 * the embedded PGlite's memory never has to hold a whole 30 MB value.
 */
export function createPrismaStore(database: Database): TimelineStore {
  const { prisma, sql } = database;
  const timelineFields = {
    id: true,
    title: true,
    eventCount: true,
    createdAt: true,
    updatedAt: true,
  } as const;

  return {
    async createTimeline(record, state) {
      if (chunkCount(state.byteLength) > 0) {
        // A large initial state: the rows and its chunks in one transaction, through the driver.
        await sql.transaction(async (tx) => {
          await tx.query(
            `INSERT INTO "Timeline" ("id", "title", "eventCount") VALUES ($1, $2, $3)`,
            [record.id, record.title, record.eventCount],
          );
          await tx.query(
            `INSERT INTO "DocState" ("timelineId", "state", "lastUpdateId", "chunks")
             VALUES ($1, $2, 0, $3)`,
            [record.id, inlinePart(state), chunkCount(state.byteLength)],
          );
          await writeChunks(tx, DOC_STATE, record.id, state);
        });
        return;
      }
      await prisma.timeline.create({
        data: {
          id: record.id,
          title: record.title,
          eventCount: record.eventCount,
          state: { create: { state: toBytes(state), lastUpdateId: 0n } },
        },
      });
    },

    async listTimelines(): Promise<TimelineRecord[]> {
      return prisma.timeline.findMany({ select: timelineFields, orderBy: { updatedAt: 'desc' } });
    },

    async getTimeline(id) {
      return prisma.timeline.findUnique({ where: { id }, select: timelineFields });
    },

    async deleteTimeline(id) {
      // The schema cascades to the state, log, snapshots, activity and share links.
      const { count } = await prisma.timeline.deleteMany({ where: { id } });
      return count > 0;
    },

    async loadDoc(timelineId, options): Promise<StoredDoc | null> {
      // One snapshot read: the state and the log rows after it must be consistent with each other.
      return sql.transaction(
        async (tx) => {
          // The state's bytes only when the caller does not hold its content already.
          const { rows: found } = await tx.query<{
            wanted: boolean | null;
            base: string | null;
            chunks: number | null;
            size: number | null;
          }>(
            `SELECT ($2::bigint IS NULL OR s."lastUpdateId" > $2::bigint) AS wanted,
                    s."lastUpdateId"::text AS base, s."chunks" AS chunks,
                    octet_length(s."state") AS size
               FROM "Timeline" t LEFT JOIN "DocState" s ON s."timelineId" = t."id"
              WHERE t."id" = $1`,
            [timelineId, options?.skipStateUpTo?.toString() ?? null],
          );
          if (found.length === 0) return null;
          const { wanted, base, chunks, size } = found[0]!;
          const baseId = BigInt(base ?? '0');
          const updates: Uint8Array[] = [];
          if (wanted && chunks !== null && size !== null) {
            updates.push(await readValue(tx, DOC_STATE, timelineId, { chunks, inlineBytes: size }));
          }
          // Every remaining row, not only those after the state's bound: compaction deletes the
          // rows it folds, so a row below the bound is one that committed late and is not in the
          // state (see `compact`). Applying a row twice is harmless.
          const { rows } = await tx.query<LogRow>(
            `SELECT "id"::text AS id, "chunks", octet_length("data") AS size FROM "DocUpdate"
              WHERE "timelineId" = $1 ORDER BY "id"`,
            [timelineId],
          );
          for await (const data of readLog(tx, timelineId, rows)) updates.push(data);
          const lastRow = rows.length > 0 ? BigInt(rows[rows.length - 1]!.id) : 0n;
          return {
            updates,
            lastUpdateId: lastRow > baseId ? lastRow : baseId,
            logRows: rows.length,
          };
        },
        { repeatableRead: true },
      );
    },

    async appendUpdate(timelineId, update, summary: TimelineSummaryFields) {
      // One statement (one round trip, atomic on its own): the timeline's summary is updated and
      // the row appended only if the timeline exists.
      const now = new Date().toISOString();
      const chunks = chunkCount(update.byteLength);
      const append = async (target: SqlQueryable) => {
        const { rows } = await target.query<{ id: string }>(
          `WITH touched AS (
             UPDATE "Timeline" SET "title" = $2, "eventCount" = $3, "updatedAt" = $4::timestamp(3)
              WHERE "id" = $1 RETURNING "id"
           )
           INSERT INTO "DocUpdate" ("timelineId", "data", "createdAt", "chunks")
           SELECT "id", $5, $4::timestamp(3), $6 FROM touched
           RETURNING "id"::text AS id`,
          [timelineId, summary.title, summary.eventCount, now, inlinePart(update), chunks],
        );
        if (rows.length === 0) throw new Error(`timeline ${timelineId} does not exist`);
        return rows[0]!.id;
      };
      // A large update (an import): the row and its chunks commit together, so a reader never
      // sees the row without all of them.
      const id =
        chunks === 0
          ? await append(sql)
          : await sql.transaction(async (tx) => {
              const rowId = await append(tx);
              await writeChunks(tx, DOC_UPDATE, rowId, update);
              return rowId;
            });
      return BigInt(id);
    },

    async compact(timelineId, state, upToUpdateId, fence, foldedRows) {
      await sql.transaction(async (tx) => {
        if (fence !== undefined) {
          // The row lock taken here also orders this write after a concurrent claim.
          const { rowCount } = await tx.query(
            `UPDATE "Timeline" SET "storageFence" = $2::bigint
              WHERE "id" = $1 AND "storageFence" <= $2::bigint`,
            [timelineId, fence.toString()],
          );
          if (rowCount === 0) {
            throw new FencedWriteError(
              `compaction of ${timelineId} refused: fencing token ${fence} is stale`,
            );
          }
        }
        if (foldedRows !== undefined) {
          // Appends take the timeline's row lock before their row gets an id (appendUpdate), so
          // the lock taken above waited for every append in flight: what is counted is final.
          if (fence === undefined) {
            await tx.query(`SELECT 1 FROM "Timeline" WHERE "id" = $1 FOR UPDATE`, [timelineId]);
          }
          const { rows } = await tx.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM "DocUpdate"
              WHERE "timelineId" = $1 AND "id" <= $2::bigint`,
            [timelineId, upToUpdateId.toString()],
          );
          if (rows[0]!.n > foldedRows) {
            throw new LateRowsError(
              `compaction of ${timelineId} refused: ${rows[0]!.n - foldedRows} log row(s) committed at or below its bound after it read the log`,
            );
          }
        }
        // Never backwards: a state older than the stored one is not written. The row's lock,
        // taken here, also serializes compactions of the same timeline until commit.
        const { rowCount } = await tx.query(
          `INSERT INTO "DocState" ("timelineId", "state", "lastUpdateId", "updatedAt", "chunks")
           VALUES ($1, $2, $3::bigint, $4::timestamp(3), $5)
           ON CONFLICT ("timelineId") DO UPDATE
             SET "state" = EXCLUDED."state", "lastUpdateId" = EXCLUDED."lastUpdateId",
                 "updatedAt" = EXCLUDED."updatedAt", "chunks" = EXCLUDED."chunks"
             WHERE "DocState"."lastUpdateId" <= EXCLUDED."lastUpdateId"`,
          [
            timelineId,
            inlinePart(state),
            upToUpdateId.toString(),
            new Date().toISOString(),
            chunkCount(state.byteLength),
          ],
        );
        if (rowCount === 0) return;
        // The previous state's chunks go and the new ones come in the same transaction: a crash
        // midway rolls back to the previous state whole.
        await tx.query(`DELETE FROM "DocStateChunk" WHERE "timelineId" = $1`, [timelineId]);
        await writeChunks(tx, DOC_STATE, timelineId, state);
        await tx.query(`DELETE FROM "DocUpdate" WHERE "timelineId" = $1 AND "id" <= $2::bigint`, [
          timelineId,
          upToUpdateId.toString(),
        ]);
      });
    },

    async claimStorageFence(timelineId) {
      const { rows } = await sql.query<{ fence: string }>(
        `UPDATE "Timeline" SET "storageFence" = "storageFence" + 1
          WHERE "id" = $1 RETURNING "storageFence"::text AS fence`,
        [timelineId],
      );
      if (rows.length === 0) throw new Error(`timeline ${timelineId} does not exist`);
      return BigInt(rows[0]!.fence);
    },

    async countLogRows(timelineId) {
      const { rows } = await sql.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "DocUpdate" WHERE "timelineId" = $1`,
        [timelineId],
      );
      return rows[0]!.n;
    },

    async createSnapshot(record, state) {
      const insert = async (target: SqlQueryable) => {
        const { rows } = await target.query<SnapshotRow>(
          `INSERT INTO "TimelineSnapshot"
             ("id", "timelineId", "kind", "label", "author", "eventCount", "state", "createdAt",
              "chunks")
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8::timestamp(3), $9)
           RETURNING ${SNAPSHOT_COLUMNS}`,
          [
            record.id,
            record.timelineId,
            record.kind,
            record.label,
            record.author,
            record.eventCount,
            inlinePart(state),
            (record.createdAt ?? new Date()).toISOString(),
            chunkCount(state.byteLength),
          ],
        );
        return snapshotFromRow(rows[0]!);
      };
      if (chunkCount(state.byteLength) === 0) return insert(sql);
      return sql.transaction(async (tx) => {
        const snapshot = await insert(tx);
        await writeChunks(tx, SNAPSHOT_STATE, record.id, state);
        return snapshot;
      });
    },

    async listSnapshots(timelineId, query = {}) {
      const { after, kind, createdBefore, limit } = query;
      // One statement for every combination: an absent filter is a NULL parameter.
      const { rows } = await sql.query<SnapshotRow>(
        `SELECT ${SNAPSHOT_COLUMNS} FROM "TimelineSnapshot"
          WHERE "timelineId" = $1
            AND ($2::text IS NULL OR "kind" = $2::text)
            AND ($3::timestamp(3) IS NULL OR "createdAt" < $3::timestamp(3))
            AND ($4::timestamp(3) IS NULL OR "createdAt" < $4::timestamp(3)
                 OR ("createdAt" = $4::timestamp(3) AND "id" < $5::text))
          ORDER BY "createdAt" DESC, "id" DESC
          LIMIT $6::bigint`,
        [
          timelineId,
          kind ?? null,
          createdBefore?.toISOString() ?? null,
          after?.createdAt.toISOString() ?? null,
          after?.id ?? null,
          limit ?? null,
        ],
      );
      return rows.map(snapshotFromRow);
    },

    async deleteSnapshots(timelineId, snapshotIds) {
      if (snapshotIds.length === 0) return 0;
      const { rowCount } = await sql.query(
        `DELETE FROM "TimelineSnapshot" WHERE "timelineId" = $1 AND "id" = ANY($2::text[])`,
        [timelineId, snapshotIds],
      );
      return rowCount;
    },

    async getSnapshot(timelineId, snapshotId) {
      // One snapshot for the row and its chunks: thinning may delete the snapshot meanwhile.
      return sql.transaction(
        async (tx) => {
          const { rows } = await tx.query<SnapshotRow & { chunks: number; size: number }>(
            `SELECT ${SNAPSHOT_COLUMNS}, "chunks", octet_length("state") AS size
               FROM "TimelineSnapshot" WHERE "id" = $1 AND "timelineId" = $2`,
            [snapshotId, timelineId],
          );
          const row = rows[0];
          if (!row) return null;
          const state = await readValue(tx, SNAPSHOT_STATE, snapshotId, {
            chunks: row.chunks,
            inlineBytes: row.size,
          });
          return { record: snapshotFromRow(row), state };
        },
        { repeatableRead: true },
      );
    },

    async appendActivity(entries) {
      if (entries.length === 0) return [];
      // One multi-row INSERT through the driver (a busy room writes hundreds of entries a
      // second; a Prisma create per entry planned each one). Each row's fields travel as a JSON
      // array, since a ragged text[][] cannot be unnested.
      const { rows } = await sql.query<{ id: string }>(
        `INSERT INTO "ActivityEntry"
           ("timelineId", "at", "actor", "action", "eventId", "eventTitle", "fields", "count")
         SELECT u.t, u.a::timestamp(3), u.ac, u.act, u.e, u.et,
                ARRAY(SELECT json_array_elements_text(u.f::json)), u.c
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                       $7::text[], $8::int[]) WITH ORDINALITY AS u(t, a, ac, act, e, et, f, c, n)
          ORDER BY u.n
         RETURNING "id"::text AS id`,
        [
          entries.map((entry) => entry.timelineId),
          entries.map((entry) => entry.at.toISOString()),
          entries.map((entry) => entry.actor),
          entries.map((entry) => entry.action),
          entries.map((entry) => entry.eventId),
          entries.map((entry) => entry.eventTitle),
          entries.map((entry) => JSON.stringify(entry.fields)),
          entries.map((entry) => entry.count ?? 1),
        ],
      );
      // Ids come from one sequence in insertion order: ascending ids are the entries' order.
      return rows.map((row) => BigInt(row.id)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    },

    async updateActivity(id, change) {
      const { rowCount } = await sql.query(
        `UPDATE "ActivityEntry" SET "at" = $2::timestamp(3), "fields" = $3::text[],
                "eventTitle" = $4
          WHERE "id" = $1::bigint`,
        [id.toString(), change.at.toISOString(), change.fields, change.eventTitle],
      );
      if (rowCount === 0) throw new Error(`activity entry ${id} does not exist`);
    },

    async listActivity(timelineId, limit, since): Promise<ActivityRecord[]> {
      const rows = await prisma.activityEntry.findMany({
        where: since ? { timelineId, at: { gt: since } } : { timelineId },
        orderBy: { id: 'desc' },
        take: limit,
      });
      return rows.map((row) => ({ ...row, action: row.action as ActivityAction }));
    },

    async getSetting(key) {
      // Through the driver: every start reads the demo's setting (services/seed.ts).
      const { rows } = await sql.query<{ value: string }>(
        `SELECT "value" FROM "AppSetting" WHERE "key" = $1`,
        [key],
      );
      return rows[0]?.value ?? null;
    },

    async setSetting(key, value) {
      await prisma.appSetting.upsert({ where: { key }, create: { key, value }, update: { value } });
    },
    async claimSetting(key, value) {
      // INSERT … ON CONFLICT DO NOTHING: of concurrent claims, one inserts the row.
      const { count } = await prisma.appSetting.createMany({
        data: [{ key, value }],
        skipDuplicates: true,
      });
      return count === 1;
    },
    async deleteSetting(key) {
      await prisma.appSetting.deleteMany({ where: { key } });
    },

    async ping() {
      await sql.query('SELECT 1');
    },

    close: () => database.close(),
  };
}

function toSnapshotRecord(row: Omit<SnapshotRecord, 'kind'> & { kind: string }): SnapshotRecord {
  return {
    id: row.id,
    timelineId: row.timelineId,
    kind: row.kind as SnapshotKind,
    label: row.label,
    author: row.author,
    eventCount: row.eventCount,
    createdAt: row.createdAt,
  };
}

/** The snapshot columns as the driver returns them (times as UTC text, see SNAPSHOT_COLUMNS). */
interface SnapshotRow {
  id: string;
  timelineId: string;
  kind: string;
  label: string | null;
  author: string | null;
  eventCount: number;
  createdAt: string;
}

// TIMESTAMP(3) columns hold UTC (as Prisma writes them); read as ISO text, the drivers agree.
const SNAPSHOT_COLUMNS = `"id", "timelineId", "kind", "label", "author", "eventCount",
  to_char("createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"`;

function snapshotFromRow(row: SnapshotRow): SnapshotRecord {
  return toSnapshotRecord({ ...row, createdAt: new Date(row.createdAt) });
}

/** A log row as listed before its bytes are read. */
interface LogRow {
  id: string;
  chunks: number;
  /** Bytes in the row's own column. */
  size: number;
}

/**
 * The log rows' bytes, in order: small rows fetched several at a time (up to CHUNK_BYTES per
 * statement), large or chunked ones on their own, chunk by chunk.
 */
async function* readLog(
  tx: SqlQueryable,
  timelineId: string,
  rows: LogRow[],
): AsyncGenerator<Uint8Array> {
  let batch: string[] = [];
  let batchBytes = 0;
  async function* flush(): AsyncGenerator<Uint8Array> {
    if (batch.length === 0) return;
    const { rows: found } = await tx.query<{ id: string; data: Uint8Array }>(
      `SELECT "id"::text AS id, "data" FROM "DocUpdate"
        WHERE "timelineId" = $1 AND "id" = ANY($2::bigint[]) ORDER BY "id"`,
      [timelineId, batch],
    );
    if (found.length !== batch.length) throw new Error(`log of ${timelineId} changed while read`);
    for (const row of found) yield plainBytes(row.data);
    batch = [];
    batchBytes = 0;
  }
  for (const row of rows) {
    if (row.chunks === 0 && row.size <= CHUNK_BYTES) {
      if (batchBytes + row.size > CHUNK_BYTES) yield* flush();
      batch.push(row.id);
      batchBytes += row.size;
      continue;
    }
    yield* flush();
    yield await readValue(tx, DOC_UPDATE, row.id, { chunks: row.chunks, inlineBytes: row.size });
  }
  yield* flush();
}

/** A driver's bytes (a Buffer, maybe a view of a shared pool) as a plain Uint8Array view. */
function plainBytes(data: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(data) === Uint8Array.prototype
    ? data
    : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Prisma's Bytes fields want a Uint8Array backed by a plain ArrayBuffer. */
function toBytes(data: Uint8Array): Uint8Array<ArrayBuffer> {
  return data.buffer instanceof ArrayBuffer
    ? (data as Uint8Array<ArrayBuffer>)
    : new Uint8Array(data);
}
