/**
 * Opens the database: an external PostgreSQL when DATABASE_URL is set, otherwise an embedded,
 * file-backed PGlite. Applies pending migrations, then returns a Prisma client on top.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/client.ts';
import { applyMigrations, type MigrationConnection } from './migrate';

export type DatabaseKind = 'pglite' | 'postgresql';

/** What a statement returned. */
export interface SqlResult<Row> {
  rows: Row[];
  /** Rows inserted, updated or deleted (0 for a SELECT with no rows). */
  rowCount: number;
}

/** Something to run one parameterised statement on: the database, or an open transaction. */
export interface SqlQueryable {
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<SqlResult<Row>>;
}

/**
 * The database's own driver (`pg`, or the PGlite instance) for the statements that move large
 * byte strings: the document's compacted state, its update log and snapshots. Prisma's query
 * engine passes `Bytes` as base64 text and copies them several times (a 30 MB state took seconds
 * and hundreds of MB), and keeps the arguments of its recent calls for its error reports; the
 * driver sends a `Uint8Array` parameter as binary and reads `bytea` back as a Buffer.
 * Columns are named as in `prisma/schema.prisma`; integers of type `BIGINT` come back as
 * strings or bigints depending on the driver, so statements select them `::text`.
 */
export interface SqlClient extends SqlQueryable {
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws.
   * `repeatableRead` gives every statement of it the same snapshot.
   */
  transaction<T>(
    work: (tx: SqlQueryable) => Promise<T>,
    options?: { repeatableRead?: boolean },
  ): Promise<T>;
}

export interface Database {
  kind: DatabaseKind;
  prisma: PrismaClient;
  sql: SqlClient;
  /**
   * PGlite only: the size of its WebAssembly memory, which grows to the largest working set a
   * statement needed and never shrinks (tests and benchmarks watch it).
   */
  memoryBytes?(): number;
  close(): Promise<void>;
}

export interface DatabaseConfig {
  /** PostgreSQL connection string; when absent, PGlite in `dataDir` is used. */
  databaseUrl?: string;
  /** Directory of the embedded database (created if missing). */
  dataDir: string;
}

// Any constant works; it only has to be the same for every Chronoboard instance.
const MIGRATION_LOCK_KEY = 7_240_311;

/** Opens and migrates the configured database. */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  return config.databaseUrl ? openPostgres(config.databaseUrl) : openPglite(config.dataDir);
}

async function openPostgres(connectionString: string): Promise<Database> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    // Several instances may start at once; only one migrates at a time.
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await applyMigrations(postgresMigrationConnection(client));
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
    await client.end();
  }
  // One pool for Prisma and for the statements that go through the driver (SqlClient).
  const pool = new pg.Pool({ connectionString });
  // An idle connection dropped by the database (a restart) is discarded by the pool, and the next
  // query connects again; without a listener the pool's 'error' event would end the process.
  pool.on('error', () => {});
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    kind: 'postgresql',
    prisma,
    sql: postgresSqlClient(pool),
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

function postgresSqlClient(pool: pg.Pool): SqlClient {
  const run = async <Row>(
    client: pg.Pool | pg.PoolClient,
    text: string,
    params?: unknown[],
  ): Promise<SqlResult<Row>> => {
    const result = await client.query(text, params);
    return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
  };
  return {
    query: (text, params) => run(pool, text, params),
    async transaction(work, options) {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query(
          options?.repeatableRead ? 'BEGIN ISOLATION LEVEL REPEATABLE READ' : 'BEGIN',
        );
        const result = await work({ query: (text, params) => run(client, text, params) });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {
          // A connection that cannot even roll back is not given back to the pool.
          broken = true;
        });
        throw error;
      } finally {
        client.release(broken);
      }
    },
  };
}

async function openPglite(dataDir: string): Promise<Database> {
  await mkdir(dataDir, { recursive: true });
  const releaseLock = await lockDataDir(dataDir);
  try {
    // Loaded only here: PGlite's module alone is ~40 MiB of a process that uses PostgreSQL.
    const [{ PGlite }, { PrismaPGlite }] = await Promise.all([
      import('@electric-sql/pglite'),
      import('pglite-prisma-adapter'),
    ]);
    // A new directory is initialised (initdb) in a child process that then exits: in this
    // process initdb ran a second PGlite instance and copied its whole data directory through
    // memory as a tar, and the process kept much of it (537 MiB RSS right after opening a new
    // directory, 229 MiB with the child; two 128-189 MiB WebAssembly memories until collected).
    if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await initializePgliteDir(dataDir);
    const db = await PGlite.create(dataDir, {
      startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS],
    });
    await applyMigrations(pgliteMigrationConnection(db));
    const prisma = new PrismaClient({ adapter: new PrismaPGlite(db) });
    return {
      kind: 'pglite',
      prisma,
      sql: pgliteSqlClient(db),
      memoryBytes: () => (db.Module as unknown as { HEAPU8: Uint8Array }).HEAPU8.byteLength,
      async close() {
        await prisma.$disconnect();
        await db.close();
        await releaseLock();
      },
    };
  } catch (error) {
    await releaseLock();
    throw error;
  }
}

/**
 * PGlite's PostgreSQL settings beyond its defaults. Its shared memory lives inside its
 * WebAssembly memory, which is part of this process and never shrinks, and PostgreSQL's
 * defaults are sized for a server of its own:
 * - shared_buffers: the 128 MB default was resident from the first start on (151 MiB of the
 *   memory right after opening; 29 MiB with 16MB, 17 MiB with 4MB). The data files are in the
 *   operating system's page cache anyway (PGlite reads them through the file system), so a large
 *   pool mostly caches them twice.
 * - max_connections: PGlite has one connection; the default 100 sizes lock and process tables
 *   for 100 (4 MiB more resident).
 * Together, 4MB/10 against 16MB/100 lowered the peak of a 100,000-event import by ~30 MiB
 * (BENCHMARKS.md "Bulk changes").
 */
export const PGLITE_SETTINGS = ['-c', 'shared_buffers=4MB', '-c', 'max_connections=10'];

/** Creates PGlite's database files in `dataDir` in a short-lived child process. */
async function initializePgliteDir(dataDir: string): Promise<void> {
  const script = `const { PGlite } = await import(${JSON.stringify(import.meta.resolve('@electric-sql/pglite'))});
const db = await PGlite.create(${JSON.stringify(dataDir)});
await db.close();`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0 || !existsSync(path.join(dataDir, 'PG_VERSION'))) {
    throw new Error(`could not initialise the embedded database in ${dataDir}: ${stderr}`);
  }
}

const BYTEA = 17;
/**
 * PGlite's own `bytea` handling goes through hex one byte at a time (an array of 2-character
 * strings per byte): seconds and gigabytes for a large state. A `Uint8Array` returned by a
 * serializer is sent to the database as a binary parameter instead, and hex results are decoded
 * natively.
 */
const PGLITE_BYTES = {
  serializers: { [BYTEA]: (value: unknown) => value as string },
  parsers: {
    [BYTEA]: (value: string) => {
      const bytes = Buffer.from(value.slice(2), 'hex');
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
  },
};

function pgliteSqlClient(db: PGlite): SqlClient {
  const run = async <Row>(
    target: Pick<PGlite, 'query'>,
    text: string,
    params?: unknown[],
  ): Promise<SqlResult<Row>> => {
    const result = await target.query<Row>(text, params, PGLITE_BYTES);
    return { rows: result.rows, rowCount: result.affectedRows ?? 0 };
  };
  return {
    query: (text, params) => run(db, text, params),
    // PGlite runs one transaction at a time (Prisma's included): no other statement interleaves.
    transaction: (work, options) =>
      db.transaction(async (tx) => {
        if (options?.repeatableRead) {
          await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
        }
        return work({ query: (text, params) => run(tx, text, params) });
      }),
  };
}

/**
 * PGlite is a database inside one process: two processes opening the same directory would corrupt
 * it. A pid file claims the directory; one left by a process that no longer runs (kill -9) is taken
 * over.
 */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const lockFile = path.join(dataDir, 'chronoboard.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(lockFile, String(process.pid), { flag: 'wx' });
      return () => rm(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(await readFile(lockFile, 'utf8').catch(() => ''));
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isRunning(holder)) {
        throw new DataDirInUseError(dataDir, holder);
      }
      await rm(lockFile, { force: true });
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Another process has the embedded database open. */
export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError';
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `the embedded database in ${dataDir} is in use by process ${pid} (a running Chronoboard?); stop it first, or set DATABASE_URL to use PostgreSQL, which many processes can share`,
    );
  }
}

function postgresMigrationConnection(client: pg.Client): MigrationConnection {
  return {
    async query<Row>(sql: string, params?: unknown[]) {
      return (await client.query(sql, params)).rows as Row[];
    },
    async runInTransaction(script, record) {
      await client.query('BEGIN');
      try {
        // Without parameters, pg uses the simple query protocol, which runs whole scripts.
        await client.query(script);
        await client.query(record.sql, record.params);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    },
  };
}

function pgliteMigrationConnection(db: PGlite): MigrationConnection {
  return {
    async query<Row>(sql: string, params?: unknown[]) {
      return (await db.query<Row>(sql, params)).rows;
    },
    async runInTransaction(script, record) {
      await db.transaction(async (tx) => {
        await tx.exec(script);
        await tx.query(record.sql, record.params);
      });
    },
  };
}
