/**
 * Timeline lifecycle through the real server on both back ends: duplicate copies the current
 * content (live edits included) into an independent timeline; delete (admins) removes it with its
 * history, ends the live connections with 4404 and a reason, and later connections find nothing;
 * the export downloads as `<title>-<yyyy-mm-dd>.json`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloseCode } from '../../lib/limits';
import { createEvent, createLane, readLanes } from '../../lib/timeline/model';
import type { SnapshotSummary, TimelineSummary } from '../../lib/timeline/schemas';
import type { TimelineExport } from '../../server/services/timelines';
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

const DAY = '2019-02-18T00:00:00.000Z';

for (const backendName of BACKENDS) {
  describe(`timeline lifecycle on ${backendName}`, () => {
    let backend: Backend;
    let server: ServerProcess;
    const clients: TestClient[] = [];
    const connect = (timelineId: string) => {
      const client = connectClient(server.wsUrl, timelineId);
      clients.push(client);
      return client;
    };
    const exportOf = async (id: string) =>
      (await api<TimelineExport>(server.url, `/api/timelines/${id}/export?format=json`)).body;

    before(async () => {
      backend = await createBackend(backendName);
      server = await startServerProcess({
        ...backend.storage,
        env: { ROOM_IDLE_MS: '200', AUTO_SNAPSHOT_MS: '600000', SEED_DEMO: 'false' },
      });
    });

    after(async () => {
      for (const client of clients) client.destroy();
      await server?.stop();
      await backend?.cleanup();
    });

    it('duplicates the live content into an independent timeline', async () => {
      const original = await createTimeline(server.url, 'Border outages');
      const client = connect(original.id);
      await waitForSync(client);
      const lane = createLane(client.doc, { title: 'Diplomacy', color: '#7c3aed' });
      createEvent(client.doc, { title: 'Talks', kind: 'point', start: DAY, lane });
      await waitFor(
        async () => (await exportOf(original.id)).events.length === 1,
        'the event saved',
      );

      const copied = await api<TimelineSummary>(
        server.url,
        `/api/timelines/${original.id}/duplicate`,
        { method: 'POST' },
      );
      assert.equal(copied.status, 201);
      assert.notEqual(copied.body.id, original.id);
      assert.equal(copied.body.title, 'Border outages (copy)');
      assert.equal(copied.body.eventCount, 1);
      const [from, to] = [await exportOf(original.id), await exportOf(copied.body.id)];
      assert.deepEqual(to.lanes, from.lanes);
      assert.deepEqual(to.events, from.events);
      assert.equal(to.timeline.title, 'Border outages (copy)');

      // Editing the copy leaves the original alone.
      const other = connect(copied.body.id);
      await waitForSync(other);
      createEvent(other.doc, {
        title: 'Only in the copy',
        kind: 'point',
        start: DAY,
        lane: readLanes(other.doc)[0]!.id,
      });
      await waitFor(
        async () => (await exportOf(copied.body.id)).events.length === 2,
        'the copy edited',
      );
      assert.equal((await exportOf(original.id)).events.length, 1);

      const missing = await api(server.url, '/api/timelines/nosuchtimeline01/duplicate', {
        method: 'POST',
      });
      assert.equal(missing.status, 404);
    });

    it('deletes a timeline, closing its live connections with a reason', async () => {
      const timeline = await createTimeline(server.url, 'To be deleted');
      const client = connect(timeline.id);
      await waitForSync(client);
      createEvent(client.doc, {
        title: 'Soon gone',
        kind: 'point',
        start: DAY,
        lane: readLanes(client.doc)[0]!.id,
      });
      await waitFor(
        async () => (await exportOf(timeline.id)).events.length === 1,
        'the event saved',
      );
      const snapshot = await api<SnapshotSummary>(
        server.url,
        `/api/timelines/${timeline.id}/snapshots`,
        { method: 'POST', body: JSON.stringify({ label: 'before' }) },
      );
      assert.equal(snapshot.status, 201);

      const closed = new Promise<{ code: number; reason: string }>((resolve) => {
        client.provider.on('connection-close', (event) => {
          if (event) resolve({ code: event.code, reason: event.reason });
        });
      });
      const deleted = await api(server.url, `/api/timelines/${timeline.id}`, {
        method: 'DELETE',
      });
      assert.equal(deleted.status, 200);
      const close = await closed;
      assert.equal(close.code, CloseCode.timelineNotFound);
      assert.match(close.reason, /deleted/);

      assert.equal((await api(server.url, `/api/timelines/${timeline.id}`)).status, 404);
      const list = await api<{ timelines: TimelineSummary[] }>(server.url, '/api/timelines');
      assert.ok(!list.body.timelines.some((t) => t.id === timeline.id));
      assert.equal((await api(server.url, `/api/timelines/${timeline.id}/snapshots`)).status, 404);
      assert.equal(
        (await api(server.url, `/api/timelines/${timeline.id}`, { method: 'DELETE' })).status,
        404,
      );

      // A new connection finds nothing, even while the room would still have been idle.
      client.provider.disconnect();
      const late = connect(timeline.id);
      const refused = await new Promise<number>((resolve) => {
        late.provider.on('connection-close', (event) => {
          if (event) resolve(event.code);
        });
      });
      assert.equal(refused, CloseCode.timelineNotFound);
      // The server keeps working for other timelines.
      assert.equal((await createTimeline(server.url, 'After')).title, 'After');
    });

    it('names the export download after the timeline and the day', async () => {
      const timeline = await createTimeline(server.url, 'Elections: "round 2"');
      const response = await fetch(
        `${server.url}/api/timelines/${timeline.id}/export?format=json`,
        { headers: { authorization: `Bearer ${server.admin!.token}` } },
      );
      assert.equal(response.status, 200);
      const day = new Date().toISOString().slice(0, 10);
      assert.equal(
        response.headers.get('content-disposition'),
        `attachment; filename="Elections-round-2-${day}.json"; filename*=UTF-8''Elections-round-2-${day}.json`,
      );
    });
  });
}
