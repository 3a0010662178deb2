/**
 * The dashboard's figures as pure functions over a real Y.Doc written through the model:
 * attention, ongoing, breakdowns, histogram bins, the since-last-visit classification and the
 * live feed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as Y from 'yjs';
import { confidenceLevelOf, corroborationOf } from '../../lib/dashboard/evidence';
import {
  attentionReasons,
  breakdownByConfidence,
  breakdownByLane,
  computeFigures,
  eventsAround,
  eventsInRange,
  isOngoing,
  latestDate,
} from '../../lib/dashboard/figures';
import { binRange, histogramBins, labelBin } from '../../lib/dashboard/histogram';
import {
  createEvent,
  type EventInput,
  initializeTimeline,
  readTimeline,
} from '../../lib/timeline/model';
import { newDoc } from './helpers/replicas';

const NOW = Date.parse('2019-03-01T12:00:00.000Z');

function setup(): { doc: Y.Doc; laneA: string; laneB: string } {
  const doc = newDoc(1);
  const [laneA, laneB] = initializeTimeline(doc, {
    title: 'Dashboard test',
    lanes: [{ title: 'Outages' }, { title: 'Diplomacy' }],
  });
  return { doc, laneA: laneA!, laneB: laneB! };
}

function add(doc: Y.Doc, input: Partial<EventInput> & { lane: string; title: string }): string {
  return createEvent(doc, { kind: 'point', start: '2019-02-18T00:00:00.000Z', ...input });
}

const source = (url: string) => ({ title: `Report at ${url}`, url });

describe('evidence readings', () => {
  it('reads confidence through the model: legacy names as spec v1 levels, unset as not assessed', () => {
    const { doc, laneA } = setup();
    const legacy = {
      confirmed: 'high',
      reported: 'moderate',
      assessment: 'moderate',
      unverified: 'low',
    };
    const ids = Object.keys(legacy).map((name) =>
      add(doc, { lane: laneA, title: name, confidence: name as EventInput['confidence'] }),
    );
    const unset = add(doc, { lane: laneA, title: 'unset' });
    const byId = new Map(readTimeline(doc).events.map((event) => [event.id, event]));
    assert.deepEqual(
      ids.map((id) => confidenceLevelOf(byId.get(id)!)),
      Object.values(legacy),
    );
    assert.equal(confidenceLevelOf(byId.get(unset)!), null);
  });

  it('counts publishers by host (minus www.) when sources name none', () => {
    const one = corroborationOf({
      sources: [source('https://www.example.org/a'), source('https://example.org/b')],
    });
    assert.deepEqual(one, { publishers: 1, singleSource: true, unsourced: false });
    const two = corroborationOf({
      sources: [source('https://example.org/a'), source('https://news.test/b')],
    });
    assert.equal(two.publishers, 2);
    assert.deepEqual(corroborationOf({ sources: [] }), {
      publishers: 0,
      singleSource: false,
      unsourced: true,
    });
  });
});

describe('figures over a Y.Doc', () => {
  it('finds the events needing attention and why', () => {
    const { doc, laneA } = setup();
    const solid = add(doc, {
      lane: laneA,
      title: 'Solid',
      confidence: 'confirmed',
      sources: [source('https://a.test/1'), source('https://b.test/2')],
    });
    const unassessed = add(doc, {
      lane: laneA,
      title: 'Unassessed',
      sources: [source('https://a.test/1'), source('https://b.test/2')],
    });
    const low = add(doc, {
      lane: laneA,
      title: 'Low',
      confidence: 'unverified',
      sources: [source('https://a.test/1'), source('https://b.test/2')],
    });
    const single = add(doc, {
      lane: laneA,
      title: 'Single',
      confidence: 'confirmed',
      sources: [source('https://a.test/1'), source('https://www.a.test/2')],
    });
    const bare = add(doc, { lane: laneA, title: 'Bare', confidence: 'reported' });
    const { events } = readTimeline(doc);
    const reasons = new Map(events.map((event) => [event.id, attentionReasons(event)]));
    assert.deepEqual(reasons.get(solid), []);
    assert.deepEqual(reasons.get(unassessed), ['not-assessed']);
    assert.deepEqual(reasons.get(low), ['low-confidence']);
    assert.deepEqual(reasons.get(single), ['single-source']);
    assert.deepEqual(reasons.get(bare), ['unsourced']);

    const figures = new Map(
      computeFigures(events, { now: NOW, activity: [] }).map((figure) => [figure.key, figure]),
    );
    assert.equal(figures.get('events')!.value, 5);
    assert.equal(figures.get('attention')!.value, 4);
    assert.deepEqual(
      new Set(figures.get('attention')!.eventIds),
      new Set([unassessed, low, single, bare]),
    );
    assert.equal(figures.get('sources')!.value, 8);
    assert.equal(figures.get('sources')!.eventIds.length, 4);
  });

  it('counts ranges under way at a moment as ongoing, never points', () => {
    const { doc, laneA } = setup();
    const running = add(doc, {
      lane: laneA,
      title: 'Running',
      kind: 'range',
      start: '2019-02-20T00:00:00.000Z',
      end: '2019-03-05T00:00:00.000Z',
    });
    add(doc, {
      lane: laneA,
      title: 'Over',
      kind: 'range',
      start: '2019-02-01T00:00:00.000Z',
      end: '2019-02-10T00:00:00.000Z',
    });
    add(doc, { lane: laneA, title: 'Point today', start: '2019-03-01T12:00:00.000Z' });
    const band = add(doc, {
      lane: laneA,
      title: 'Band',
      kind: 'background',
      start: '2019-01-01T00:00:00.000Z',
      end: '2019-12-31T00:00:00.000Z',
    });
    const { events } = readTimeline(doc);
    assert.deepEqual(
      events
        .filter((event) => isOngoing(event, NOW))
        .map((event) => event.id)
        .sort(),
      [running, band].sort(),
    );
    const figure = computeFigures(events, { now: NOW, activity: [] }).find(
      (f) => f.key === 'ongoing',
    )!;
    assert.equal(figure.value, 2);
  });

  it('counts contributors of the last seven days from the log', () => {
    const { doc, laneA } = setup();
    const id = add(doc, { lane: laneA, title: 'Edited' });
    const entry = (actor: string, at: string) => ({
      at,
      actor,
      action: 'updated',
      eventId: id,
      eventTitle: 'Edited',
      fields: ['title'],
    });
    const activity = [
      entry('Ana Lim', '2019-02-28T10:00:00.000Z'),
      entry('Ben Ode', '2019-02-25T10:00:00.000Z'),
      entry('Ana Lim', '2019-02-27T10:00:00.000Z'),
      entry('Old Hand', '2019-02-10T10:00:00.000Z'),
    ];
    const figure = computeFigures(readTimeline(doc).events, { now: NOW, activity }).find(
      (f) => f.key === 'contributors',
    )!;
    assert.equal(figure.value, 2);
    assert.equal(figure.detail, 'Ana Lim, Ben Ode');
    assert.deepEqual(figure.eventIds, [id]);
  });

  it('breaks events down by lane (in lane order, orphans last) and by confidence', () => {
    const { doc, laneA, laneB } = setup();
    add(doc, { lane: laneB, title: 'B1', confidence: 'confirmed' });
    add(doc, { lane: laneA, title: 'A1', confidence: 'unverified' });
    add(doc, { lane: laneB, title: 'B2' });
    const { events, lanes } = readTimeline(doc);
    const orphan = { ...events[0]!, id: 'orphan', lane: 'gone' };
    const byLane = breakdownByLane([...events, orphan], lanes);
    assert.deepEqual(
      byLane.map((row) => [row.label, row.count]),
      [
        ['Outages', 1],
        ['Diplomacy', 2],
        ['No lane', 1],
      ],
    );
    assert.deepEqual(
      breakdownByConfidence(events).map((row) => [row.key, row.count]),
      [
        ['high', 1],
        ['moderate', 0],
        ['low', 1],
        ['none', 1],
      ],
    );
  });

  it('narrows to a range: events touching it, points at its start, not at its end', () => {
    const { doc, laneA } = setup();
    const inside = add(doc, { lane: laneA, title: 'In', start: '2019-02-01T00:00:00.000Z' });
    add(doc, { lane: laneA, title: 'At end', start: '2019-03-01T00:00:00.000Z' });
    const across = add(doc, {
      lane: laneA,
      title: 'Across',
      kind: 'range',
      start: '2019-01-20T00:00:00.000Z',
      end: '2019-02-03T00:00:00.000Z',
    });
    const range = {
      start: Date.parse('2019-02-01T00:00:00Z'),
      end: Date.parse('2019-03-01T00:00:00Z'),
    };
    const ids = eventsInRange(readTimeline(doc).events, range).map((event) => event.id);
    assert.deepEqual(ids.sort(), [inside, across].sort());
  });

  it('lists what is under way, upcoming and latest around a date', () => {
    const { doc, laneA } = setup();
    const past = add(doc, { lane: laneA, title: 'Past', start: '2019-02-01T00:00:00.000Z' });
    const next = add(doc, { lane: laneA, title: 'Next', start: '2019-03-02T00:00:00.000Z' });
    const later = add(doc, { lane: laneA, title: 'Later', start: '2019-04-02T00:00:00.000Z' });
    const { events } = readTimeline(doc);
    const around = eventsAround(events, NOW);
    assert.deepEqual(
      around.upcoming.map((e) => e.id),
      [next, later],
    );
    assert.deepEqual(
      around.recent.map((e) => e.id),
      [past],
    );
    assert.equal(latestDate(events), Date.parse('2019-04-02T00:00:00.000Z'));
    assert.equal(latestDate([]), null);
  });
});

describe('histogram bins', () => {
  it('uses days for a few weeks, keeps empty days, and the bars add up to the events', () => {
    const { doc, laneA } = setup();
    add(doc, { lane: laneA, title: 'a', start: '2019-02-18T09:00:00.000Z' });
    add(doc, { lane: laneA, title: 'b', start: '2019-02-18T23:59:00.000Z' });
    add(doc, { lane: laneA, title: 'c', start: '2019-02-21T00:00:00.000Z' });
    const { unit, bins } = histogramBins(readTimeline(doc).events);
    assert.equal(unit, 'day');
    assert.deepEqual(
      bins.map((bin) => [bin.label, bin.count]),
      [
        ['18 Feb 2019', 2],
        ['19 Feb 2019', 0],
        ['20 Feb 2019', 0],
        ['21 Feb 2019', 1],
      ],
    );
    assert.deepEqual(binRange(bins[0]!), {
      start: Date.parse('2019-02-18T00:00:00Z'),
      end: Date.parse('2019-02-19T00:00:00Z'),
    });
  });

  it('moves to coarser calendar units as the span grows, within maxBins', () => {
    const { doc, laneA } = setup();
    add(doc, { lane: laneA, title: 'a', start: '2019-01-15T00:00:00.000Z' });
    add(doc, { lane: laneA, title: 'b', start: '2019-11-03T00:00:00.000Z' });
    const months = histogramBins(readTimeline(doc).events, { maxBins: 12 });
    assert.equal(months.unit, 'month');
    assert.equal(months.bins.length, 11);
    assert.equal(months.bins[0]!.start, '2019-01-01T00:00:00.000Z');
    assert.equal(months.bins.at(-1)!.label, 'Nov 2019');
    const weeks = histogramBins(readTimeline(doc).events, { maxBins: 60 });
    assert.equal(weeks.unit, 'week');
    // Weeks start on Monday: 2019-01-14 was one.
    assert.equal(weeks.bins[0]!.start, '2019-01-14T00:00:00.000Z');
    assert.equal(
      weeks.bins.reduce((sum, bin) => sum + bin.count, 0),
      2,
    );
  });

  it('bins centuries of history, BC included, and is empty with no events', () => {
    const { doc, laneA } = setup();
    add(doc, { lane: laneA, title: 'Old', start: '1066-10-14T00:00:00.000Z' });
    add(doc, { lane: laneA, title: 'New', start: '2019-02-18T00:00:00.000Z' });
    const { unit, bins } = histogramBins(readTimeline(doc).events);
    assert.equal(unit, 'century');
    assert.equal(bins[0]!.label, '1000s');
    assert.equal(
      bins.reduce((sum, bin) => sum + bin.count, 0),
      2,
    );
    assert.equal(labelBin('year', Date.UTC(-499, 0, 1)), '500 BC');
    assert.deepEqual(histogramBins([]).bins, []);
  });
});
