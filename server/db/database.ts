/**
 * Opens the database: an external PostgreSQL when DATABASE_URL is set, otherwise an embedded,
 * file-backed PGlite. Applies pending migrations, then returns a Prisma client on top.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/client.ts';
import { applyMigrations, type MigrationConnection } from './migrate';

export type DatabaseKind = 'pglite' | 'postgresql';

export interface Database {
  kind: DatabaseKind;
  prisma: PrismaClient;
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
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString }) });
  return { kind: 'postgresql', prisma, close: () => prisma.$disconnect() };
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
    const db = await PGlite.create(dataDir);
    await applyMigrations(pgliteMigrationConnection(db));
    const prisma = new PrismaClient({ adapter: new PrismaPGlite(db) });
    return {
      kind: 'pglite',
      prisma,
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
