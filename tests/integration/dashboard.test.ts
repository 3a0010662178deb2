/**
 * The dashboard's REST side through the real server on both back ends: the last visit is kept per
 * account on the server (any credential of the account sees it, other accounts do not), only
 * accounts have one (share links keep theirs in the browser), unknown and deleted timelines are
 * 404; and the activity log can be read since a time, for "changed since your last visit".
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createEvent, createLane } from '../../lib/timeline/model';
import type { ActivitySummary } from '../../lib/timeline/schemas';
import { createApiToken, inviteMember } from './helpers/auth';
import { BACKENDS, type Backend, createBackend } from './helpers/backends';
import {
  connectClient,
  createTimeline,
  type TestClient,
  waitFor,
  waitForSync,
} from './helpers/clients';
import { call } from './helpers/http';
import { type ServerProcess, startServerProcess } from './helpers/serverProcess';

interface Visit {
  previousVisitAt: string | null;
  visitedAt: string;
}

for (const backendName of BACKENDS) {
  describe(`dashboard API on ${backendName}`, () => {
    let backend: Backend;
    let server: ServerProcess;
    const clients: TestClient[] = [];
    const people: Record<'vera' | 'walt', { cookie: string; token: string }> = {
      vera: { cookie: '', token: '' },
      walt: { cookie: '', token: '' },
    };

    before(async () => {
      backend = await createBackend(backendName);
      server = await startServerProcess({
        ...backend.storage,
        env: { ROOM_IDLE_MS: '200', AUTO_SNAPSHOT_MS: '600000', SEED_DEMO: 'false' },
      });
      for (const name of ['vera', 'walt'] as const) {
        const cookie = await inviteMember(server.url, server.admin!.token, {
          email: `${name}@dashboard.test`,
          name: name === 'vera' ? 'Vera Viewer' : 'Walt Viewer',
          role: 'viewer',
        });
        people[name] = { cookie, token: await createApiToken(server.url, cookie) };
      }
    });

    after(async () => {
      for (const client of clients) client.destroy();
      await server?.stop();
      await backend?.cleanup();
    });

    it('keeps the last visit per account on the server, and answers the previous one', async () => {
      const { id } = await createTimeline(server.url, 'Visited');
      const path = `/api/timelines/${id}/visit`;

      const first = await call<{ lastVisitAt: string | null }>(server, 'GET', path, {
        cookie: people.vera.cookie,
      });
      assert.deepEqual([first.status, first.body], [200, { lastVisitAt: null }]);

      const opened = await call<Visit>(server, 'POST', path, { cookie: people.vera.cookie });
      assert.equal(opened.status, 200, JSON.stringify(opened.body));
      assert.equal(opened.body.previousVisitAt, null);
      assert.ok(Math.abs(Date.parse(opened.body.visitedAt) - Date.now()) < 60_000);

      // The same account through another credential (its API token) sees the same visit.
      const seen = await call<{ lastVisitAt: string }>(server, 'GET', path, {
        bearer: people.vera.token,
      });
      assert.equal(seen.body.lastVisitAt, opened.body.visitedAt);
      const again = await call<Visit>(server, 'POST', path, { bearer: people.vera.token });
      assert.equal(again.body.previousVisitAt, opened.body.visitedAt);
      assert.ok(Date.parse(again.body.visitedAt) >= Date.parse(opened.body.visitedAt));

      // Another account has its own.
      const walt = await call<Visit>(server, 'POST', path, { cookie: people.walt.cookie });
      assert.equal(walt.body.previousVisitAt, null);
      const vera = await call<{ lastVisitAt: string }>(server, 'GET', path, {
        cookie: people.vera.cookie,
      });
      assert.equal(vera.body.lastVisitAt, again.body.visitedAt);
    });

    it('refuses share links and strangers, and knows no visits of unknown or deleted timelines', async () => {
      const { id } = await createTimeline(server.url, 'Shared');
      const link = await call<{ token: string }>(server, 'POST', `/api/timelines/${id}/links`, {
        bearer: server.admin!.token,
        body: { role: 'view' },
      });
      assert.equal(link.status, 201);
      for (const method of ['GET', 'POST']) {
        const byLink = await call<{ error: string }>(server, method, `/api/timelines/${id}/visit`, {
          bearer: link.body.token,
        });
        assert.equal(byLink.status, 403, method);
        assert.match(byLink.body.error, /browser/);
        const anonymous = await call(server, method, `/api/timelines/${id}/visit`);
        assert.equal(anonymous.status, 401, method);
        const unknown = await call<{ error: string }>(server, method, '/api/timelines/nope/visit', {
          cookie: people.vera.cookie,
        });
        assert.equal(unknown.status, 404, method);
      }

      // A cross-site POST (a form on another site riding the cookie) is refused.
      const forged = await call(server, 'POST', `/api/timelines/${id}/visit`, {
        cookie: people.vera.cookie,
        headers: { origin: 'https://evil.example' },
      });
      assert.equal(forged.status, 403);

      await call(server, 'POST', `/api/timelines/${id}/visit`, { cookie: people.vera.cookie });
      const deleted = await call(server, 'DELETE', `/api/timelines/${id}`, {
        bearer: server.admin!.token,
      });
      assert.equal(deleted.status, 200);
      const after = await call(server, 'GET', `/api/timelines/${id}/visit`, {
        cookie: people.vera.cookie,
      });
      assert.equal(after.status, 404);
    });

    it('lists the activity since a time, and names the field of a bad one', async () => {
      const { id } = await createTimeline(server.url, 'Activity since');
      const client = connectClient(server.wsUrl, id);
      clients.push(client);
      await waitForSync(client);
      const lane = createLane(client.doc, { title: 'Lane', color: '#2563eb' });
      const activity = (query: string) =>
        call<{ entries: ActivitySummary[]; error?: string }>(
          server,
          'GET',
          `/api/timelines/${id}/activity?${query}`,
          { bearer: people.vera.token },
        );
      createEvent(client.doc, {
        title: 'Before',
        kind: 'point',
        start: '2019-02-18T00:00:00.000Z',
        lane,
      });
      await waitFor(async () => (await activity('limit=10')).body.entries.length === 1, 'logged');
      const [first] = (await activity('limit=10')).body.entries;
      const between = new Date(Date.parse(first!.at) + 1).toISOString();
      // Edits to one event within a minute fold into one entry: a second event is a new one.
      createEvent(client.doc, {
        title: 'After',
        kind: 'point',
        start: '2019-02-19T00:00:00.000Z',
        lane,
      });
      await waitFor(async () => (await activity('limit=10')).body.entries.length === 2, 'logged');
      const since = await activity(`limit=10&since=${encodeURIComponent(between)}`);
      assert.equal(since.status, 200);
      assert.deepEqual(
        since.body.entries.map((entry) => entry.eventTitle),
        ['After'],
      );
      const bad = await activity('since=yesterday');
      assert.equal(bad.status, 400);
      assert.match(bad.body.error ?? '', /since/);
    });
  });
}
