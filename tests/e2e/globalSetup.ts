/**
 * Starts the real Chronoboard servers for the e2e run — one on an embedded PGlite, one on a fresh
 * PostgreSQL database — and publishes their URLs to the test workers. Each Playwright project
 * (playwright.config.ts) runs every spec against one of them.
 *
 * Each server gets its admin through first-run setup (helpers/auth.ts) and the analysts the specs
 * sign in as through invites; their session cookies go to the workers in E2E_AUTH_<PROJECT>.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { inviteMember, TEST_ADMIN } from '../integration/helpers/auth';
import { createTestDatabase } from '../integration/helpers/postgres';
import { ROOT, type ServerProcess, startServerProcess } from '../integration/helpers/serverProcess';
import { E2E_PEOPLE, type E2eAuth } from './people';

async function signInPeople(server: ServerProcess): Promise<E2eAuth> {
  const admin = server.admin!;
  const cookies: Record<string, string> = { [TEST_ADMIN.name]: admin.cookie };
  for (const person of E2E_PEOPLE) {
    cookies[person.name] = await inviteMember(server.url, admin.token, person);
  }
  return { token: admin.token, cookies };
}

export default async function globalSetup() {
  const dataDir = await mkdtemp(path.join(ROOT, 'tests/.tmp-e2e-'));
  const database = await createTestDatabase();
  const [pglite, postgresql] = await Promise.all([
    startServerProcess({ dataDir }),
    startServerProcess({ dataDir, databaseUrl: database.url }),
  ]);
  process.env.E2E_BASE_URL_PGLITE = pglite.url;
  process.env.E2E_BASE_URL_POSTGRESQL = postgresql.url;
  process.env.E2E_AUTH_PGLITE = JSON.stringify(await signInPeople(pglite));
  process.env.E2E_AUTH_POSTGRESQL = JSON.stringify(await signInPeople(postgresql));
  return async () => {
    await Promise.all([pglite.stop(), postgresql.stop()]);
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
