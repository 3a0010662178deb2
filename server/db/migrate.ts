/**
 * Applies the committed Prisma migrations (`prisma/migrations/<name>/migration.sql`) without the
 * Prisma schema engine, which cannot be downloaded on offline machines.
 *
 * Each migration file runs as one script inside its own transaction and is recorded in
 * `_prisma_migrations` exactly as `prisma migrate deploy` would record it (checksum = SHA-256 of
 * the file), so machines that do have the engine agree on what is applied. We run scripts through
 * the database's own multi-statement execution rather than a driver adapter: adapter-pg splits
 * scripts on `;` (breaking `$$` bodies) and pglite-prisma-adapter does not await them.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** The smallest SQL surface the runner needs; implemented for pg and PGlite in ./database.ts. */
export interface MigrationConnection {
  /** Runs a parameterized query and returns its rows. */
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs `script` and then `record` in one transaction (all or nothing). */
  runInTransaction(script: string, record: { sql: string; params: unknown[] }): Promise<void>;
}

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../prisma/migrations');

const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/** Reads the migrations in name order (their names start with a timestamp). */
export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

/**
 * Applies every migration not yet recorded and returns the names it applied.
 * Throws (and applies nothing further) if a migration fails or a recorded one has been edited.
 */
export async function applyMigrations(
  connection: MigrationConnection,
  migrations?: Migration[],
): Promise<string[]> {
  const all = migrations ?? (await readMigrations());
  await connection.query(CREATE_MIGRATIONS_TABLE);
  const rows = await connection.query<{ migration_name: string; checksum: string }>(
    `SELECT migration_name, checksum FROM "_prisma_migrations"
      WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  );
  const applied = new Map(rows.map((row) => [row.migration_name, row.checksum]));
  const done: string[] = [];
  for (const migration of all) {
    const recorded = applied.get(migration.name);
    if (recorded !== undefined) {
      if (recorded !== migration.checksum) {
        throw new Error(
          `migration ${migration.name} was changed after it was applied; add a new migration instead`,
        );
      }
      continue;
    }
    try {
      await connection.runInTransaction(migration.sql, {
        sql: `INSERT INTO "_prisma_migrations"
                (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
              VALUES ($1, $2, now(), $3, now(), 1)`,
        params: [randomUUID(), migration.checksum, migration.name],
      });
    } catch (error) {
      throw new Error(`migration ${migration.name} failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
    done.push(migration.name);
  }
  return done;
}
