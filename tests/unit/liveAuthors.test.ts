/**
 * Naming live edits before the log does: the writers of a received update (client ids whose
 * clocks advanced) per event it touched, matched to the names announced in awareness.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { AuthorNames, touchedEventIds, writersOf } from '../../lib/dashboard/liveAuthors';
import { liveChanges } from '../../lib/dashboard/liveFeed';
import {
  addSource,
  createEvent,
  deleteEvent,
  getEventsMap,
  initializeTimeline,
  readTimeline,
  updateEvent,
} from '../../lib/timeline/model';
import { newDoc, replicaOf } from './helpers/replicas';

/** Applies `update` to the dashboard's doc and returns, per event it touched, its writers. */
function receive(dashboard: Y.Doc, update: Uint8Array): Map<string, number[]> {
  const touched = new Map<string, number[]>();
  const record = (transaction: Y.Transaction) => {
    const writers = writersOf(transaction);
    for (const id of touchedEventIds(transaction, getEventsMap(dashboard))) {
      touched.set(id, writers);
    }
  };
  dashboard.on('afterTransaction', record);
  Y.applyUpdate(dashboard, update, 'remote');
  dashboard.off('afterTransaction', record);
  return touched;
}

/** Runs `write` on `doc` and returns the update it produced. */
function updateOf(doc: Y.Doc, write: () => void): Uint8Array {
  const before = Y.encodeStateVector(doc);
  write();
  return Y.encodeStateAsUpdate(doc, before);
}

describe('live authors', () => {
  const server = newDoc(1);
  const [lane] = initializeTimeline(server, { title: 'Authors', lanes: [{ title: 'Lane' }] });
  const existing = createEvent(server, {
    kind: 'point',
    title: 'Existing',
    start: '2019-02-18T00:00:00.000Z',
    lane: lane!,
  });
  const ana = replicaOf(server, 101);
  const ben = replicaOf(server, 202);
  const dashboard = replicaOf(server, 303);
  // As the page does (it reads the timeline first): a root map first read after an update
  // arrived is re-created as a Y.Map, and the transaction would name the placeholder.
  getEventsMap(dashboard);

  it('names the writer of a created event, of a changed field and of a nested change', () => {
    let created = '';
    const creation = receive(
      dashboard,
      updateOf(ana, () => {
        created = createEvent(ana, {
          kind: 'point',
          title: 'By Ana',
          start: '2019-03-01T00:00:00.000Z',
          lane: lane!,
        });
      }),
    );
    assert.deepEqual([...creation], [[created, [101]]]);

    const change = receive(
      dashboard,
      updateOf(ben, () => updateEvent(ben, existing, { title: 'Renamed by Ben' })),
    );
    assert.deepEqual([...change], [[existing, [202]]]);

    // A source added inside the event (a nested type) is still that event's change.
    const nested = receive(
      dashboard,
      updateOf(ben, () => addSource(ben, existing, { title: 'Wire', publisher: 'Reuters' })),
    );
    assert.deepEqual([...nested], [[existing, [202]]]);
  });

  it('a pure deletion names nobody (its delete set holds the deleted items’ authors)', () => {
    const deletion = receive(
      dashboard,
      updateOf(ben, () => deleteEvent(ben, existing)),
    );
    assert.deepEqual([...deletion], [[existing, []]]);
  });

  it('matches writers to the names in awareness, remembering people who left', () => {
    const awareness = new Awareness(dashboard);
    const names = new AuthorNames();
    const anaPresence = new Awareness(ana);
    anaPresence.setLocalState({ user: { name: 'Ana Lim', color: '#123456', mode: 'edit' } });
    awareness.getStates().set(101, anaPresence.getLocalState()!);
    // A state that names nobody is not a person.
    awareness.getStates().set(202, { cursor: 1 });
    names.learn(awareness.getStates());
    assert.equal(names.nameOf([101]), 'Ana Lim');
    assert.equal(names.nameOf([202]), null);
    assert.equal(names.nameOf([]), null);
    awareness.getStates().delete(101);
    names.learn(awareness.getStates());
    assert.equal(names.nameOf([101, 999]), 'Ana Lim');
    awareness.destroy();
    anaPresence.destroy();
  });

  it('feeds the name into the live feed entry', () => {
    const before = readTimeline(dashboard);
    let id = '';
    const touched = receive(
      dashboard,
      updateOf(ana, () => {
        id = createEvent(ana, {
          kind: 'point',
          title: 'Named',
          start: '2019-04-01T00:00:00.000Z',
          lane: lane!,
        });
      }),
    );
    const names = new AuthorNames();
    names.learn(new Map([[101, { user: { name: 'Ana Lim', color: '#123456', mode: 'edit' } }]]));
    const [entry] = liveChanges(before, readTimeline(dashboard), new Date(), (eventId) =>
      names.nameOf(touched.get(eventId) ?? []),
    );
    assert.equal(entry!.eventId, id);
    assert.equal(entry!.actor, 'Ana Lim');
  });
});
