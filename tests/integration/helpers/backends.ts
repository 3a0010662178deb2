/**
 * The two storage back ends every server-level test runs against: PGlite in a temporary data
 * directory and a fresh database on the real PostgreSQL.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { createTestDatabase } from './postgres';
import { ROOT } from './serverProcess';

export interface Backend {
  name: 'pglite' | 'postgresql';
  /** Options that point a server at this back end's storage. */
  storage: { databaseUrl?: string; dataDir: string };
  cleanup(): Promise<void>;
}

export const BACKENDS = ['pglite', 'postgresql'] as const;

export async function createBackend(name: Backend['name']): Promise<Backend> {
  const dataDir = await mkdtemp(path.join(ROOT, 'tests/.tmp-'));
  if (name === 'pglite') {
    return {
      name,
      storage: { dataDir },
      cleanup: () => rm(dataDir, { recursive: true, force: true }),
    };
  }
  const database = await createTestDatabase();
  return {
    name,
    storage: { databaseUrl: database.url, dataDir },
    async cleanup() {
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
