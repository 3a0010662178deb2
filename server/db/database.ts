/**
 * Opens the database: an external PostgreSQL when DATABASE_URL is set, otherwise an embedded,
 * file-backed PGlite. Applies pending migrations, then returns a Prisma client on top.
 */
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
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
  const db = await PGlite.create(dataDir);
  await applyMigrations(pgliteMigrationConnection(db));
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(db) });
  return {
    kind: 'pglite',
    prisma,
    async close() {
      await prisma.$disconnect();
      await db.close();
    },
  };
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
