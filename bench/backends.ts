/**
 * Storage back ends for the benchmarks: PGlite in a temporary directory, or a fresh database on
 * the PostgreSQL server named by TEST_POSTGRES_URL (as the integration tests do). Each also opens
 * a bare driver connection — `pg` or the PGlite instance itself — for the reference measurement:
 * what one durable write costs on that database without Chronoboard in between.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { ADMIN_URL } from '../tests/integration/helpers/postgres';

export type BackendName = 'pglite' | 'postgresql';
export const BACKEND_NAMES: readonly BackendName[] = ['pglite', 'postgresql'];

/** Scratch table of the reference writes; lives next to Chronoboard's tables, touches none. */
export const SCRATCH_TABLE = 'bench_scratch';
const CREATE_SCRATCH = `CREATE TABLE IF NOT EXISTS ${SCRATCH_TABLE} (
  id BIGSERIAL PRIMARY KEY,
  data BYTEA NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
)`;
export const INSERT_SCRATCH = `INSERT INTO ${SCRATCH_TABLE} (data) VALUES ($1)`;
const SETTINGS = `SELECT name, setting FROM pg_settings
  WHERE name IN ('server_version', 'fsync', 'synchronous_commit', 'wal_sync_method', 'commit_delay')
  ORDER BY name`;

/** A direct connection to the back end's database, with the scratch table created. */
export interface DriverConnection {
  /** One single-row INSERT in its own (auto-committed) transaction. */
  insert(payload: Uint8Array): Promise<void>;
  /** The durability-relevant server settings, for the record. */
  settings(): Promise<Record<string, string>>;
  close(): Promise<void>;
}

export interface BenchBackend {
  name: BackendName;
  /** What `openDatabase` takes. */
  storage: { databaseUrl?: string; dataDir: string };
  /** Where the database lives (for the report; no credentials). */
  where: string;
  /** PGlite allows one instance per directory: open this only while the app's is closed. */
  openDriver(): Promise<DriverConnection>;
  /** Drops the database / removes the directory. Safe to call twice. */
  cleanup(): Promise<void>;
}

export async function createBenchBackend(name: BackendName): Promise<BenchBackend> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'chronoboard-bench-'));
  const removeDir = () => rm(dataDir, { recursive: true, force: true });
  if (name === 'pglite') {
    return {
      name,
      storage: { dataDir },
      where: dataDir,
      openDriver: () => openPgliteDriver(dataDir),
      cleanup: removeDir,
    };
  }
  let database: { url: string; name: string };
  try {
    database = await createDatabase();
  } catch (error) {
    await removeDir();
    throw error;
  }
  let dropped = false;
  return {
    name,
    storage: { databaseUrl: database.url, dataDir },
    where: `${new URL(ADMIN_URL).host}/${database.name}`,
    openDriver: () => openPgDriver(database.url),
    async cleanup() {
      if (!dropped) {
        await dropDatabase(database.name);
        dropped = true;
      }
      await removeDir();
    },
  };
}

async function openPgliteDriver(dataDir: string): Promise<DriverConnection> {
  const db = await PGlite.create(dataDir);
  await db.exec(CREATE_SCRATCH);
  return {
    async insert(payload) {
      await db.query(INSERT_SCRATCH, [payload]);
    },
    async settings() {
      const { rows } = await db.query<{ name: string; setting: string }>(SETTINGS);
      return Object.fromEntries(rows.map((row) => [row.name, row.setting]));
    },
    close: () => db.close(),
  };
}

async function openPgDriver(url: string): Promise<DriverConnection> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(CREATE_SCRATCH);
  } catch (error) {
    await client.end();
    throw error;
  }
  return {
    async insert(payload) {
      await client.query(INSERT_SCRATCH, [Buffer.from(payload)]);
    },
    async settings() {
      const { rows } = await client.query<{ name: string; setting: string }>(SETTINGS);
      return Object.fromEntries(rows.map((row) => [row.name, row.setting]));
    },
    close: () => client.end(),
  };
}

/** A fresh database, named so that a leftover one is recognisable as the benchmark's. */
async function createDatabase(): Promise<{ url: string; name: string }> {
  const name = `chronoboard_bench_${randomBytes(6).toString('hex')}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), name };
}

async function dropDatabase(name: string): Promise<void> {
  // FORCE: a connection the app failed to close must not keep the database alive.
  await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

async function withAdmin<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 10_000 });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}
