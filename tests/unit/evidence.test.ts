/**
 * The evidence model (spec v1): confidence with its legacy names, graded sources, corroboration,
 * the restore and JSON export of the evidence, and the demo's evidence. (Tags, links, location,
 * bounds and extended years: evidenceFields.test.ts.)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import { writeDemoTimeline } from '../../lib/seed/demoTimeline';
import {
  addSource,
  CONFIDENCE_LEVELS,
  CREDIBILITY_GRADES,
  corroborationOf,
  createEvent,
  deleteEvent,
  describeGrade,
  EVENT_FIELD_NAMES,
  formatGrade,
  getEventsMap,
  initializeTimeline,
  RELIABILITY_GRADES,
  readEvent,
  readEvents,
  readTimeline,
  SOURCE_FIELD_NAMES,
  updateEvent,
  updateSource,
} from '../../lib/timeline/model';
import { restoreTimeline } from '../../lib/timeline/restore';
import { findExportFormat } from '../../server/export';
import { newDoc } from './helpers/replicas';

function setup(clientID?: number): { doc: Y.Doc; lane: string } {
  const doc = newDoc(clientID);
  const [lane] = initializeTimeline(doc, { title: 'Evidence', lanes: [{ title: 'A' }] });
  return { doc, lane: lane! };
}

function withPoint(clientID?: number, extra: Record<string, unknown> = {}) {
  const { doc, lane } = setup(clientID);
  createEvent(doc, { title: 'E', kind: 'point', start: '2019-02-18', lane, ...extra }, 'e');
  return { doc, lane };
}

function eventMap(doc: Y.Doc, id = 'e'): Y.Map<unknown> {
  return getEventsMap(doc).get(id)!;
}

describe('confidence (ICD 203)', () => {
  it('reads the legacy stored values with their new meaning', () => {
    const { doc } = withPoint();
    for (const [legacy, now] of [
      ['confirmed', 'high'],
      ['reported', 'moderate'],
      ['assessment', 'moderate'],
      ['unverified', 'low'],
      ['maybe', undefined],
      [3, undefined],
    ] as const) {
      doc.transact(() => eventMap(doc).set('confidence', legacy));
      assert.equal(readEvent(doc, 'e')!.confidence, now, String(legacy));
    }
  });

  it('accepts the legacy names as input and writes only the new values', () => {
    const { doc } = withPoint(undefined, { confidence: 'confirmed' });
    assert.equal(eventMap(doc).get('confidence'), 'high');
    updateEvent(doc, 'e', { confidence: 'unverified' as 'low' });
    assert.equal(eventMap(doc).get('confidence'), 'low');
    assert.throws(() => updateEvent(doc, 'e', { confidence: 'sure' as 'low' }), /confidence/);
  });

  it('has labels and ICD 203 descriptions', () => {
    assert.deepEqual(
      Object.values(CONFIDENCE_LEVELS).map((level) => level.label),
      ['High', 'Moderate', 'Low'],
    );
    assert.match(CONFIDENCE_LEVELS.high.description, /multiple sources/);
    assert.match(CONFIDENCE_LEVELS.moderate.description, /not .*corroborated enough/);
    assert.match(CONFIDENCE_LEVELS.low.description, /questionable or fragmented/i);
  });
});

describe('grading (Admiralty scale)', () => {
  it('names every reliability and credibility grade', () => {
    assert.deepEqual(Object.keys(RELIABILITY_GRADES), ['A', 'B', 'C', 'D', 'E', 'F']);
    assert.equal(RELIABILITY_GRADES.B.label, 'Usually reliable');
    assert.equal(RELIABILITY_GRADES.F.label, 'Reliability cannot be judged');
    assert.deepEqual(Object.keys(CREDIBILITY_GRADES), ['1', '2', '3', '4', '5', '6']);
    assert.equal(CREDIBILITY_GRADES[1].label, 'Confirmed by other sources');
    assert.equal(CREDIBILITY_GRADES[4].label, 'Doubtful');
  });

  it('formats a grade as analysts write it, never guessing a missing half', () => {
    assert.equal(formatGrade({ reliability: 'B', credibility: 2 }), 'B2');
    assert.equal(formatGrade({ reliability: 'C' }), 'C?');
    assert.equal(formatGrade({ credibility: 6 }), '?6');
    assert.equal(formatGrade({}), '');
    assert.equal(
      describeGrade({ reliability: 'B', credibility: 2 }),
      'B2 — usually reliable, probably true',
    );
  });

  it('stores graded sources and refuses grades off the scale, naming the field', () => {
    const { doc } = withPoint();
    const id = addSource(doc, 'e', {
      title: 'Report',
      publisher: ' Daily NK ',
      publishedAt: '2019-02-22',
      excerpt: 'Phones could not connect.',
      reliability: 'C',
      credibility: 3,
      notes: 'One voice.',
    });
    assert.deepEqual(readEvent(doc, 'e')!.sources[0], {
      id,
      title: 'Report',
      publisher: 'Daily NK',
      publishedAt: '2019-02-22T00:00:00.000Z',
      excerpt: 'Phones could not connect.',
      reliability: 'C',
      credibility: 3,
      notes: 'One voice.',
    });
    assert.throws(() => updateSource(doc, 'e', id, { reliability: 'G' as 'A' }), /reliability/);
    assert.throws(() => updateSource(doc, 'e', id, { credibility: 2.5 }), /credibility/);
    assert.throws(() => updateSource(doc, 'e', id, { credibility: 7 }), /credibility/);
    assert.throws(() => updateSource(doc, 'e', id, { publishedAt: '2019-02-30' }), /publishedAt/);
    assert.throws(() => updateSource(doc, 'e', id, { excerpt: 'x'.repeat(5001) }), /excerpt/);
    updateSource(doc, 'e', id, { credibility: null, notes: null });
    const source = readEvent(doc, 'e')!.sources[0]!;
    assert.equal(source.credibility, undefined);
    assert.equal(source.notes, undefined);
  });

  it('reads damaged source fields as absent and keeps the source', () => {
    const { doc } = withPoint();
    const id = addSource(doc, 'e', { title: 'Report' });
    const array = eventMap(doc).get('sources') as Y.Array<Y.Map<unknown>>;
    doc.transact(() => {
      const map = array.get(0);
      map.set('reliability', 'Z');
      map.set('credibility', 9);
      map.set('publishedAt', 'last week');
      map.set('publisher', 42);
      map.set('excerpt', '');
    });
    assert.deepEqual(readEvent(doc, 'e')!.sources, [{ id, title: 'Report' }]);
  });
});

describe('corroboration', () => {
  it('counts distinct publishers, ignoring case and spacing', () => {
    assert.deepEqual(
      corroborationOf({ sources: [{ publisher: 'Daily NK' }, { publisher: ' daily  nk ' }] }),
      { publishers: 1, singleSource: true, unsourced: false },
    );
    assert.deepEqual(
      corroborationOf({ sources: [{ publisher: 'Reuters' }, { publisher: 'KCNA' }] }),
      {
        publishers: 2,
        singleSource: false,
        unsourced: false,
      },
    );
  });

  it('counts a source without a publisher by its host, without www.', () => {
    const result = corroborationOf({
      sources: [
        { url: 'https://www.dailynk.com/english/a' },
        { url: 'http://dailynk.com/b' },
        { url: 'https://www.reuters.com/x' },
        { publisher: 'reuters.com' },
      ],
    });
    assert.equal(result.publishers, 2);
  });

  it('counts sources with neither publisher nor link as one unattributed publisher', () => {
    assert.deepEqual(corroborationOf({ sources: [{}, {}, {}] }), {
      publishers: 1,
      singleSource: true,
      unsourced: false,
    });
    assert.equal(corroborationOf({ sources: [{}, { publisher: 'AP' }] }).publishers, 2);
  });

  it('flags an event without sources as unsourced, not single-source', () => {
    assert.deepEqual(corroborationOf({ sources: [] }), {
      publishers: 0,
      singleSource: false,
      unsourced: true,
    });
  });
});

describe('restore and export of the evidence', () => {
  it('restoring a deleted event brings back its tags, links and sources', () => {
    const { doc, lane } = setup();
    createEvent(doc, { title: 'Target', kind: 'point', start: '2019-02-19', lane }, 't');
    createEvent(
      doc,
      {
        title: 'Full',
        kind: 'point',
        start: '2019-02-18',
        lane,
        tags: ['border'],
        links: [{ eventId: 't', relation: 'causes' }],
        location: { name: 'Musan' },
        sources: [{ title: 'Report', publisher: 'Daily NK', reliability: 'C', credibility: 3 }],
      },
      'full',
    );
    const before = readTimeline(doc);
    deleteEvent(doc, 'full');
    restoreTimeline(doc, before);
    assert.deepEqual(readTimeline(doc), before);
    // The restored tags are a set map again, so concurrent additions keep merging.
    assert.ok(eventMap(doc, 'full').get('tags') instanceof Y.Map);
    assert.ok(eventMap(doc, 'full').get('links') instanceof Y.Map);
  });

  it('the JSON export of the demo carries every event and source field', async () => {
    const doc = newDoc();
    writeDemoTimeline(doc);
    const snapshot = readTimeline(doc);
    const content = {
      timeline: {
        id: 't',
        title: snapshot.meta.title,
        eventCount: snapshot.events.length,
        createdAt: '2019-02-18T00:00:00.000Z',
        updatedAt: '2019-02-18T00:00:00.000Z',
      },
      lanes: snapshot.lanes,
      events: snapshot.events,
    };
    const bytes = await findExportFormat('json').render(content);
    const parsed = JSON.parse(new TextDecoder().decode(bytes)) as typeof content;
    assert.deepEqual(parsed, content);
    const eventKeys = new Set(parsed.events.flatMap((event) => Object.keys(event)));
    for (const name of EVENT_FIELD_NAMES) assert.ok(eventKeys.has(name), `no event has ${name}`);
    const sourceKeys = new Set(
      parsed.events.flatMap((event) => event.sources.flatMap((source) => Object.keys(source))),
    );
    for (const name of SOURCE_FIELD_NAMES) assert.ok(sourceKeys.has(name), `no source has ${name}`);
  });
});

describe('the demo timeline evidence', () => {
  const doc = newDoc();
  writeDemoTimeline(doc);
  const events = readEvents(doc);
  const byTitle = (part: string) => events.find((event) => event.title.includes(part))!;

  it('grades its sources and states who published them', () => {
    for (const event of events) {
      assert.ok(event.sources.length > 0, event.title);
      for (const source of event.sources) assert.ok(source.publisher, source.title);
    }
    const outage = byTitle('Phones cut off');
    assert.equal(formatGrade(outage.sources[0]!), 'C3');
    assert.equal(formatGrade(byTitle('Postal worker').sources[0]!), 'D4');
    assert.equal(formatGrade(byTitle('Cameras').sources[0]!), 'B2');
  });

  it('flags the Daily NK claims as single-source and the public record as corroborated', () => {
    assert.equal(corroborationOf(byTitle('Phones cut off')).singleSource, true);
    assert.equal(corroborationOf(byTitle('Assessment')).publishers, 1);
    assert.equal(corroborationOf(byTitle('Hanoi')).publishers, 2);
  });

  it('links what the story implies', () => {
    const id = (part: string) => byTitle(part).id;
    assert.deepEqual(
      byTitle('Phones cut off').links,
      [
        { eventId: id('Callers travel inland'), relation: 'causes' },
        { eventId: id('Residents tie'), relation: 'causes' },
      ].sort((a, b) => (a.eventId < b.eventId ? -1 : 1)),
    );
    assert.deepEqual(byTitle('Hanoi').links, [{ eventId: id('Window'), relation: 'related' }]);
    assert.deepEqual(byTitle('Supreme').links, [{ eventId: id('Window'), relation: 'related' }]);
    assert.deepEqual(byTitle('Pattern').links, [
      { eventId: id('Phones cut off'), relation: 'related' },
    ]);
    assert.equal(byTitle('Hanoi').confidence, 'high');
    assert.equal(byTitle('Hanoi').location?.name, 'Hanoi, Vietnam');
    assert.equal(byTitle('Daily NK publishes').confidence, undefined);
  });
});
