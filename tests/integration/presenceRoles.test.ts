/**
 * Presence carries the role the server granted (README "Presence"): whatever a client claims in
 * its awareness state, everyone else sees its connection's mode and role, for accounts of every
 * role and for both kinds of share link. Selection, pointer and range pass through as sent.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as Y from 'yjs';
import { readPresenceActivity, readPresenceUser } from '../../lib/presence';
import { type AccountServer, startAccountServer } from './helpers/accountServer';
import { connectClient, type TestClient, waitFor, waitForSync } from './helpers/clients';

describe('presence roles are stamped by the server (real server)', () => {
  let running: AccountServer;
  let timelineId: string;
  const tokens: Record<string, string> = {};
  const clients: TestClient[] = [];

  before(async () => {
    running = await startAccountServer('presence');
    const { access, timelines } = running.server.services;
    tokens.admin = running.admin.token;
    for (const role of ['editor', 'viewer'] as const) {
      tokens[role] = await running.tokenFor(role, `The ${role}`);
    }
    timelineId = (await timelines.createTimeline({ title: 'Who is here' })).id;
    for (const role of ['view', 'edit'] as const) {
      tokens[`link-${role}`] = (
        await access.createShareLink(timelineId, { role }, running.admin.id)
      ).token;
    }
  });

  after(async () => {
    for (const client of clients) client.destroy();
    await running?.close();
  });

  it('shows every connection with its granted mode and role, not the ones it claims', async () => {
    const { wsUrl } = running;
    const observer = connectClient(wsUrl, timelineId, new Y.Doc(), { token: tokens.admin! });
    clients.push(observer);
    await waitForSync(observer);
    const expected = {
      editor: { mode: 'edit', role: 'editor' },
      viewer: { mode: 'view', role: 'viewer' },
      'link-view': { mode: 'view', role: 'link-view' },
      'link-edit': { mode: 'edit', role: 'link-edit' },
    } as const;
    const ids = new Map<number, keyof typeof expected>();
    for (const grant of Object.keys(expected) as (keyof typeof expected)[]) {
      const client = connectClient(wsUrl, timelineId, new Y.Doc(), { token: tokens[grant]! });
      clients.push(client);
      // Everyone claims to be an admin editing, and announces what they are doing.
      client.provider.awareness.setLocalState({
        user: { name: `Claims ${grant}`, color: '#dc2626', mode: 'edit', role: 'admin' },
        selection: ['evt_a', 'evt_b'],
        pointer: '2021-05-06T07:08:09.000Z',
        editing: 'evt_a',
        range: { start: '2021-01-01T00:00:00.000Z', end: '2022-01-01T00:00:00.000Z' },
      });
      ids.set(client.provider.awareness.clientID, grant);
      await waitForSync(client);
    }
    const states = observer.provider.awareness.getStates();
    await waitFor(() => [...ids.keys()].every((id) => states.has(id)), 'every presence');
    for (const [id, grant] of ids) {
      const user = readPresenceUser(states.get(id));
      assert.deepEqual(
        { mode: user?.mode, role: user?.role },
        { mode: expected[grant].mode, role: expected[grant].role },
        grant,
      );
      assert.deepEqual(readPresenceActivity(states.get(id)), {
        selection: ['evt_a', 'evt_b'],
        pointer: '2021-05-06T07:08:09.000Z',
        editing: 'evt_a',
        range: { start: '2021-01-01T00:00:00.000Z', end: '2022-01-01T00:00:00.000Z' },
      });
    }
    // Signed-in people appear under their account names; link visitors keep theirs.
    assert.equal(readPresenceUser(states.get(firstIdOf(ids, 'viewer')))?.name, 'The viewer');
    assert.equal(
      readPresenceUser(states.get(firstIdOf(ids, 'link-view')))?.name,
      'Claims link-view',
    );
  });

  it('a later update cannot raise the role either', async () => {
    const { wsUrl } = running;
    const observer = connectClient(wsUrl, timelineId, new Y.Doc(), { token: tokens.admin! });
    const guest = connectClient(wsUrl, timelineId, new Y.Doc(), { token: tokens['link-view']! });
    clients.push(observer, guest);
    await Promise.all([waitForSync(observer), waitForSync(guest)]);
    const guestId = guest.provider.awareness.clientID;
    guest.provider.awareness.setLocalStateField('user', {
      name: 'Guest',
      color: '#059669',
      mode: 'view',
    });
    const seen = () => readPresenceUser(observer.provider.awareness.getStates().get(guestId));
    await waitFor(() => seen()?.name === 'Guest', 'the guest');
    guest.provider.awareness.setLocalStateField('user', {
      name: 'Guest now admin',
      color: '#059669',
      mode: 'edit',
      role: 'admin',
    });
    await waitFor(() => seen()?.name === 'Guest now admin', 'the changed name');
    assert.deepEqual(
      { mode: seen()?.mode, role: seen()?.role },
      { mode: 'view', role: 'link-view' },
    );
  });
});

function firstIdOf<T>(ids: Map<number, T>, value: T): number {
  for (const [id, v] of ids) if (v === value) return id;
  throw new Error(`no client for ${String(value)}`);
}
