/**
 * The server's event bus, and the collaboration side of access events: a published withdrawal
 * closes exactly the live connections it describes, with the documented close code.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CloseCode } from '../../lib/limits';
import {
  createCredentialCache,
  subscribeCacheToAccessEvents,
} from '../../server/access/credentialCache';
import { matchesGrant, subscribeCollabToAccessEvents } from '../../server/collab/accessEvents';
import type { CollabServer, ConnectionGrant } from '../../server/collab/server';
import { createLocalEventBus, ServerEvent } from '../../server/events/bus';
import type { Logger } from '../../server/log';

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** A stand-in for the collab server's connections: a list of grants and how each was closed. */
function createFakeCollab(grants: Record<string, ConnectionGrant>) {
  const open = new Map(Object.entries(grants));
  const closed: { name: string; code: number; reason: string }[] = [];
  const collab: Pick<CollabServer, 'closeConnections'> = {
    closeConnections(match, code, reason) {
      let count = 0;
      for (const [name, grant] of open) {
        if (!match(grant)) continue;
        open.delete(name);
        closed.push({ name, code, reason });
        count++;
      }
      return count;
    },
  };
  return { collab, closed };
}

describe('event bus', () => {
  it('delivers an event to the subscribers of its type only, and sums their counts', async () => {
    const bus = createLocalEventBus(quiet);
    const seen: string[] = [];
    bus.subscribe('link.revoked', (event) => {
      seen.push(`a:${event.linkId}`);
      return 2;
    });
    bus.subscribe('link.revoked', async (event) => {
      seen.push(`b:${event.timelineId}`);
      return 1;
    });
    bus.subscribe('account.removed', () => {
      seen.push('wrong type');
      return 5;
    });
    const count = await bus.publish({ type: 'link.revoked', linkId: 'L1', timelineId: 'T1' });
    assert.equal(count, 3);
    assert.deepEqual(seen, ['a:L1', 'b:T1']);
  });

  it('stops delivering after unsubscribe', async () => {
    const bus = createLocalEventBus(quiet);
    let calls = 0;
    const unsubscribe = bus.subscribe('account.removed', () => {
      calls++;
      return undefined;
    });
    await bus.publish({ type: 'account.removed', userId: 'u1' });
    unsubscribe();
    await bus.publish({ type: 'account.removed', userId: 'u1' });
    assert.equal(calls, 1);
  });

  it('runs the other handlers when one fails, and logs the failure', async () => {
    const errors: string[] = [];
    const bus = createLocalEventBus({ ...quiet, error: (message) => errors.push(message) });
    bus.subscribe('account.removed', () => {
      throw new Error('boom');
    });
    bus.subscribe('account.removed', () => 1);
    assert.equal(await bus.publish({ type: 'account.removed', userId: 'u1' }), 1);
    assert.deepEqual(errors, ['event handler failed']);
  });

  it('resolves with 0 when nobody listens', async () => {
    const bus = createLocalEventBus();
    assert.equal(await bus.publish({ type: 'account.removed', userId: 'u1' }), 0);
  });

  it('has events that survive JSON (so a Redis bus can carry them) and refuses empty matches', () => {
    const event: ServerEvent = {
      type: 'credential.withdrawn',
      match: { userId: 'u1', exceptSessionId: 's1' },
      reason: 'password changed; sign in again',
    };
    assert.deepEqual(ServerEvent.parse(JSON.parse(JSON.stringify(event))), event);
    assert.equal(
      ServerEvent.safeParse({ type: 'credential.withdrawn', match: {}, reason: 'x' }).success,
      false,
    );
  });
  it('refuses to publish an event that is not one (an empty match would close everything)', async () => {
    const bus = createLocalEventBus(quiet);
    let calls = 0;
    bus.subscribe('credential.withdrawn', () => {
      calls++;
      return 0;
    });
    await assert.rejects(
      bus.publish({ type: 'credential.withdrawn', match: {}, reason: 'oops' }),
      /empty match/,
    );
    assert.equal(calls, 0);
  });
});

describe('collaboration subscribed to access events', () => {
  const grants = {
    aliceSession1: { userId: 'alice', sessionId: 's1' },
    aliceSession2: { userId: 'alice', sessionId: 's2' },
    aliceToken: { userId: 'alice', tokenId: 't1' },
    bobSession: { userId: 'bob', sessionId: 's3' },
    link: { linkId: 'L1' },
  } satisfies Record<string, ConnectionGrant>;

  it('closes the connection a published credential.withdrawn event matches, with 4401', async () => {
    const bus = createLocalEventBus(quiet);
    const { collab, closed } = createFakeCollab(grants);
    subscribeCollabToAccessEvents(bus, collab);
    const count = await bus.publish({
      type: 'credential.withdrawn',
      match: { sessionId: 's2' },
      reason: 'signed out',
    });
    assert.equal(count, 1);
    assert.deepEqual(closed, [
      { name: 'aliceSession2', code: CloseCode.unauthorized, reason: 'signed out' },
    ]);
  });

  it('closes a password changer’s other sessions, not this one nor their API tokens', async () => {
    const bus = createLocalEventBus(quiet);
    const { collab, closed } = createFakeCollab(grants);
    subscribeCollabToAccessEvents(bus, collab);
    await bus.publish({
      type: 'credential.withdrawn',
      match: { userId: 'alice', exceptSessionId: 's1' },
      reason: 'password changed; sign in again',
    });
    assert.deepEqual(
      closed.map((entry) => entry.name),
      ['aliceSession2'],
    );
  });

  it('maps role changes, removals and revoked links to their close codes', async () => {
    const bus = createLocalEventBus(quiet);
    const { collab, closed } = createFakeCollab(grants);
    subscribeCollabToAccessEvents(bus, collab);
    await bus.publish({ type: 'link.revoked', linkId: 'L1', timelineId: 'T1' });
    await bus.publish({ type: 'role.changed', userId: 'bob', from: 'editor', to: 'viewer' });
    assert.equal(await bus.publish({ type: 'account.removed', userId: 'alice' }), 3);
    assert.deepEqual(closed, [
      { name: 'link', code: CloseCode.unauthorized, reason: 'share link revoked' },
      { name: 'bobSession', code: CloseCode.accessChanged, reason: 'your role changed' },
      { name: 'aliceSession1', code: CloseCode.unauthorized, reason: 'account removed' },
      { name: 'aliceSession2', code: CloseCode.unauthorized, reason: 'account removed' },
      { name: 'aliceToken', code: CloseCode.unauthorized, reason: 'account removed' },
    ]);
  });

  it('unsubscribes', async () => {
    const bus = createLocalEventBus(quiet);
    const { collab, closed } = createFakeCollab(grants);
    subscribeCollabToAccessEvents(bus, collab)();
    assert.equal(await bus.publish({ type: 'account.removed', userId: 'alice' }), 0);
    assert.deepEqual(closed, []);
  });

  it('matches every given field of a grant', () => {
    assert.ok(matchesGrant({ tokenId: 't1' }, grants.aliceToken));
    assert.ok(!matchesGrant({ tokenId: 't1' }, grants.aliceSession1));
    assert.ok(!matchesGrant({ userId: 'alice', exceptSessionId: 's1' }, grants.aliceToken));
    assert.ok(matchesGrant({ userId: 'alice', sessionId: 's2' }, grants.aliceSession2));
    assert.ok(!matchesGrant({ userId: 'bob', sessionId: 's2' }, grants.aliceSession2));
  });
});

describe('credential cache subscribed to access events', () => {
  it('forgets every verified credential when access is withdrawn anywhere', async () => {
    const bus = createLocalEventBus(quiet);
    const cache = createCredentialCache();
    subscribeCacheToAccessEvents(bus, cache);
    const principal = {
      kind: 'link' as const,
      link: { id: 'L1', timelineId: 'T1', role: 'view' as const, expiresAt: null },
    };
    cache.set('hash', { principal, at: Date.now(), expiresAt: null });
    await bus.publish({ type: 'role.changed', userId: 'someone', from: 'viewer', to: 'editor' });
    assert.equal(cache.get('hash'), undefined);
  });
});
