/**
 * The event search index: what it finds (titles, descriptions, tags, source titles, publishers
 * and excerpts, extra text such as comments; prefixes, typos, diacritics, exclusions) and that it
 * follows the Y.Doc incrementally, including changes that arrive from another replica.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import { EventSearchIndex, parseSearchQuery, searchEvents } from '../../lib/search/searchIndex';
import {
  addSource,
  createEvent,
  deleteEvent,
  getDescriptionText,
  initializeTimeline,
  readTimeline,
  updateEvent,
  updateSource,
} from '../../lib/timeline/model';

function setup() {
  const doc = new Y.Doc();
  const [lane] = initializeTimeline(doc, { title: 'Search', lanes: [{ title: 'A' }] });
  const add = (title: string, extra: Record<string, unknown> = {}) =>
    createEvent(doc, { title, kind: 'point', start: '2024-01-01', lane: lane!, ...extra });
  return { doc, add };
}

const ids = (index: EventSearchIndex, text: string) =>
  index
    .query(text)
    .map((hit) => hit.id)
    .sort();

describe('search index', () => {
  it('matches titles, descriptions, tags, source titles, publishers and excerpts', () => {
    const { doc, add } = setup();
    const summit = add('Summit in Hanoi', {
      description: 'Talks collapse over sanctions',
      tags: ['diplomacy'],
    });
    const launch = add('Missile launch');
    addSource(doc, launch, {
      title: 'Satellite imagery review',
      publisher: 'Beyond Parallel',
      excerpt: 'a transporter erector launcher was visible',
    });
    const index = new EventSearchIndex(doc);
    assert.deepEqual(ids(index, 'hanoi'), [summit]);
    assert.deepEqual(ids(index, 'sanctions'), [summit]);
    assert.deepEqual(ids(index, 'diplomacy'), [summit]);
    assert.deepEqual(ids(index, 'imagery'), [launch]);
    assert.deepEqual(ids(index, 'parallel'), [launch]);
    assert.deepEqual(ids(index, 'erector'), [launch]);
    const [hit] = index.query('erector');
    assert.deepEqual(hit?.fields, ['sources']);
    assert.deepEqual(ids(index, 'nothing-like-this'), []);
    index.destroy();
  });

  it('finds prefixes, one typo in longer words, and ignores diacritics and case', () => {
    const { doc, add } = setup();
    const a = add('Pyŏngyang parade');
    const b = add('Café meeting in Zürich');
    const index = new EventSearchIndex(doc);
    assert.deepEqual(ids(index, 'pyong'), [a], 'prefix without the breve');
    assert.deepEqual(ids(index, 'PYONGYANG'), [a]);
    assert.deepEqual(ids(index, 'parsde'), [a], 'one wrong letter in a 6-letter word');
    assert.deepEqual(ids(index, 'cafe zurich'), [b]);
    assert.deepEqual(ids(index, 'café zürich'), [b]);
    // Every word must match.
    assert.deepEqual(ids(index, 'cafe parade'), []);
    index.destroy();
  });

  it('excludes events matching a -word, exactly', () => {
    const { doc, add } = setup();
    const a = add('Border clash at dawn');
    const b = add('Border talks');
    add('Warning shots');
    const index = new EventSearchIndex(doc);
    assert.deepEqual(ids(index, 'border -clash'), [b]);
    assert.deepEqual(ids(index, 'border -talks'), [a]);
    assert.equal(parseSearchQuery('-only'), null, 'nothing to include');
    assert.equal(parseSearchQuery('   '), null);
    index.destroy();
  });

  it('follows additions, edits, source changes and deletions one event at a time', () => {
    const { doc, add } = setup();
    const first = add('Ceasefire announced');
    for (let i = 0; i < 50; i++) add(`Filler ${i}`);
    const index = new EventSearchIndex(doc);
    assert.equal(index.size, 51);
    const built = index.reindexCount;
    let notified = 0;
    index.subscribe(() => notified++);

    const second = add('Ceasefire violated');
    assert.deepEqual(ids(index, 'ceasefire'), [first, second].sort());
    assert.equal(index.reindexCount, built + 1, 'adding one event indexes one event');

    updateEvent(doc, first, { title: 'Truce announced' });
    assert.deepEqual(ids(index, 'ceasefire'), [second]);
    assert.deepEqual(ids(index, 'truce'), [first]);

    // Typing in the description (the Y.Text itself) reaches the index.
    getDescriptionText(doc, second)!.insert(0, 'Shelling near Kaesong. ');
    assert.deepEqual(ids(index, 'kaesong'), [second]);

    const source = addSource(doc, second, { title: 'Wire report', publisher: 'Yonhap' });
    assert.deepEqual(ids(index, 'yonhap'), [second]);
    updateSource(doc, second, source, { publisher: 'KCNA' });
    assert.deepEqual(ids(index, 'yonhap'), []);
    assert.deepEqual(ids(index, 'kcna'), [second]);

    updateEvent(doc, second, { tags: ['artillery'] });
    assert.deepEqual(ids(index, 'artillery'), [second]);

    const before = index.reindexCount;
    updateEvent(doc, second, { start: '2024-06-01' });
    assert.equal(index.reindexCount, before, 'a date change leaves the text and the index alone');

    deleteEvent(doc, second);
    assert.deepEqual(ids(index, 'kcna'), []);
    assert.deepEqual(ids(index, 'ceasefire'), []);
    assert.equal(index.size, 51);
    assert.ok(notified >= 7, `listeners told of each change (${notified})`);
    // 1 add + 7 text changes (title, description, source add/update, tags): no rebuild.
    assert.ok(index.reindexCount - built <= 8, `re-indexed ${index.reindexCount - built} times`);
    index.destroy();
  });

  it('follows changes applied from another replica', () => {
    const { doc, add } = setup();
    const index = new EventSearchIndex(doc);
    const remote = new Y.Doc();
    Y.applyUpdate(remote, Y.encodeStateAsUpdate(doc));
    remote.on('update', (update: Uint8Array) => Y.applyUpdate(doc, update));
    const lane = [...remote.getMap('lanes').keys()][0]!;
    const id = createEvent(remote, {
      title: 'Remote report',
      kind: 'point',
      start: '2024-02-02',
      lane,
    });
    assert.deepEqual(ids(index, 'remote'), [id]);
    deleteEvent(remote, id);
    assert.deepEqual(ids(index, 'remote'), []);
    add('Local');
    index.destroy();
  });

  it('accepts extra text per event (comments) and keeps it across edits', () => {
    const { doc, add } = setup();
    const id = add('Meeting');
    const index = new EventSearchIndex(doc);
    index.setExtraText(id, 'comments', 'Check the translation of the statement');
    assert.deepEqual(ids(index, 'translation'), [id]);
    assert.deepEqual(index.query('translation')[0]?.fields, ['extra']);
    updateEvent(doc, id, { title: 'Meeting moved' });
    assert.deepEqual(ids(index, 'translation'), [id], 'extra text survives an event edit');
    index.setExtraText(id, 'comments', '');
    assert.deepEqual(ids(index, 'translation'), []);
    // Text for an event not yet in the document waits for it.
    index.setExtraText('later-event', 'comments', 'pending remark');
    assert.deepEqual(ids(index, 'pending'), []);
    index.destroy();
  });

  it('answers a one-off search over plain events (exports) as the live index does', () => {
    const { doc, add } = setup();
    const hanoi = add('Summit in Hanoi', { tags: ['diplomacy'] });
    const launch = add('Missile launch', { description: 'Launcher seen near the summit site' });
    add('Café opening');
    const index = new EventSearchIndex(doc);
    index.setExtraText(launch, 'comments', 'convoy spotted');
    const extra = new Map([[launch, 'convoy spotted']]);
    const { events } = readTimeline(doc);
    for (const text of [
      'summit',
      'sumit',
      'cafe',
      'convoy',
      'summit -convoy',
      '-convoy',
      'dipl',
      '',
    ]) {
      assert.deepEqual(
        [...searchEvents(events, text, extra)].sort(),
        ids(index, text),
        `"${text}"`,
      );
    }
    assert.deepEqual([...searchEvents(events, 'summit -convoy', extra)], [hanoi]);
    index.destroy();
  });

  it('lazy: indexes nothing until the first search, then follows changes one at a time', () => {
    const { doc, add } = setup();
    const first = add('Ceasefire announced');
    for (let i = 0; i < 50; i++) add(`Filler ${i}`);
    const index = new EventSearchIndex(doc, { lazy: true });
    updateEvent(doc, first, { title: 'Ceasefire signed' });
    index.setExtraText(first, 'comments', 'see the annex');
    assert.equal(index.reindexCount, 0, 'opening and editing cost no indexing');
    assert.deepEqual(ids(index, 'signed'), [first]);
    assert.deepEqual(ids(index, 'annex'), [first], 'extra text given before the build is kept');
    assert.equal(index.reindexCount, 51);
    const second = add('Ceasefire violated');
    assert.deepEqual(ids(index, 'ceasefire'), [first, second].sort());
    assert.equal(index.reindexCount, 52, 'after the build, one change indexes one event');
    index.destroy();
  });

  it('stops following the document once destroyed', () => {
    const { doc, add } = setup();
    const index = new EventSearchIndex(doc);
    index.destroy();
    add('After destroy');
    assert.deepEqual(ids(index, 'destroy'), []);
  });
});
