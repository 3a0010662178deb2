import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import {
  createEditingCommands,
  type LocalEditOrigin,
} from '../../components/timeline/session/commands';
import { FALLBACK_PRESENCE_COLOR, PresenceState, readPresenceUser } from '../../lib/presence';
import { initializeTimeline, ModelError, readTimeline } from '../../lib/timeline/model';

function setup(canEdit = true) {
  const doc = new Y.Doc();
  initializeTimeline(doc, { title: 'Test', lanes: [{ title: 'Lane A' }] });
  const origin: LocalEditOrigin = { kind: 'local-edit', timelineId: 't1' };
  const origins: unknown[] = [];
  doc.on('update', (_update: Uint8Array, transactionOrigin: unknown) => {
    origins.push(transactionOrigin);
  });
  const commands = createEditingCommands(doc, origin, canEdit);
  const lane = readTimeline(doc).lanes[0]!.id;
  return { doc, origin, origins, commands, lane };
}

describe('editing commands', () => {
  it('write every change with the session origin', () => {
    const { doc, origin, origins, commands, lane } = setup();
    const id = commands.createEvent({
      title: 'A',
      kind: 'point',
      start: '2020-01-01T00:00:00Z',
      lane,
    });
    commands.updateEvent(id, { title: 'B' });
    commands.moveEvent(id, { start: '2020-02-01T00:00:00Z' });
    commands.replaceDescription(id, 'hello');
    commands.createLane({ title: 'Lane B' });
    commands.setTitle('Renamed');
    commands.deleteEvent(id);
    assert.equal(origins.length, 7);
    assert.ok(origins.every((o) => o === origin));
    const snapshot = readTimeline(doc);
    assert.equal(snapshot.meta.title, 'Renamed');
    assert.equal(snapshot.lanes.length, 2);
    assert.equal(snapshot.events.length, 0);
  });

  it("let an undo manager undo only this person's edits", () => {
    const { doc, origin, commands, lane } = setup();
    const undo = new Y.UndoManager([doc.getMap('events'), doc.getMap('meta')], {
      trackedOrigins: new Set([origin]),
    });
    const mine = commands.createEvent({ title: 'Mine', kind: 'point', start: '2020-01-01', lane });
    undo.stopCapturing();
    // A colleague's edit arrives with another origin.
    const remote = new Y.Doc();
    Y.applyUpdate(remote, Y.encodeStateAsUpdate(doc));
    createEditingCommands(remote, { kind: 'local-edit', timelineId: 't1' }, true).createEvent({
      title: 'Theirs',
      kind: 'point',
      start: '2020-01-02',
      lane,
    });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote), 'provider');
    undo.undo();
    const titles = readTimeline(doc).events.map((event) => event.title);
    assert.deepEqual(titles, ['Theirs']);
    assert.ok(!readTimeline(doc).events.some((event) => event.id === mine));
  });

  it('refuse to write in a read-only session or before the document loads', () => {
    const { commands, lane, origins } = setup(false);
    assert.throws(
      () => commands.createLane({ title: 'No' }),
      (error: unknown) => error instanceof ModelError && /read-only/.test(error.message),
    );
    assert.throws(
      () => commands.createEvent({ title: 'No', kind: 'point', start: '2020-01-01', lane }),
      ModelError,
    );
    assert.equal(origins.length, 0);
    const unloaded = createEditingCommands(null, { kind: 'local-edit', timelineId: 't' }, true);
    assert.throws(() => unloaded.setTitle('x'), /not loaded/);
  });

  it("pass the model's validation errors through", () => {
    const { commands } = setup();
    assert.throws(
      () => commands.createEvent({ title: 'A', kind: 'point', start: '2020-01-01', lane: 'none' }),
      ModelError,
    );
  });
});

describe('presence state', () => {
  it('accepts what this app sends', () => {
    const state = { user: { name: 'Ana Lim', color: '#2563eb', mode: 'view' }, cursor: 1 };
    const parsed = PresenceState.parse(state);
    assert.deepEqual(parsed, state);
    assert.deepEqual(readPresenceUser(state), state.user);
  });

  it('reads remote states leniently', () => {
    assert.deepEqual(readPresenceUser({ user: { name: 'x'.repeat(80), color: 'red' } }), {
      name: 'x'.repeat(60),
      color: FALLBACK_PRESENCE_COLOR,
      mode: 'edit',
    });
    // The integration tests' clients announce a name and colour only.
    assert.equal(readPresenceUser({ user: { name: 'Someone', color: '#2563eb' } })?.mode, 'edit');
  });

  it('finds nobody in a state without a string name', () => {
    for (const state of [null, 3, {}, { user: null }, { user: { name: 5 } }, { user: 'Ana' }]) {
      assert.equal(readPresenceUser(state), null);
    }
  });
});
