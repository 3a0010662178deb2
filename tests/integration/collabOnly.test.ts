/**
 * The collaboration-only process (`npm run start:collab`, `server/main.ts --collab-only`) as it
 * runs: it serves a timeline to an authorized y-websocket client and its health check, and it
 * loads only what that needs — no export renderer, no Next.js, no Redis client without
 * REDIS_URL, no PGlite over PostgreSQL. What it loads is what each idle instance pays for before
 * its first connection (bench/idle.ts). The modules are read from the real process: every file it
 * loads is recorded by a preloaded observer (helpers/loadedModules.mjs), and its memory map shows
 * which native libraries it mapped.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as Y from 'yjs';
import { createId } from '../../lib/ids';
import { createEvent, initializeTimeline, readEvents } from '../../lib/timeline/model';
import { createAccessService } from '../../server/access/service';
import { openDatabase } from '../../server/db/database';
import { createLocalEventBus } from '../../server/events/bus';
import { createLogger } from '../../server/log';
import { createPrismaStore } from '../../server/store/prismaStore';
import { connectClient, type TestClient, waitForSync } from './helpers/clients';
import { createTestDatabase, type TestDatabase } from './helpers/postgres';
import { ROOT, waitForReady } from './helpers/serverProcess';

/** Packages only the web app, exports, imports or other configurations need. */
const NOT_FOR_COLLAB = [
  'next',
  'react-dom',
  'docx',
  'pdfmake',
  'pptxgenjs',
  '@resvg/resvg-js',
  'ical-generator',
  'csv-stringify',
  'minisearch',
  'redis',
  '@redis/client',
  '@electric-sql/pglite',
];

function packageOf(file: string): string | null {
  const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file);
  return match ? match[1]! : null;
}

describe('collaboration-only process (npm run start:collab)', () => {
  let database: TestDatabase;
  let dataDir: string;
  let token: string;
  let timelineId: string;
  let child: ReturnType<typeof spawn>;
  let url: string;
  let loadedFile: string;
  const clients: TestClient[] = [];

  before(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(tmpdir(), 'chronoboard-collab-only-'));
    loadedFile = path.join(dataDir, 'loaded-modules.txt');
    // The account, its token and the timeline go in first: this process serves no REST API.
    const db = await openDatabase({ databaseUrl: database.url, dataDir });
    try {
      const logger = createLogger('error');
      const access = createAccessService({
        database: db,
        bus: createLocalEventBus(logger),
        logger,
      });
      const { user } = await access.createUser({ email: 'viewer@example.test', role: 'viewer' });
      token = (await access.createApiToken(user.id, 'collab-only test')).token;
      const doc = new Y.Doc();
      const [lane] = initializeTimeline(doc, { title: 'Harbour', lanes: [{ title: 'Port' }] });
      createEvent(doc, { title: 'Bridge closed', kind: 'point', start: '2024-03-01', lane });
      timelineId = createId();
      await createPrismaStore(db).createTimeline(
        { id: timelineId, title: 'Harbour', eventCount: 1 },
        Y.encodeStateAsUpdate(doc),
      );
    } finally {
      await db.close();
    }
    const observer = path.join(ROOT, 'tests/integration/helpers/loadedModules.mjs');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      SEED_DEMO: 'false',
      LOADED_MODULES_FILE: loadedFile,
    };
    delete env.REDIS_URL;
    // What `npm run start:collab` runs, with the observer preloaded.
    child = spawn(
      process.execPath,
      ['--import', 'tsx', '--import', observer, 'server/main.ts', '--collab-only'],
      { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    url = await waitForReady(child, () => stderr);
  });

  after(async () => {
    for (const client of clients) client.destroy();
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('serves a stored timeline to a viewer token and answers its health check', async () => {
    const client = connectClient(`${url.replace(/^http/, 'ws')}/collab`, timelineId, undefined, {
      token,
    });
    clients.push(client);
    await waitForSync(client);
    assert.deepEqual(
      readEvents(client.doc).map((event) => event.title),
      ['Bridge closed'],
    );
    const health = await fetch(`${url}/api/health`);
    assert.equal(health.status, 200);
    const report = (await health.json()) as { ok: boolean; db: string; connections: number };
    assert.equal(report.ok, true);
    assert.equal(report.db, 'postgresql');
    assert.equal(report.connections, 1);
    const page = await fetch(`${url}/`);
    assert.equal(page.status, 404, 'no web app in this process');
  });

  it('has not loaded the web app, the export renderers, Redis or PGlite', async () => {
    const loaded = (await readFile(loadedFile, 'utf8')).split('\n').filter(Boolean);
    const packages = new Set(loaded.map(packageOf).filter((name) => name !== null));
    // The observer saw the process work: the collaboration server and its libraries.
    assert.ok(packages.has('yjs') && packages.has('ws') && packages.has('@prisma/client'));
    assert.ok(loaded.some((file) => file.endsWith('/server/collab/server.ts')));
    assert.deepEqual(
      NOT_FOR_COLLAB.filter((name) => packages.has(name)),
      [],
      'packages the collaboration-only process should not load',
    );
    assert.deepEqual(
      loaded.filter((file) => /\/server\/export\//.test(file)),
      [],
      'export modules loaded',
    );
    // Native libraries show in the process's memory map: resvg's rasteriser is not there.
    const maps = await readFile(`/proc/${child.pid}/maps`, 'utf8');
    assert.doesNotMatch(maps, /resvg/);
  });
});
