/**
 * The whole server as users run it (child process, Next + collab on one port), against PGlite
 * and against PostgreSQL: REST validation, two y-websocket clients converging through the server,
 * the JSON export reading the live document, and edits surviving a restart and a kill -9.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  createEvent,
  moveEvent,
  readEvents,
  readLanes,
  updateEvent,
} from '../../lib/timeline/model';
import type { TimelineSummary } from '../../lib/timeline/schemas';
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

for (const backendName of BACKENDS) {
  describe(`server on ${backendName}`, () => {
    let backend: Backend;
    let server: ServerProcess;
    const clients: TestClient[] = [];
    const connect = (timelineId: string) => {
      const client = connectClient(server.wsUrl, timelineId);
      clients.push(client);
      return client;
    };
    const exportTimeline = async (id: string) =>
      (await api<TimelineExport>(server.url, `/api/timelines/${id}/export?format=json`)).body;

    before(async () => {
      backend = await createBackend(backendName);
      server = await startServerProcess(backend.storage);
    });

    after(async () => {
      for (const client of clients) client.destroy();
      await server?.stop();
      await backend?.cleanup();
    });

    it('reports its storage in /api/health', async () => {
      const { status, body } = await api<{ ok: boolean; db: string }>(server.url, '/api/health');
      assert.equal(status, 200);
      assert.equal(body.ok, true);
      assert.equal(body.db, backendName);
    });

    it('seeds the demo timeline on first start', async () => {
      const { body } = await api<{ timelines: TimelineSummary[] }>(server.url, '/api/timelines');
      assert.equal(body.timelines.length, 1);
      const [demo] = body.timelines;
      assert.match(demo!.title, /outage/i);
      assert.ok(demo!.eventCount >= 10);
      const exported = await exportTimeline(demo!.id);
      const kinds = new Set(exported.events.map((event) => event.kind));
      assert.deepEqual([...kinds].sort(), ['background', 'point', 'range']);
      assert.ok(exported.lanes.some((lane) => lane.title === 'Diplomacy'));
    });

    it('rejects bad REST bodies with 400 and a message, unknown ids with 404', async () => {
      const post = (body: string) =>
        api<{ error: string }>(server.url, '/api/timelines', { method: 'POST', body });
      for (const [body, message] of [
        ['not json', /valid JSON/],
        ['{}', /title/],
        ['{"title":""}', /title: must not be empty/],
        ['{"title":"   "}', /title: must not be empty/],
        ['{"title":42}', /title/],
        [JSON.stringify({ title: 'x'.repeat(501) }), /at most 500/],
        ['{"title":"ok","extra":1}', /extra/],
      ] as const) {
        const response = await post(body);
        assert.equal(response.status, 400, `body ${body}`);
        assert.match(response.body.error, message, `body ${body}`);
      }
      assert.equal((await api(server.url, '/api/timelines/nope')).status, 404);
      assert.equal((await api(server.url, '/api/timelines/nope/export?format=json')).status, 404);
      const timelines = await api<{ timelines: TimelineSummary[] }>(server.url, '/api/timelines');
      const id = timelines.body.timelines[0]!.id;
      const badFormat = await api<{ error: string }>(
        server.url,
        `/api/timelines/${id}/export?format=xlsx`,
      );
      assert.equal(badFormat.status, 400);
      assert.match(badFormat.body.error, /format: must be one of/);
      // A download named after the timeline and the day, in UTC.
      const download = await fetch(`${server.url}/api/timelines/${id}/export?format=json`, {
        headers: { authorization: `Bearer ${server.admin!.token}` },
      });
      assert.equal(download.status, 200);
      const today = new Date().toISOString().slice(0, 10);
      assert.match(
        download.headers.get('content-disposition') ?? '',
        new RegExp(`^attachment; filename="[^"]+-${today}\\.json"; filename\\*=UTF-8''`),
      );
    });

    it('syncs two websocket clients through the server and exports the live document', async () => {
      const { id } = await createTimeline(server.url, 'Convergence check');
      assert.equal(
        (await api<TimelineSummary>(server.url, `/api/timelines/${id}`)).body.title,
        'Convergence check',
      );

      const a = connect(id);
      const b = connect(id);
      await Promise.all([waitForSync(a), waitForSync(b)]);
      const lane = readLanes(a.doc)[0]!;
      const eventId = createEvent(a.doc, {
        title: 'Outage begins',
        kind: 'point',
        start: '2019-02-18',
        lane: lane.id,
      });
      await waitFor(
        () => readEvents(b.doc).some((event) => event.id === eventId),
        'B to see A’s event',
      );

      moveEvent(b.doc, eventId, { start: '2019-02-19' });
      await waitFor(
        () => readEvents(a.doc)[0]?.start === '2019-02-19T00:00:00.000Z',
        'A to see B’s move',
      );

      // Different fields of the same event, changed at the same time, both survive.
      updateEvent(a.doc, eventId, { title: 'Outage begins (confirmed)' });
      updateEvent(b.doc, eventId, { description: 'Two sources agree.' });
      await waitFor(() => {
        const [fromA] = readEvents(a.doc);
        const [fromB] = readEvents(b.doc);
        return (
          fromA?.title === 'Outage begins (confirmed)' &&
          fromA.description === 'Two sources agree.' &&
          JSON.stringify(fromA) === JSON.stringify(fromB)
        );
      }, 'both field edits on both clients');

      // The export reads the live room, so the edit is there at once.
      const exported = await exportTimeline(id);
      assert.equal(exported.events.length, 1);
      assert.equal(exported.events[0]!.title, 'Outage begins (confirmed)');
      assert.equal(exported.events[0]!.start, '2019-02-19T00:00:00.000Z');
      assert.equal(exported.timeline.eventCount, 1);

      // The list shows the new count once the update is persisted.
      await waitFor(async () => {
        const list = await api<{ timelines: TimelineSummary[] }>(server.url, '/api/timelines');
        return list.body.timelines.find((t) => t.id === id)?.eventCount === 1;
      }, 'event count in the list');
    });

    it('sends a nonce-based Content-Security-Policy and hardening headers', async () => {
      const page = await fetch(`${server.url}/`);
      const policy = page.headers.get('content-security-policy') ?? '';
      const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
      assert.ok(nonce, `no nonce in ${policy}`);
      assert.match(policy, /script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
      assert.match(policy, /object-src 'none'/);
      assert.match(policy, /frame-ancestors 'none'/);
      const html = await page.text();
      const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
      assert.ok(scripts.length > 0);
      for (const script of scripts) assert.ok(script.includes(`nonce="${nonce}"`), script);
      // A new nonce for every response.
      const again = (await fetch(`${server.url}/`)).headers.get('content-security-policy');
      assert.notEqual(again, policy);
      for (const response of [page, await fetch(`${server.url}/api/health`)]) {
        assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
        assert.equal(response.headers.get('x-frame-options'), 'DENY');
        assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
      }
    });

    it('closes a connection to an unknown timeline with 4404', async () => {
      const client = connect('does-not-exist');
      const code = await new Promise<number>((resolve) =>
        client.provider.on('connection-close', (event: CloseEvent | null) =>
          resolve(event?.code ?? 0),
        ),
      );
      client.provider.disconnect();
      assert.equal(code, 4404);
    });

    it('keeps edits across a graceful restart and a kill -9, and seeds only once', async () => {
      const { id } = await createTimeline(server.url, 'Restart check');
      const writer = connect(id);
      await waitForSync(writer);
      const lane = readLanes(writer.doc)[0]!;
      createEvent(writer.doc, {
        title: 'Before restart',
        kind: 'point',
        start: '2019-02-20',
        lane: lane.id,
      });
      await waitFor(
        async () => (await exportTimeline(id)).events.length === 1,
        'server to have the edit',
      );
      writer.destroy();

      assert.equal(await server.stop(), 0, `graceful stop failed:\n${server.log()}`);
      server = await startServerProcess(backend.storage);
      let exported = await exportTimeline(id);
      assert.deepEqual(
        exported.events.map((event) => event.title),
        ['Before restart'],
      );

      // A kill -9 gives the server no chance to flush: the update log must already hold the edit.
      const second = connect(id);
      await waitForSync(second);
      createEvent(second.doc, {
        title: 'Before kill',
        kind: 'point',
        start: '2019-02-21',
        lane: lane.id,
      });
      await waitFor(
        async () => (await exportTimeline(id)).events.length === 2,
        'server to have the edit',
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      second.provider.disconnect();
      await server.kill();
      server = await startServerProcess(backend.storage);
      exported = await exportTimeline(id);
      assert.deepEqual(exported.events.map((event) => event.title).sort(), [
        'Before kill',
        'Before restart',
      ]);

      const { body } = await api<{ timelines: TimelineSummary[] }>(server.url, '/api/timelines');
      assert.equal(
        body.timelines.filter((t) => /outage/i.test(t.title)).length,
        1,
        'demo seeded once',
      );
    });
  });
}
