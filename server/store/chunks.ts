/**
 * Large document values — a compacted state, a snapshot's state, a big log row such as a
 * 100,000-event import (30 MB) — are stored as ordered chunks of at most CHUNK_BYTES, one row
 * each, and read back one chunk per statement. No statement then binds, TOASTs or returns more
 * than a chunk. That matters most for the embedded PGlite: its WebAssembly memory grows to the
 * largest working set a statement needed (a 30 MB bind took ~4 times that: the protocol buffer,
 * the parameter, the TOAST compression output) and is never given back, and its results come
 * back as hex text (twice the bytes) copied out of that memory. On PostgreSQL it keeps the
 * driver's buffers and the server's per-statement memory small too.
 *
 * Layout of one value (`StoredValue` names where it lives): its owner row has a `chunks` column.
 * 0 means the value is the owner row's own bytea column — every small value, and every row
 * written before chunking existed (such a row is still read, in slices when it is large).
 * n > 0 means the value is the concatenation of the n chunk rows with `seq` 0 … n-1 and the owner
 * row's column is empty. The owner row and its chunks are written in one transaction, so a
 * reader sees all of them or none; a reader that finds a count that does not match throws (the
 * value is unreadable) rather than return a truncated document.
 */
import type { SqlQueryable } from '../db/database';

/** The largest piece of a document value one statement writes or reads. */
export const CHUNK_BYTES = 1024 * 1024;

/** Where a value lives: its owner row's column, and its chunk table. */
export interface StoredValue {
  /** Owner table, quoted. */
  table: string;
  /** The owner row's bytea column (the value itself when `chunks` is 0). */
  column: string;
  /** The owner's key column, quoted, and the cast its parameter needs. */
  key: string;
  keyCast: string;
  /** The chunk table, quoted, and its column naming the owner. */
  chunkTable: string;
  chunkKey: string;
}

export const DOC_STATE: StoredValue = {
  table: '"DocState"',
  column: '"state"',
  key: '"timelineId"',
  keyCast: '::text',
  chunkTable: '"DocStateChunk"',
  chunkKey: '"timelineId"',
};

export const DOC_UPDATE: StoredValue = {
  table: '"DocUpdate"',
  column: '"data"',
  key: '"id"',
  keyCast: '::bigint',
  chunkTable: '"DocUpdateChunk"',
  chunkKey: '"updateId"',
};

export const SNAPSHOT_STATE: StoredValue = {
  table: '"TimelineSnapshot"',
  column: '"state"',
  key: '"id"',
  keyCast: '::text',
  chunkTable: '"SnapshotChunk"',
  chunkKey: '"snapshotId"',
};

/** How many chunk rows a value of this size is stored in (0: in its owner row). */
export function chunkCount(byteLength: number): number {
  return byteLength <= CHUNK_BYTES ? 0 : Math.ceil(byteLength / CHUNK_BYTES);
}

/** Empty bytes, for the owner row's column of a chunked value. */
export const EMPTY = new Uint8Array(0);

/**
 * What the owner row's column holds: the value itself when it is stored inline, else nothing.
 * Pass the result as the column's parameter and `chunkCount(value.byteLength)` as `chunks`.
 */
export function inlinePart(value: Uint8Array): Uint8Array {
  return chunkCount(value.byteLength) === 0 ? value : EMPTY;
}

/**
 * Writes the chunk rows of `value` (nothing when it is stored inline). Run it in the transaction
 * that writes the owner row, after the owner row (the chunks reference it) and after deleting the
 * owner's previous chunks if it had any. Each chunk is a view of `value`, not a copy.
 */
export async function writeChunks(
  tx: SqlQueryable,
  where: StoredValue,
  owner: string,
  value: Uint8Array,
): Promise<void> {
  const count = chunkCount(value.byteLength);
  for (let seq = 0; seq < count; seq++) {
    await tx.query(
      `INSERT INTO ${where.chunkTable} (${where.chunkKey}, "seq", "data")
       VALUES ($1${where.keyCast}, $2, $3)`,
      [owner, seq, value.subarray(seq * CHUNK_BYTES, (seq + 1) * CHUNK_BYTES)],
    );
  }
}

/**
 * Reads a value whose owner row says `chunks` and whose own column is `inlineBytes` long
 * (`octet_length`, no need to fetch it first). Run it inside a transaction that gives every
 * statement the same snapshot (REPEATABLE READ) when the value may be replaced meanwhile.
 * Throws if the value's chunks are not all there.
 */
export async function readValue(
  tx: SqlQueryable,
  where: StoredValue,
  owner: string,
  layout: { chunks: number; inlineBytes: number },
): Promise<Uint8Array> {
  if (layout.chunks === 0) return readInline(tx, where, owner, layout.inlineBytes);
  const { rows: sizes } = await tx.query<{ n: number; size: string }>(
    `SELECT count(*)::int AS n, coalesce(sum(octet_length("data")), 0)::text AS size
       FROM ${where.chunkTable} WHERE ${where.chunkKey} = $1${where.keyCast}`,
    [owner],
  );
  const { n, size } = sizes[0]!;
  if (n !== layout.chunks) {
    throw new Error(
      `stored value of ${where.table} ${owner} is unreadable: ${n} of its ${layout.chunks} chunks found`,
    );
  }
  const value = new Uint8Array(Number(size));
  let offset = 0;
  for (let seq = 0; seq < layout.chunks; seq++) {
    const { rows } = await tx.query<{ data: Uint8Array }>(
      `SELECT "data" FROM ${where.chunkTable}
        WHERE ${where.chunkKey} = $1${where.keyCast} AND "seq" = $2`,
      [owner, seq],
    );
    const data = rows[0]?.data;
    if (!data || offset + data.byteLength > value.byteLength) {
      throw new Error(`stored value of ${where.table} ${owner} is unreadable: chunk ${seq}`);
    }
    value.set(data, offset);
    offset += data.byteLength;
  }
  if (offset !== value.byteLength) {
    throw new Error(`stored value of ${where.table} ${owner} is unreadable: short chunks`);
  }
  return value;
}

/**
 * An inline value, read whole when small and in CHUNK_BYTES slices (`substring`) when large: a
 * row written before chunking existed can hold a 30 MB value.
 */
async function readInline(
  tx: SqlQueryable,
  where: StoredValue,
  owner: string,
  size: number,
): Promise<Uint8Array> {
  const value = new Uint8Array(size);
  let offset = 0;
  do {
    const { rows } = await tx.query<{ data: Uint8Array }>(
      `SELECT substring(${where.column} FROM $2 FOR $3) AS data FROM ${where.table}
        WHERE ${where.key} = $1${where.keyCast}`,
      [owner, offset + 1, CHUNK_BYTES],
    );
    const data = rows[0]?.data;
    if (!data || (data.byteLength === 0 && offset < size) || offset + data.byteLength > size) {
      throw new Error(`stored value of ${where.table} ${owner} is unreadable at byte ${offset}`);
    }
    value.set(data, offset);
    offset += data.byteLength;
  } while (offset < size);
  return value;
}
