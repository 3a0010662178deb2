/**
 * Import over REST through the real server on both back ends: a dry run writes nothing, an import
 * reaches a connected websocket client as one change, a malformed file is a 400 naming the row and
 * field, a viewer is refused, and a 20,000-row CSV imports in seconds with one activity entry and
 * leaves the server idle: the room compacted and unloaded, the stored document complete, nothing
 * left to persist, no retries in the log.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { ImportError } from '../../lib/import/plan';
import { readEvents, readLanes } from '../../lib/timeline/model';
import type { ActivitySummary } from '../../lib/timeline/schemas';
import { createApiToken, inviteMember } from './helpers/auth';
import { BACKENDS, type Backend, createBackend } from './helpers/backends';
import {
  api,
  connectClient,
  createTimeline,
  type TestClient,
  waitFor,
  waitForSync,
} from './helpers/clients';
import { type ServerProcess, startServerProcess } from './helpers/serverProcess';

interface ImportReply {
  dryRun: boolean;
  events: number;
  lanes: number;
  errors: ImportError[];
  error?: string;
  sample?: { title: string }[];
}

/** User + system CPU time of a process so far, in seconds (Linux /proc). */
function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of the whole line, counted in clock ticks (100 Hz).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/import/${name}`, import.meta.url), 'utf8');

for (const backendName of BACKENDS) {
  describe(`import on ${backendName}`, () => {
    let backend: Backend;
    let server: ServerProcess;
    let viewerToken = '';
    const clients: TestClient[] = [];

    const upload = (timelineId: string, query: string, body: string, token?: string) =>
      api<ImportReply>(server.url, `/api/timelines/${timelineId}/import?${query}`, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'text/csv',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      });
    const exportOf = async (timelineId: string) =>
      (
        await api<{ events: { title: string }[] }>(
          server.url,
          `/api/timelines/${timelineId}/export?format=json`,
        )
      ).body;

    before(async () => {
      backend = await createBackend(backendName);
      server = await startServerProcess({
        ...backend.storage,
        env: {
          ROOM_IDLE_MS: '200',
          AUTO_SNAPSHOT_MS: '600000',
          SEED_DEMO: 'false',
          LOG_LEVEL: 'warn',
        },
      });
      const cookie = await inviteMember(server.url, server.admin!.token, {
        email: 'vera@chronoboard.test',
        name: 'Vera',
        role: 'viewer',
      });
      viewerToken = await createApiToken(server.url, cookie);
    });

    after(async () => {
      for (const client of clients) client.destroy();
      await server?.stop();
      await backend?.cleanup();
    });

    it('a dry run counts and lists errors but writes nothing', async () => {
      const timeline = await createTimeline(server.url, 'Dry run');
      const file = 'title,start,lane\nGood,2019-02-18,Ops\nBad,2019-02-30,Ops\n';
      const reply = await upload(timeline.id, 'format=csv&dryRun=true', file);
      assert.equal(reply.status, 200);
      assert.equal(reply.body.dryRun, true);
      assert.equal(reply.body.events, 1);
      assert.equal(reply.body.lanes, 1);
      assert.deepEqual(
        reply.body.errors.map((error) => [error.row, error.field]),
        [[3, 'start']],
      );
      assert.deepEqual((await exportOf(timeline.id)).events, []);
    });

    it('imports a TimelineJS file as one change a connected client sees at once', async () => {
      const timeline = await createTimeline(server.url, 'Media types');
      const client = connectClient(server.wsUrl, timeline.id);
      clients.push(client);
      await waitForSync(client);
      let updates = 0;
      client.doc.on('update', () => updates++);
      const reply = await upload(
        timeline.id,
        'format=timelinejs',
        fixture('timelinejs-all-media-types.json'),
      );
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      assert.deepEqual(reply.body.errors, []);
      assert.equal(reply.body.events, 41);
      assert.equal(reply.body.lanes, 5);
      await waitFor(() => readEvents(client.doc).length === 41, 'the client to receive the import');
      assert.equal(updates, 1, 'the import arrives as one update');
      assert.deepEqual(
        readLanes(client.doc).map((lane) => lane.title),
        ['Events', 'Video', 'Social Media', 'Audio', 'HTML', 'Image'],
      );
      // Answered after it is durable: the export (read from the live room or the store) has it.
      assert.equal((await exportOf(timeline.id)).events.length, 41);
    });

    it('refuses a malformed file with 400 naming row and field, writing nothing', async () => {
      const timeline = await createTimeline(server.url, 'Malformed');
      const file = 'title,start\nGood,2019-02-18\n,2019-02-19\nLate,2019-02-31\n';
      const reply = await upload(timeline.id, 'format=csv', file);
      assert.equal(reply.status, 400);
      assert.match(reply.body.error ?? '', /^row 3, title: /);
      assert.deepEqual(
        reply.body.errors.map((error) => [error.row, error.field]),
        [
          [3, 'title'],
          [4, 'start'],
        ],
      );
      assert.deepEqual((await exportOf(timeline.id)).events, []);
      const cosmic = await upload(
        timeline.id,
        'format=timelinejs&dryRun=true',
        fixture('timelinejs-cosmo.json'),
      );
      assert.equal(cosmic.status, 400);
      assert.match(cosmic.body.error ?? '', /cosmological/);
      // After the preview, the person may import the readable rows.
      const partial = await upload(timeline.id, 'format=csv&skipInvalid=true', file);
      assert.equal(partial.status, 200);
      assert.equal(partial.body.events, 1);
      assert.deepEqual(
        (await exportOf(timeline.id)).events.map((event) => event.title),
        ['Good'],
      );
      const format = await upload(timeline.id, 'format=xlsx', file);
      assert.equal(format.status, 400);
      assert.match(format.body.error ?? '', /format must be one of: csv, json, timelinejs/);
    });

    it('refuses viewers (403) and anonymous callers (401)', async () => {
      const timeline = await createTimeline(server.url, 'Not yours');
      const viewer = await upload(
        timeline.id,
        'format=csv',
        'title,start\nA,2019-01-01\n',
        viewerToken,
      );
      assert.equal(viewer.status, 403);
      const anonymous = await api(server.url, `/api/timelines/${timeline.id}/import?format=csv`, {
        method: 'POST',
        body: 'title,start\nA,2019-01-01\n',
        headers: { authorization: '' },
      });
      assert.equal(anonymous.status, 401);
      assert.deepEqual((await exportOf(timeline.id)).events, []);
    });

    it('refuses a body over the import limit with 413', async () => {
      const timeline = await createTimeline(server.url, 'Too big');
      const response = await fetch(`${server.url}/api/timelines/${timeline.id}/import?format=csv`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${server.admin!.token}`,
          'content-length': String(21 * 1024 * 1024),
          'content-type': 'text/csv',
        },
        body: 'x'.repeat(21 * 1024 * 1024),
      });
      assert.equal(response.status, 413);
    });

    it('imports 20,000 CSV rows in seconds with one activity entry, then unloads the room with the document stored whole', async () => {
      const count = 20_000;
      const timeline = await createTimeline(server.url, 'Twenty thousand');
      const client = connectClient(server.wsUrl, timeline.id);
      clients.push(client);
      await waitForSync(client);
      const rows = ['title,start,lane,tags'];
      for (let i = 0; i < count; i++) {
        const day = new Date(Date.UTC(2019, 0, 1) + i * 3_600_000).toISOString();
        rows.push(`Row ${i},${day},Lane ${i % 5},bulk; n${i % 7}`);
      }
      const started = performance.now();
      const reply = await upload(timeline.id, 'format=csv', rows.join('\n'));
      const elapsed = performance.now() - started;
      assert.equal(reply.status, 200, JSON.stringify(reply.body).slice(0, 500));
      assert.equal(reply.body.events, count);
      console.log(`[${backendName}] 20,000-row CSV import answered in ${Math.round(elapsed)} ms`);
      assert.ok(elapsed < 20_000, `import took ${Math.round(elapsed)} ms`);
      await waitFor(
        () => readEvents(client.doc).length === count,
        'the client to have every event',
        20_000,
      );
      console.log(
        `[${backendName}] …and on a connected client after ${Math.round(performance.now() - started)} ms`,
      );

      const activity = await waitFor(async () => {
        const { body } = await api<{ entries: ActivitySummary[] }>(
          server.url,
          `/api/timelines/${timeline.id}/activity?limit=1000`,
        );
        return body.entries.length > 0 ? body.entries : null;
      }, 'the activity entry');
      assert.equal(activity.length, 1, JSON.stringify(activity.slice(0, 3)));
      assert.equal(activity[0]!.action, 'created');
      assert.equal(activity[0]!.count, count);
      assert.equal(activity[0]!.actor, 'Test Admin');

      // Every client leaves, so every room can be written and unloaded.
      for (const each of clients.splice(0)) each.destroy();
      await waitFor(
        async () => {
          const { body } = await api<{ rooms: number; unpersistedBytes: number }>(
            server.url,
            '/api/health',
          );
          return body.unpersistedBytes === 0 && body.rooms === 0;
        },
        'the room to be written and unloaded',
        20_000,
      );
      assert.doesNotMatch(server.log(), /will retry|dropping activity|failed/i);
      // Idle: the server process uses (almost) no CPU once the room is gone.
      const cpu = cpuSecondsOf(server.child.pid!);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const busy = (cpuSecondsOf(server.child.pid!) - cpu) / 2;
      console.log(
        `[${backendName}] server CPU after the import: ${Math.round(busy * 100)}% of a core`,
      );
      assert.ok(busy < 0.2, `the server is still busy (${Math.round(busy * 100)}% of a core)`);

      // The room is gone, so the export reads the stored document: every event is there.
      const stored = await exportOf(timeline.id);
      assert.equal(stored.events.length, count);
      assert.equal(new Set(stored.events.map((event) => event.title)).size, count);
      // Unloading took an automatic snapshot of the whole document.
      const { body: history } = await api<{ snapshots: { kind: string; eventCount: number }[] }>(
        server.url,
        `/api/timelines/${timeline.id}/snapshots`,
      );
      assert.deepEqual(
        history.snapshots.map((snapshot) => [snapshot.kind, snapshot.eventCount]),
        [['auto', count]],
      );
    });
  });
}
