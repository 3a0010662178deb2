/**
 * The collaboration-only process as `npm run start:collab` runs it (the bundle of
 * `server/main.ts --collab-only` under plain node, scripts/build-server.ts): it serves a timeline
 * to authorized y-websocket clients and its health check, persists an edit with its activity and
 * automatic snapshot, and loads only what that needs — no tsx, no export renderer, no Next.js, no
 * Redis client without REDIS_URL, no PGlite over PostgreSQL, no argon2, and not Prisma's
 * WebAssembly query compiler (its statements go through the driver). What it loads is what each
 * idle instance pays for (bench/idle.ts). The modules are read from the real process: every file
 * it loads is recorded by a preloaded observer (helpers/loadedModules.mjs), and its memory map
 * shows which native libraries it mapped.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as Y from 'yjs';
import { createId } from '../../lib/ids';
import { createEvent, initializeTimeline, readEvents, updateEvent } from '../../lib/timeline/model';
import { collabOnlyCommand, ensureServerBuild } from '../../scripts/build-server';
import { createAccessService } from '../../server/access/service';
import { openDatabase } from '../../server/db/database';
import { createLocalEventBus } from '../../server/events/bus';
import { createLogger } from '../../server/log';
import { createPrismaStore } from '../../server/store/prismaStore';
import { connectClient, type TestClient, waitFor, waitForSync } from './helpers/clients';
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
  'tsx',
  'esbuild',
  '@node-rs/argon2',
];

function packageOf(file: string): string | null {
  const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file);
  return match ? match[1]! : null;
}

describe('collaboration-only process (npm run start:collab)', () => {
  let database: TestDatabase;
  let dataDir: string;
  let token: string;
  let editorToken: string;
  let eventId: string;
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
      const editor = await access.createUser({ email: 'editor@example.test', role: 'editor' });
      editorToken = (await access.createApiToken(editor.user.id, 'collab-only editor')).token;
      const doc = new Y.Doc();
      const [lane] = initializeTimeline(doc, { title: 'Harbour', lanes: [{ title: 'Port' }] });
      eventId = createEvent(doc, {
        title: 'Bridge closed',
        kind: 'point',
        start: '2024-03-01',
        lane,
      });
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
      // The room unloads (persisting, compacting, snapshotting) soon after its last client left.
      ROOM_IDLE_MS: '300',
      LOADED_MODULES_FILE: loadedFile,
    };
    delete env.REDIS_URL;
    // What `npm run start:collab` runs, with the observer preloaded.
    await ensureServerBuild(() => {});
    const command = collabOnlyCommand();
    child = spawn(process.execPath, ['--import', observer, ...command.args], {
      cwd: ROOT,
      env: { ...env, ...command.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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

  it('persists an editor’s edit with its activity and an automatic snapshot', async () => {
    const wsUrl = `${url.replace(/^http/, 'ws')}/collab`;
    const editor = connectClient(wsUrl, timelineId, undefined, { token: editorToken });
    clients.push(editor);
    await waitForSync(editor);
    updateEvent(editor.doc, eventId, { title: 'Bridge reopened' });
    // After a flush of the activity log (every second) the entry is in the database; the second
    // edit folds into it, which updates the row.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    updateEvent(editor.doc, eventId, { title: 'Bridge reopened at noon' });
    // The viewer of the first test has it: the server took it.
    await waitFor(
      () => readEvents(clients[0]!.doc)[0]?.title === 'Bridge reopened at noon',
      'the viewer to see the edit',
    );
    // Every client leaves: the room persists, compacts, snapshots and unloads.
    for (const client of clients.splice(0)) client.destroy();
    const db = await openDatabase({ databaseUrl: database.url, dataDir });
    try {
      await waitFor(async () => {
        const health = (await (await fetch(`${url}/api/health`)).json()) as { rooms: number };
        return health.rooms === 0;
      }, 'the room to unload');
      const snapshots = await createPrismaStore(db).listSnapshots(timelineId, { kind: 'auto' });
      assert.equal(snapshots.length, 1, 'one automatic snapshot on unload');
      const activity = await db.prisma.activityEntry.findMany({ where: { timelineId } });
      assert.deepEqual(
        activity.map((entry) => [entry.actor, entry.action, entry.eventTitle]),
        [['editor', 'updated', 'Bridge reopened at noon']],
      );
    } finally {
      await db.close();
    }
    // A fresh client reads the edit back from the database.
    const reader = connectClient(wsUrl, timelineId, undefined, { token });
    clients.push(reader);
    await waitForSync(reader);
    assert.deepEqual(
      readEvents(reader.doc).map((event) => event.title),
      ['Bridge reopened at noon'],
    );
  });

  it('has not loaded tsx, the web app, the export renderers, Redis, PGlite, argon2 or Prisma’s query compiler', async () => {
    const loaded = (await readFile(loadedFile, 'utf8')).split('\n').filter(Boolean);
    const packages = new Set(loaded.map(packageOf).filter((name) => name !== null));
    // The observer saw the process work: the bundle and its libraries.
    assert.ok(packages.has('yjs') && packages.has('ws') && packages.has('@prisma/client'));
    assert.ok(loaded.some((file) => file.endsWith('/dist/server/main.mjs')));
    assert.deepEqual(
      loaded.filter((file) => /\/server\/.*\.ts$/.test(file)),
      [],
      'TypeScript sources loaded (tsx) instead of the bundle',
    );
    assert.deepEqual(
      loaded.filter((file) => /query_compiler/.test(file)),
      [],
      'Prisma’s query compiler loaded: some statement of this process went through Prisma',
    );
    assert.deepEqual(
      NOT_FOR_COLLAB.filter((name) => packages.has(name)),
      [],
      'packages the collaboration-only process should not load',
    );
    // What `await import()` loads is a chunk of its own, named after its module.
    assert.deepEqual(
      loaded.filter((file) =>
        /\/dist\/collab\/(export|offThread|briefing|searchIndex|redis|redisBus|sharedLimits)-/.test(
          file,
        ),
      ),
      [],
      'export, search or Redis modules loaded',
    );
    // Native libraries show in the process's memory map: neither resvg's rasteriser nor argon2.
    const maps = await readFile(`/proc/${child.pid}/maps`, 'utf8');
    assert.doesNotMatch(maps, /resvg|argon2/);
  });
});

describe('the server bundle (scripts/build-server.ts)', () => {
  it('resolves paths from its sources’ places: project root, migrations, worker files', async () => {
    await ensureServerBuild(() => {});
    // A relative DATA_DIR is relative to the project root, as under tsx: the embedded database
    // is created and migrated there (the migrations folder is found from server/db/).
    const relativeDir = `tests/.tmp-collab-bundle-${process.pid}`;
    const command = collabOnlyCommand();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...command.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DATA_DIR: relativeDir,
      SEED_DEMO: 'false',
    };
    delete env.DATABASE_URL;
    delete env.REDIS_URL;
    // Started from another directory: nothing may depend on the working directory.
    const args = command.args.map((arg) => (arg.endsWith('.mjs') ? path.join(ROOT, arg) : arg));
    const bundled = spawn(process.execPath, args, {
      cwd: tmpdir(),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    bundled.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    try {
      await waitForReady(bundled, () => stderr).catch(() => {
        throw new Error(`the bundle did not start from another directory:\n${stderr}`);
      });
      const pidFile = await readFile(path.join(ROOT, relativeDir, 'chronoboard.pid'), 'utf8');
      assert.equal(Number(pidFile), bundled.pid);
    } finally {
      if (bundled.exitCode === null && bundled.signalCode === null) {
        const exited = new Promise((resolve) => bundled.once('exit', resolve));
        bundled.kill('SIGTERM');
        await exited;
      }
      await rm(path.join(ROOT, relativeDir), { recursive: true, force: true });
    }
    // Files found next to a module (the decode worker) are found next to its source; the export
    // worker is found in the bundle, from its source's place too.
    const dist = path.join(ROOT, 'dist/server');
    const pattern = /new URL\("([^"]+)", new URL\("([^"]+)", import\.meta\.url\)\.href\)/g;
    let found = 0;
    for (const chunk of await readdir(dist)) {
      if (!chunk.endsWith('.mjs')) continue;
      const code = await readFile(path.join(dist, chunk), 'utf8');
      for (const [, file, source] of code.matchAll(pattern)) {
        const sourceUrl = new URL(source!, pathToFileURL(path.join(dist, chunk)));
        assert.ok(existsSync(fileURLToPath(sourceUrl)), `${source} from ${chunk}`);
        assert.ok(
          existsSync(fileURLToPath(new URL(file!, sourceUrl))),
          `${file} next to ${source}`,
        );
        found++;
      }
    }
    // The decode worker (next to its source) and the export worker (the bundle's own entry).
    assert.ok(found >= 2, 'the decode and export workers are referenced');
  });
});
