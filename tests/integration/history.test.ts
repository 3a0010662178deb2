/**
 * Version history through the real server on both back ends: named and automatic snapshots, the
 * export as of a snapshot, diffs, restore as a live change (and its undo), and the activity log
 * with the account names of the people who did it (never the names their clients claim).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TimelineDiff } from '../../lib/timeline/diff';
import {
  createEvent,
  deleteEvent,
  readEvents,
  readLanes,
  updateEvent,
} from '../../lib/timeline/model';
import type { ActivitySummary, SnapshotSummary } from '../../lib/timeline/schemas';
import type { SnapshotContent } from '../../server/services/history';
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

for (const backendName of BACKENDS) {
  describe(`history on ${backendName}`, () => {
    let backend: Backend;
    let server: ServerProcess;
    const clients: TestClient[] = [];
    /** Ana's and Ben's API tokens: two editors invited by the admin. */
    const tokens: Record<'Ana' | 'Ben', string> = { Ana: '', Ben: '' };
    const connect = (timelineId: string, name: 'Ana' | 'Ben') => {
      const client = connectClient(server.wsUrl, timelineId, undefined, { token: tokens[name] });
      // What the client claims is not what the log records: the account name is.
      client.provider.awareness.setLocalStateField('user', { name: 'Someone', color: '#2563eb' });
      clients.push(client);
      return client;
    };
    const post = <T>(path: string, body: unknown, as: 'Ana' | 'Ben' = 'Ana') =>
      api<T>(server.url, path, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { authorization: `Bearer ${tokens[as]}` },
      });

    before(async () => {
      backend = await createBackend(backendName);
      server = await startServerProcess({
        ...backend.storage,
        env: { ROOM_IDLE_MS: '200', AUTO_SNAPSHOT_MS: '600000', SEED_DEMO: 'false' },
      });
      for (const name of ['Ana', 'Ben'] as const) {
        const cookie = await inviteMember(server.url, server.admin!.token, {
          email: `${name.toLowerCase()}@chronoboard.test`,
          name,
          role: 'editor',
        });
        tokens[name] = await createApiToken(server.url, cookie);
      }
    });

    after(async () => {
      for (const client of clients) client.destroy();
      await server?.stop();
      await backend?.cleanup();
    });

    it('snapshots, diffs, restores live, undoes the restore, and logs who did what', async () => {
      const timeline = await createTimeline(server.url, 'History');
      const id = timeline.id;
      const ana = connect(id, 'Ana');
      const ben = connect(id, 'Ben');
      await Promise.all([waitForSync(ana), waitForSync(ben)]);
      const lane = readLanes(ana.doc)[0]!.id;
      const outage = createEvent(ana.doc, {
        title: 'Outage',
        kind: 'range',
        start: '2019-02-18',
        end: '2019-02-21',
        lane,
      });
      const report = createEvent(ana.doc, {
        title: 'Report',
        kind: 'point',
        start: '2019-02-22',
        lane,
      });
      await waitFor(() => readEvents(ben.doc).length === 2, 'Ben to see both events');

      const named = await post<SnapshotSummary>(`/api/timelines/${id}/snapshots`, {
        label: 'Before the summit',
        author: 'Not Ana',
      });
      assert.equal(named.status, 201);
      assert.equal(named.body.kind, 'named');
      assert.equal(named.body.eventCount, 2);
      assert.equal(named.body.author, 'Ana');

      // Ben changes a title and deletes the report; Ana adds the summit.
      updateEvent(ben.doc, outage, { title: 'Outage (3 days)' });
      deleteEvent(ben.doc, report);
      const summit = createEvent(ana.doc, {
        title: 'Summit',
        kind: 'range',
        start: '2019-02-27',
        end: '2019-03-01',
        lane,
      });
      await waitFor(async () => {
        const { body } = await api<{ events: unknown[] }>(
          server.url,
          `/api/timelines/${id}/export?format=json`,
        );
        return body.events.length === 2;
      }, 'server to have the changes');

      const asOfThen = await api<SnapshotContent>(
        server.url,
        `/api/timelines/${id}/snapshots/${named.body.id}`,
      );
      assert.equal(asOfThen.status, 200);
      assert.deepEqual(asOfThen.body.events.map((e) => e.title).sort(), ['Outage', 'Report']);

      const diff = await api<TimelineDiff>(
        server.url,
        `/api/timelines/${id}/snapshots/${named.body.id}/diff?against=now`,
      );
      assert.deepEqual(
        diff.body.events.added.map((e) => e.id),
        [summit],
      );
      assert.deepEqual(
        diff.body.events.removed.map((e) => e.id),
        [report],
      );
      assert.equal(diff.body.events.changed.length, 1);
      assert.deepEqual(diff.body.events.changed[0]!.changes, [
        { field: 'title', before: 'Outage', after: 'Outage (3 days)' },
      ]);

      // Restore: everyone connected sees it live.
      const restored = await post<{ restored: SnapshotSummary; backup: SnapshotSummary }>(
        `/api/timelines/${id}/snapshots/${named.body.id}/restore`,
        { author: 'Not Ana' },
      );
      assert.equal(restored.status, 200);
      assert.equal(restored.body.backup.kind, 'pre-restore');
      await waitFor(() => {
        const titles = readEvents(ben.doc)
          .map((e) => e.title)
          .sort();
        return JSON.stringify(titles) === JSON.stringify(['Outage', 'Report']);
      }, 'Ben to see the restored state');

      // Nothing in history was destroyed, and the restore can be undone.
      const list = await api<{ snapshots: SnapshotSummary[] }>(
        server.url,
        `/api/timelines/${id}/snapshots`,
      );
      assert.deepEqual(
        list.body.snapshots.map((s) => s.kind),
        ['pre-restore', 'named'],
      );
      await post(`/api/timelines/${id}/snapshots/${restored.body.backup.id}/restore`, {});
      await waitFor(() => {
        const titles = readEvents(ana.doc)
          .map((e) => e.title)
          .sort();
        return JSON.stringify(titles) === JSON.stringify(['Outage (3 days)', 'Summit']);
      }, 'Ana to see the undo');

      // The activity log says who did what, with field names.
      const activity = await waitFor(async () => {
        const { body } = await api<{ entries: ActivitySummary[] }>(
          server.url,
          `/api/timelines/${id}/activity`,
        );
        return body.entries.some((e) => e.action === 'restored') && body.entries.length >= 5
          ? body.entries
          : null;
      }, 'activity to be written');
      const find = (actor: string, action: string, eventId: string) =>
        activity.find((e) => e.actor === actor && e.action === action && e.eventId === eventId);
      assert.ok(find('Ana', 'created', outage), 'Ana created the outage');
      assert.ok(find('Ana', 'created', summit), 'Ana created the summit');
      assert.deepEqual(find('Ben', 'updated', outage)?.fields, ['title']);
      assert.equal(find('Ben', 'deleted', report)?.eventTitle, 'Report');
      assert.ok(activity.some((e) => e.actor === 'Ana' && e.action === 'restored'));
    });

    it('takes an automatic snapshot when a room empties', async () => {
      const timeline = await createTimeline(server.url, 'Auto');
      const client = connect(timeline.id, 'Ben');
      await waitForSync(client);
      createEvent(client.doc, {
        title: 'One',
        kind: 'point',
        start: '2019-03-10',
        lane: readLanes(client.doc)[0]!.id,
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      client.provider.disconnect();
      const snapshots = await waitFor(async () => {
        const { body } = await api<{ snapshots: SnapshotSummary[] }>(
          server.url,
          `/api/timelines/${timeline.id}/snapshots`,
        );
        return body.snapshots.length > 0 ? body.snapshots : null;
      }, 'automatic snapshot');
      assert.equal(snapshots[0]!.kind, 'auto');
      assert.equal(snapshots[0]!.eventCount, 1);

      // Within AUTO_SNAPSHOT_MS of it, neither a reconnect nor another edit and unload adds one.
      const again = connect(timeline.id, 'Ben');
      await waitForSync(again);
      again.provider.disconnect();
      const third = connect(timeline.id, 'Ben');
      await waitForSync(third);
      createEvent(third.doc, {
        title: 'Two',
        kind: 'point',
        start: '2019-03-11',
        lane: readLanes(third.doc)[0]!.id,
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      third.provider.disconnect();
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const { body } = await api<{ snapshots: SnapshotSummary[] }>(
        server.url,
        `/api/timelines/${timeline.id}/snapshots`,
      );
      assert.deepEqual(
        body.snapshots.map((s) => s.id),
        [snapshots[0]!.id],
      );
    });

    it('pages the snapshot list and limits named snapshots per person', async () => {
      const cookie = await inviteMember(server.url, server.admin!.token, {
        email: 'dana@chronoboard.test',
        name: 'Dana',
        role: 'editor',
      });
      const dana = await createApiToken(server.url, cookie);
      const timeline = await createTimeline(server.url, 'Pages');
      const base = `/api/timelines/${timeline.id}/snapshots`;
      const save = (label: string, token: string) =>
        api<SnapshotSummary & { error?: string }>(server.url, base, {
          method: 'POST',
          body: JSON.stringify({ label }),
          headers: { authorization: `Bearer ${token}` },
        });
      for (let i = 1; i <= 10; i++) assert.equal((await save(`V${i}`, dana)).status, 201);
      const refused = await save('V11', dana);
      assert.equal(refused.status, 429);
      assert.match(refused.body.error ?? '', /too many named snapshots: at most 10 per 60 seconds/);
      // The limit is per person: Ben is not held back by Dana.
      assert.equal((await save('By Ben', tokens.Ben)).status, 201);

      const labels: string[] = [];
      const sizes: number[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
        const page = await api<{ snapshots: SnapshotSummary[]; nextCursor: string | null }>(
          server.url,
          `${base}?limit=4${query}`,
        );
        assert.equal(page.status, 200);
        sizes.push(page.body.snapshots.length);
        labels.push(...page.body.snapshots.map((s) => s.label ?? ''));
        cursor = page.body.nextCursor;
      } while (cursor);
      assert.deepEqual(sizes, [4, 4, 3]);
      assert.deepEqual(labels, ['By Ben', ...Array.from({ length: 10 }, (_, i) => `V${10 - i}`)]);
      assert.equal((await api(server.url, `${base}?limit=0`)).status, 400);
      assert.equal((await api(server.url, `${base}?limit=201`)).status, 400);
      assert.equal((await api(server.url, `${base}?cursor=nonsense`)).status, 400);
    });

    it('answers bad history requests with 400 and unknown ids with 404', async () => {
      const timeline = await createTimeline(server.url, 'Errors');
      const base = `/api/timelines/${timeline.id}`;
      assert.equal((await post(`${base}/snapshots`, { label: '' })).status, 400);
      assert.equal((await post(`${base}/snapshots`, { label: 'x', extra: 1 })).status, 400);
      assert.equal((await api(server.url, `${base}/snapshots/nope`)).status, 404);
      assert.equal((await post(`${base}/snapshots/nope/restore`, {})).status, 404);
      assert.equal((await api(server.url, `/api/timelines/nope/snapshots`)).status, 404);
      assert.equal((await api(server.url, `${base}/activity?limit=abc`)).status, 400);
      assert.equal((await api(server.url, `${base}/activity?limit=0`)).status, 400);
    });
  });
}
