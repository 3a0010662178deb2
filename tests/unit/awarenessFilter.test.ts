import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { stampPresenceIdentity } from '../../lib/presence';
import {
  type AwarenessEntry,
  type AwarenessOwnership,
  decodeAwarenessEntries,
  encodeAwarenessEntries,
  filterAwarenessEntries,
} from '../../server/collab/awarenessFilter';
import { ProtocolError } from '../../server/collab/protocol';

const SERVER_ID = 999;

function ownership(): AwarenessOwnership<string> {
  return { owners: new Map(), owned: new Map() };
}

function filter(
  entries: AwarenessEntry[],
  connection: string,
  owned: AwarenessOwnership<string>,
  max = 2,
) {
  return filterAwarenessEntries(entries, {
    ownership: owned,
    connection,
    serverClientId: SERVER_ID,
    maxClientsPerConnection: max,
    stampState: (state) => stampPresenceIdentity(state, { mode: 'view' }),
  });
}

const person = (name: string) => ({ user: { name, color: '#2563eb', mode: 'edit' } });

describe('awareness entries', () => {
  it('round-trips what y-protocols encodes, and y-protocols applies what we encode', () => {
    const awareness = new awarenessProtocol.Awareness(new Y.Doc());
    awareness.setLocalState(person('Ana'));
    const update = awarenessProtocol.encodeAwarenessUpdate(awareness, [awareness.clientID]);
    const entries = decodeAwarenessEntries(update);
    assert.deepEqual(entries, [{ clientId: awareness.clientID, clock: 1, state: person('Ana') }]);
    const other = new awarenessProtocol.Awareness(new Y.Doc());
    awarenessProtocol.applyAwarenessUpdate(other, encodeAwarenessEntries(entries), null);
    assert.deepEqual(other.getStates().get(awareness.clientID), person('Ana'));
    awareness.destroy();
    other.destroy();
  });

  it('refuses malformed updates as protocol errors', () => {
    assert.throws(() => decodeAwarenessEntries(new Uint8Array([5, 1])), ProtocolError);
    const valid = encodeAwarenessEntries([{ clientId: 1, clock: 1, state: null }]);
    assert.throws(() => decodeAwarenessEntries(new Uint8Array([...valid, 0])), /trailing bytes/);
    // A state that is not JSON.
    assert.throws(() => decodeAwarenessEntries(new Uint8Array([1, 1, 1, 1, 123])), ProtocolError);
  });
});

describe('filterAwarenessEntries', () => {
  it('gives an id to the first connection that announces it and drops others’ writes to it', () => {
    const owned = ownership();
    assert.equal(filter([{ clientId: 1, clock: 1, state: person('Ana') }], 'a', owned).length, 1);
    assert.equal(owned.owners.get(1), 'a');
    // B tries to rename or remove A's presence: both dropped.
    assert.deepEqual(filter([{ clientId: 1, clock: 2, state: person('Mallory') }], 'b', owned), []);
    assert.deepEqual(filter([{ clientId: 1, clock: 2, state: null }], 'b', owned), []);
    // A itself may update and remove its own.
    assert.equal(filter([{ clientId: 1, clock: 2, state: null }], 'a', owned).length, 1);
  });

  it('lets another connection of the same account take an id over, and nobody else', () => {
    const owned = ownership();
    filter([{ clientId: 1, clock: 1, state: person('Ana') }], 'ana-old', owned);
    const takeOver = (connection: string, allowed: boolean) =>
      filterAwarenessEntries([{ clientId: 1, clock: 5, state: person('Ana') }], {
        ownership: owned,
        connection,
        serverClientId: SERVER_ID,
        maxClientsPerConnection: 2,
        stampState: (state) => state,
        mayTakeOver: () => allowed,
      });
    assert.deepEqual(takeOver('stranger', false), []);
    assert.equal(takeOver('ana-new', true).length, 1);
    assert.equal(owned.owners.get(1), 'ana-new');
    assert.equal(owned.owned.get('ana-old')?.has(1), false);
  });

  it('ignores null states for unowned ids, ids over the quota and the server’s own id', () => {
    const owned = ownership();
    const flood: AwarenessEntry[] = [];
    for (let id = 1; id <= 5_000; id++) flood.push({ clientId: id, clock: 1, state: null });
    assert.deepEqual(filter(flood, 'a', owned), []);
    assert.equal(owned.owners.size, 0);

    const many: AwarenessEntry[] = [];
    for (let id = 1; id <= 50; id++) many.push({ clientId: id, clock: 1, state: person('x') });
    many.push({ clientId: SERVER_ID, clock: 5, state: person('server?') });
    const kept = filter(many, 'a', owned, 2);
    assert.deepEqual(
      kept.map((entry) => entry.clientId),
      [1, 2],
    );
    assert.equal(owned.owned.get('a')?.size, 2);
  });

  it('stamps kept states and leaves null states and stateless users alone', () => {
    const owned = ownership();
    const kept = filter(
      [
        { clientId: 1, clock: 1, state: { ...person('Ana'), cursor: 3 } },
        { clientId: 2, clock: 1, state: { cursor: 4 } },
      ],
      'a',
      owned,
    );
    assert.deepEqual(kept[0]?.state, {
      user: { name: 'Ana', color: '#2563eb', mode: 'view', role: 'viewer' },
      cursor: 3,
    });
    assert.deepEqual(kept[1]?.state, { cursor: 4 });
  });
});

describe('stampPresenceIdentity', () => {
  it('replaces an account’s name and everyone’s mode and role', () => {
    assert.deepEqual(
      stampPresenceIdentity(person('Spoofed'), { name: 'Real Name', mode: 'edit' }),
      {
        user: { name: 'Real Name', color: '#2563eb', mode: 'edit', role: 'editor' },
      },
    );
    assert.deepEqual(stampPresenceIdentity(person('Guest'), { mode: 'view' }), {
      user: { name: 'Guest', color: '#2563eb', mode: 'view', role: 'viewer' },
    });
    assert.equal(stampPresenceIdentity(null, { mode: 'view' }), null);
    assert.deepEqual(stampPresenceIdentity({ user: 'x' }, { mode: 'view' }), { user: 'x' });
  });
});
