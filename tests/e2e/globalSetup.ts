/**
 * Starts the real Chronoboard servers for the e2e run — one on an embedded PGlite, one on a fresh
 * PostgreSQL database — and publishes their URLs to the test workers. Each Playwright project
 * (playwright.config.ts) runs every spec against one of them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { createTestDatabase } from '../integration/helpers/postgres';
import { ROOT, startServerProcess } from '../integration/helpers/serverProcess';

export default async function globalSetup() {
  const dataDir = await mkdtemp(path.join(ROOT, 'tests/.tmp-e2e-'));
  const database = await createTestDatabase();
  const [pglite, postgresql] = await Promise.all([
    startServerProcess({ dataDir }),
    startServerProcess({ dataDir, databaseUrl: database.url }),
  ]);
  process.env.E2E_BASE_URL_PGLITE = pglite.url;
  process.env.E2E_BASE_URL_POSTGRESQL = postgresql.url;
  return async () => {
    await Promise.all([pglite.stop(), postgresql.stop()]);
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
