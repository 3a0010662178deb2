/**
 * The demo timeline is seeded once per database (server/services/seed.ts), even when several
 * instances start together on a fresh PostgreSQL database.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DEMO_TIMELINE_TITLE } from '../../lib/seed/demoTimeline';
import { type RunningServer, startServer } from '../../server/app';
import { createLogger } from '../../server/log';
import { createTestDatabase } from './helpers/postgres';

describe('demo seed', () => {
  it('is written by exactly one of three instances starting together on a fresh database', async () => {
    const database = await createTestDatabase();
    const dirs: string[] = [];
    const servers: RunningServer[] = [];
    try {
      const start = async () => {
        const dataDir = await mkdtemp(path.join(os.tmpdir(), 'chronoboard-seed-'));
        dirs.push(dataDir);
        const server = await startServer({
          port: 0,
          host: '127.0.0.1',
          databaseUrl: database.url,
          dataDir,
          web: false,
          seedDemo: true,
          logger: createLogger('error'),
        });
        servers.push(server);
        return server;
      };
      const [first] = await Promise.all([start(), start(), start()]);
      const timelines = await first!.services.timelines.listTimelines();
      const demos = timelines.filter((timeline) => timeline.title === DEMO_TIMELINE_TITLE);
      assert.equal(demos.length, 1, 'one demo timeline');
      assert.ok(demos[0]!.eventCount > 10, 'the demo has its events');
      // A later start seeds nothing more.
      const again = await start();
      const after = await again.services.timelines.listTimelines();
      assert.equal(after.filter((t) => t.title === DEMO_TIMELINE_TITLE).length, 1);
    } finally {
      for (const server of servers) await server.close();
      for (const dir of dirs) await rm(dir, { recursive: true, force: true });
      await database.drop();
    }
  });
});
