/** LiveEventCount (lib/timeline/eventCount.ts) always agrees with a full recount. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import { LiveEventCount } from '../../lib/timeline/eventCount';
import {
  countEvents,
  createEvent,
  deleteEvent,
  getEventsMap,
  initializeTimeline,
  updateEvent,
} from '../../lib/timeline/model';

describe('live event count', () => {
  it('follows creations, deletions, unreadable starts, remote updates and undo', () => {
    const doc = new Y.Doc();
    const [lane] = initializeTimeline(doc, { title: 'Count', lanes: [{ title: 'Lane' }] });
    const before = createEvent(doc, {
      title: 'Before',
      kind: 'point',
      start: '2019-01-01',
      lane: lane!,
    });
    const live = new LiveEventCount(doc);
    const check = () => assert.equal(live.value, countEvents(doc));
    check();
    assert.equal(live.value, 1);

    const ids = Array.from({ length: 20 }, (_, i) =>
      createEvent(doc, {
        title: `E${i}`,
        kind: 'point',
        start: `2019-02-${String(i + 1).padStart(2, '0')}`,
        lane: lane!,
      }),
    );
    check();
    assert.equal(live.value, 21);

    deleteEvent(doc, ids[0]!);
    deleteEvent(doc, before);
    check();

    // A start a modified client made unreadable hides the event, and a readable one shows it again.
    const map = getEventsMap(doc).get(ids[1]!) as Y.Map<unknown>;
    map.set('start', 'not a date');
    check();
    assert.equal(live.value, 18);
    map.set('start', '2019-03-01');
    check();
    assert.equal(live.value, 19);

    // A raw entry that is not a map does not count; editing other fields changes nothing.
    getEventsMap(doc).set('junk', 42 as never);
    updateEvent(doc, ids[2]!, { title: 'Renamed' });
    check();

    // Changes from another replica, many in one update.
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    other.transact(() => {
      for (let i = 0; i < 50; i++) {
        createEvent(other, { title: `R${i}`, kind: 'point', start: '2019-04-01', lane: lane! });
      }
      deleteEvent(other, ids[3]!);
    });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)));
    check();
    assert.equal(live.value, 19 + 50 - 1);

    // Undo of a creation.
    const undo = new Y.UndoManager(getEventsMap(doc), { captureTimeout: 0 });
    createEvent(doc, { title: 'Undone', kind: 'point', start: '2019-05-01', lane: lane! });
    check();
    undo.undo();
    check();

    live.destroy();
    createEvent(doc, { title: 'After', kind: 'point', start: '2019-06-01', lane: lane! });
    assert.equal(live.value, countEvents(doc) - 1, 'no longer follows after destroy');
  });
});
