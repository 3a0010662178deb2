/**
 * Per-user undo (components/timeline/session/undo.ts) on two replicas synced to each other as
 * the websocket provider does: A's session has the undo; B is a colleague whose updates reach A
 * with another origin. Each case where Yjs's undo is known to surprise has its decision here.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import * as Y from 'yjs';
import {
  createEditingCommands,
  type EditingCommands,
  type LocalEditOrigin,
} from '../../components/timeline/session/commands';
import {
  createSessionUndo,
  describeOutcome,
  type SessionUndo,
} from '../../components/timeline/session/undo';
import {
  getDescriptionText,
  initializeTimeline,
  readEvent,
  readTimeline,
} from '../../lib/timeline/model';
import { restoreTimeline } from '../../lib/timeline/restore';

const REMOTE = Symbol('remote');

interface Pair {
  a: Y.Doc;
  b: Y.Doc;
  undo: SessionUndo;
  mine: EditingCommands;
  theirs: EditingCommands;
  origin: LocalEditOrigin;
  lane: string;
  otherLane: string;
}

const open: SessionUndo[] = [];
afterEach(() => {
  for (const undo of open.splice(0)) undo.destroy();
});

/** Two replicas that relay every update at once, like two browsers on one server. */
function setup(): Pair {
  const a = new Y.Doc();
  initializeTimeline(a, { title: 'Shared', lanes: [{ title: 'Politics' }, { title: 'Economy' }] });
  const b = new Y.Doc();
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a), REMOTE);
  a.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== REMOTE) Y.applyUpdate(b, update, REMOTE);
  });
  b.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== REMOTE) Y.applyUpdate(a, update, REMOTE);
  });
  const origin: LocalEditOrigin = { kind: 'local-edit', timelineId: 't' };
  const undo = createSessionUndo(a, origin);
  open.push(undo);
  const mine = createEditingCommands(a, origin, true, undo);
  const theirs = createEditingCommands(b, { kind: 'local-edit', timelineId: 't' }, true);
  const [lane, otherLane] = readTimeline(a).lanes.map((l) => l.id) as [string, string];
  return { a, b, undo, mine, theirs, origin, lane, otherLane };
}

function addEvent(commands: EditingCommands, lane: string, title: string): string {
  return commands.createEvent({ title, kind: 'point', start: '2024-03-01T00:00:00.000Z', lane });
}

describe('per-user undo', () => {
  it("reverts only this person's changes: a colleague's concurrent rename stays", () => {
    const { a, b, undo, mine, theirs, lane } = setup();
    const gone = addEvent(theirs, lane, 'Mine to delete');
    const other = addEvent(theirs, lane, 'Theirs');
    assert.equal(undo.getState().canUndo, false, "a colleague's edits are not on my stack");
    mine.deleteEvent(gone);
    theirs.updateEvent(other, { title: 'Theirs, renamed' });
    assert.deepEqual(undo.undo(), { kind: 'done', skipped: 0 });
    for (const doc of [a, b]) {
      assert.equal(readEvent(doc, gone)?.title, 'Mine to delete');
      assert.equal(readEvent(doc, other)?.title, 'Theirs, renamed');
    }
    assert.deepEqual(undo.redo(), { kind: 'done', skipped: 0 });
    assert.equal(readEvent(b, gone), null);
  });

  it('brings a deleted event back under the same id with everything it held', () => {
    const { a, b, undo, mine, lane } = setup();
    const id = addEvent(mine, lane, 'Summit');
    mine.updateEvent(id, { kind: 'range', end: '2024-03-03T00:00:00.000Z' });
    mine.replaceDescription(id, 'Leaders met.');
    mine.addSource(id, { title: 'Communiqué', url: 'https://example.org/c' });
    mine.addSource(id, { title: 'Report' });
    const before = readEvent(a, id);
    mine.deleteEvent(id);
    assert.equal(readEvent(b, id), null);
    undo.undo();
    // Read on both replicas by id: the restored Y.Map is a new object under the same key.
    assert.deepEqual(readEvent(a, id), before);
    assert.deepEqual(readEvent(b, id), before);
    assert.equal(getDescriptionText(b, id)?.toString(), 'Leaders met.');
  });

  it("keeps a colleague's later value of the same field (the step is used up)", () => {
    const { a, b, undo, mine, theirs, lane } = setup();
    const id = addEvent(theirs, lane, 'Original');
    mine.updateEvent(id, { title: 'Mine' });
    theirs.updateEvent(id, { title: 'Theirs' });
    assert.deepEqual(undo.undo(), { kind: 'nothing', skipped: 1 });
    assert.equal(readEvent(a, id)?.title, 'Theirs');
    assert.equal(readEvent(b, id)?.title, 'Theirs');
    assert.equal(undo.getState().canUndo, false);
  });

  it('undoes the rest of a drag when a colleague changed only the lane after it', () => {
    const { a, undo, mine, theirs, lane, otherLane } = setup();
    const id = addEvent(theirs, lane, 'Dragged');
    mine.moveEvent(id, { start: '2024-05-01T00:00:00.000Z', lane: otherLane });
    theirs.updateEvent(id, { lane });
    assert.equal(undo.undo().kind, 'done');
    assert.equal(readEvent(a, id)?.start, '2024-03-01T00:00:00.000Z', 'my date change undone');
    assert.equal(readEvent(a, id)?.lane, lane, "the colleague's lane stays");
  });

  it('does nothing to an event a colleague deleted, and says so or skips to the step before', () => {
    const { a, undo, mine, theirs, lane } = setup();
    const id = addEvent(theirs, lane, 'Soon gone');
    mine.updateEvent(id, { title: 'Edited by me' });
    theirs.deleteEvent(id);
    assert.deepEqual(undo.undo(), { kind: 'nothing', skipped: 1 });
    assert.equal(readEvent(a, id), null, 'undo does not resurrect what a colleague deleted');

    const laneId = mine.createLane({ title: 'Mine' });
    const second = addEvent(theirs, lane, 'Also gone');
    mine.updateEvent(second, { title: 'Edited again' });
    theirs.deleteEvent(second);
    assert.deepEqual(undo.undo(), { kind: 'done', skipped: 1 });
    assert.equal(
      readTimeline(a).lanes.some((l) => l.id === laneId),
      false,
      'step before undone',
    );
    assert.equal(readEvent(a, second), null);
  });

  it('never reverts a version restored by someone else', () => {
    const { a, b, undo, mine, theirs, lane } = setup();
    const id = addEvent(theirs, lane, 'Before');
    const version = readTimeline(b);
    mine.updateEvent(id, { title: 'After' });
    const created = addEvent(mine, lane, 'Created after the version');
    // The server applies a restore through its own connection: it reaches A like any remote edit.
    b.transact(() => restoreTimeline(b, version), { restore: true });
    assert.equal(readEvent(a, created), null);
    assert.deepEqual(undo.undo(), { kind: 'nothing', skipped: 2 });
    assert.deepEqual(readTimeline(a), version);
  });

  it('makes each discrete action one step and merges typing in one field', () => {
    const { a, undo, mine, lane, otherLane } = setup();
    const first = addEvent(mine, lane, 'First');
    const second = addEvent(mine, lane, 'Second');
    // Typing a title: one write per keystroke, one step.
    for (const title of ['S', 'Su', 'Sum', 'Summ', 'Summit']) mine.updateEvent(second, { title });
    // Two commits of different fields, then two deletes, in quick succession: four steps.
    mine.updateEvent(second, { lane: otherLane });
    mine.updateEvent(second, { kind: 'range', end: '2024-03-05T00:00:00.000Z' });
    mine.deleteEvent(first);
    mine.deleteEvent(second);
    undo.undo();
    assert.equal(readEvent(a, second)?.title, 'Summit');
    assert.equal(readEvent(a, first), null, 'only the last delete is undone');
    undo.undo();
    assert.equal(readEvent(a, first)?.title, 'First');
    undo.undo();
    assert.equal(readEvent(a, second)?.kind, 'point');
    assert.equal(readEvent(a, second)?.lane, otherLane);
    undo.undo();
    assert.equal(readEvent(a, second)?.lane, lane);
    undo.undo();
    assert.equal(readEvent(a, second)?.title, 'Second', 'the typing is one step');
  });

  it('undoes a lane deletion with its events in one step', () => {
    const { a, undo, mine, lane, otherLane } = setup();
    const ids = [addEvent(mine, lane, 'One'), addEvent(mine, lane, 'Two')];
    mine.deleteLane(lane, { deleteEvents: true });
    assert.deepEqual(
      readTimeline(a).lanes.map((l) => l.id),
      [otherLane],
    );
    undo.undo();
    assert.equal(readTimeline(a).lanes.length, 2);
    for (const id of ids) assert.equal(readEvent(a, id)?.lane, lane);
  });

  it('undoes a batch (an import) in one step', () => {
    const { a, undo, mine, lane } = setup();
    const ids = mine.batch((commands) => [
      addEvent(commands, lane, 'Imported 1'),
      addEvent(commands, lane, 'Imported 2'),
      addEvent(commands, lane, 'Imported 3'),
    ]);
    assert.equal(readTimeline(a).events.length, 3);
    undo.undo();
    assert.equal(readTimeline(a).events.length, 0);
    undo.redo();
    assert.deepEqual(
      readTimeline(a)
        .events.map((e) => e.id)
        .sort(),
      [...ids].sort(),
    );
  });

  it("puts description typing on the same stack, undoing only this person's words", () => {
    const { a, b, undo, mine, theirs, lane } = setup();
    const id = addEvent(theirs, lane, 'Described');
    theirs.replaceDescription(id, 'Base.');
    // The description editor's origin, added by its binding (y-codemirror's undo plugin).
    const typing = { kind: 'local-edit', timelineId: 't', editor: 'description' };
    undo.manager.addTrackedOrigin(typing);
    mine.updateEvent(id, { title: 'Retitled' });
    const textA = getDescriptionText(a, id)!;
    a.transact(() => textA.insert(textA.length, ' Mine.'), typing);
    const textB = getDescriptionText(b, id)!;
    b.transact(() => textB.insert(0, 'Theirs. '));
    assert.equal(textA.toString(), 'Theirs. Base. Mine.');
    undo.undo();
    assert.equal(textB.toString(), 'Theirs. Base.', "only my words go; the colleague's stay");
    assert.equal(readEvent(a, id)?.title, 'Retitled', 'the title edit is a separate step');
    undo.undo();
    assert.equal(readEvent(b, id)?.title, 'Described');
  });

  it("reports this person's own deletions (to offer Undo), not a colleague's nor an undo's", () => {
    const { undo, mine, theirs, lane } = setup();
    const seen: string[][] = [];
    undo.onLocalDeletion((deletion) => seen.push([...deletion.eventIds, ...deletion.laneIds]));
    const id = addEvent(mine, lane, 'Mine');
    const other = addEvent(theirs, lane, 'Theirs');
    theirs.deleteEvent(other);
    mine.deleteEvent(id);
    undo.undo();
    undo.undo();
    assert.deepEqual(seen, [[id]]);
  });

  it('tells listeners when undo and redo become possible, and forgets everything on clear', () => {
    const { undo, mine, lane } = setup();
    const states: string[] = [];
    undo.subscribe(() => {
      const { canUndo, canRedo } = undo.getState();
      states.push(`${canUndo ? 'U' : '-'}${canRedo ? 'R' : '-'}`);
    });
    addEvent(mine, lane, 'One');
    undo.undo();
    undo.redo();
    undo.undo();
    undo.clear();
    assert.deepEqual(states, ['U-', '-R', 'U-', '-R', '--']);
    assert.deepEqual(undo.undo(), { kind: 'empty' });
  });

  it('tell the person what an undo could not do, and stay quiet when it simply worked', () => {
    assert.equal(describeOutcome({ kind: 'done', skipped: 0 }, 'undo'), null);
    assert.match(
      describeOutcome({ kind: 'nothing', skipped: 1 }, 'undo') ?? '',
      /^Nothing was undone/,
    );
    assert.match(
      describeOutcome({ kind: 'done', skipped: 2 }, 'undo') ?? '',
      /last 2 changes could not be undone/,
    );
    assert.equal(describeOutcome({ kind: 'empty' }, 'redo'), 'Nothing to redo.');
  });
});
