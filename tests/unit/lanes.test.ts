import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  countEventsByLane,
  createEvent,
  createLane,
  deleteLane,
  initializeTimeline,
  ModelError,
  moveLane,
  readEvents,
  readLanes,
  updateLane,
} from '../../lib/timeline/model';
import { newDoc } from './helpers/replicas';

const DAY = '2019-02-18T00:00:00.000Z';

function setup() {
  const doc = newDoc();
  const [a, b, c] = initializeTimeline(doc, {
    title: 'Lanes',
    lanes: [{ title: 'Alpha' }, { title: 'Beta' }, { title: 'Gamma' }],
  });
  return { doc, a: a!, b: b!, c: c! };
}

const titles = (doc: ReturnType<typeof newDoc>) => readLanes(doc).map((lane) => lane.title);

describe('lane operations', () => {
  it('renames and recolours a lane', () => {
    const { doc, a } = setup();
    updateLane(doc, a, { title: '  Renamed ', color: '#dc2626' });
    const lane = readLanes(doc).find((l) => l.id === a)!;
    assert.equal(lane.title, 'Renamed');
    assert.equal(lane.color, '#dc2626');
    // Changing one field leaves the other alone.
    updateLane(doc, a, { color: '#059669' });
    updateLane(doc, a, { title: 'Again' });
    const again = readLanes(doc).find((l) => l.id === a)!;
    assert.deepEqual([again.title, again.color], ['Again', '#059669']);
  });

  it('keeps lane names unique, ignoring case and surrounding spaces', () => {
    const { doc, a, b } = setup();
    assert.throws(() => updateLane(doc, b, { title: ' alpha ' }), ModelError);
    assert.throws(() => createLane(doc, { title: 'GAMMA' }), /already exists/);
    // Renaming a lane to its own name in another case is fine.
    updateLane(doc, a, { title: 'ALPHA' });
    assert.deepEqual(titles(doc), ['ALPHA', 'Beta', 'Gamma']);
  });

  it('refuses bad colours and unknown lanes', () => {
    const { doc, a } = setup();
    assert.throws(() => updateLane(doc, a, { color: 'red' }), /colour/);
    assert.throws(() => updateLane(doc, 'nope', { title: 'x' }), /does not exist/);
    assert.throws(() => moveLane(doc, 'nope', 0), /does not exist/);
  });

  it('moves a lane to a position and renumbers the order', () => {
    const { doc, c } = setup();
    moveLane(doc, c, 0);
    assert.deepEqual(titles(doc), ['Gamma', 'Alpha', 'Beta']);
    assert.deepEqual(
      readLanes(doc).map((lane) => lane.order),
      [0, 1, 2],
    );
    moveLane(doc, c, 99);
    assert.deepEqual(titles(doc), ['Alpha', 'Beta', 'Gamma']);
  });

  it('deletes a lane and moves its events to another lane', () => {
    const { doc, a, b } = setup();
    const e1 = createEvent(doc, { title: 'one', kind: 'point', start: DAY, lane: a });
    createEvent(doc, { title: 'two', kind: 'point', start: DAY, lane: b });
    deleteLane(doc, a, { moveTo: b });
    assert.deepEqual(titles(doc), ['Beta', 'Gamma']);
    assert.equal(readEvents(doc).find((event) => event.id === e1)?.lane, b);
    assert.equal(countEventsByLane(doc).get(b), 2);
  });

  it('deletes a lane together with its events', () => {
    const { doc, a, b } = setup();
    createEvent(doc, { title: 'one', kind: 'point', start: DAY, lane: a });
    createEvent(doc, { title: 'two', kind: 'point', start: DAY, lane: b });
    deleteLane(doc, a, { deleteEvents: true });
    assert.deepEqual(
      readEvents(doc).map((event) => event.title),
      ['two'],
    );
    assert.throws(() => deleteLane(doc, b, { moveTo: b }), /another lane/);
    assert.throws(() => deleteLane(doc, b, { moveTo: a }), /does not exist/);
    // Already gone: nothing to do.
    deleteLane(doc, a, { deleteEvents: true });
  });
});
