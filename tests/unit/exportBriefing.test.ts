import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createEvent,
  createLane,
  initializeTimeline,
  readTimeline,
} from '../../lib/timeline/model';
import { buildBriefing, describeThreads } from '../../server/export/briefing';
import { formatAtPrecision, formatYear } from '../../server/export/briefingDates';
import { makeContent, makeInput, NOW } from './helpers/briefingFixture';
import { newDoc } from './helpers/replicas';

describe('briefing content', () => {
  it('orders events in time, keeps lanes in their order and numbers sources once', () => {
    const { briefing } = makeInput();
    assert.deepEqual(
      briefing.events.map((event) => event.id),
      ['ev-year', 'ev-band', 'ev-formula', 'ev-range', 'ev-late'],
    );
    assert.deepEqual(
      briefing.lanes.map((lane) => [lane.title, lane.index]),
      [
        ['Infrastructure', 0],
        ['Response', 1],
      ],
    );
    const numbers = briefing.events.flatMap((event) => event.sources.map((s) => s.number));
    assert.deepEqual(numbers, [1, 2, 3, 4]);
    assert.equal(briefing.sourceCount, 4);
  });

  it('labels dates at their precision, confidence (legacy names mapped) and corroboration', () => {
    const { briefing } = makeInput();
    const byId = new Map(briefing.events.map((event) => [event.id, event]));
    assert.equal(byId.get('ev-year')!.dateLabel, '1999');
    assert.equal(byId.get('ev-year')!.uncertainty, 'start between 1998 and 1999');
    assert.equal(byId.get('ev-band')!.dateLabel, 'Feb 2019 – Apr 2019');
    assert.equal(byId.get('ev-formula')!.dateLabel, '18 Feb 2019');
    assert.equal(byId.get('ev-range')!.dateLabel, '7 Mar 2019 16:50 UTC – 14 Mar 2019 08:00 UTC');
    assert.equal(byId.get('ev-formula')!.confidenceLabel, 'High');
    assert.equal(byId.get('ev-range')!.confidenceLabel, 'Moderate');
    assert.equal(byId.get('ev-year')!.confidenceLabel, 'Not assessed');
    assert.equal(byId.get('ev-formula')!.corroborationLabel, '2 independent publishers');
    assert.equal(byId.get('ev-range')!.corroborationLabel, 'Single source');
    assert.equal(byId.get('ev-year')!.corroborationLabel, 'Unsourced');
    const graded = byId.get('ev-formula')!.sources[0]!;
    assert.equal(graded.grade, 'B2');
    assert.equal(graded.gradeLabel, 'B2 — usually reliable, probably true');
    assert.equal(byId.get('ev-formula')!.sources[1]!.gradeLabel, 'Not graded');
    assert.deepEqual(byId.get('ev-formula')!.tags, ['Grid', 'power']);
    assert.equal(byId.get('ev-formula')!.lane.title, 'Infrastructure');
  });

  it('keeps only events overlapping the range and says what period it covers', () => {
    const { briefing } = makeInput({
      from: '2019-03-01T00:00:00.000Z',
      to: '2019-03-31T00:00:00.000Z',
    });
    // The band (Feb–Apr) overlaps March; the February point and the June point do not.
    assert.deepEqual(
      briefing.events.map((event) => event.id),
      ['ev-band', 'ev-range'],
    );
    assert.equal(briefing.period.label, '1 Mar 2019 – 31 Mar 2019');
    // Sources are numbered within what is exported.
    assert.deepEqual(
      briefing.events[1]!.sources.map((s) => s.number),
      [1],
    );
  });

  it('takes the title, summary, handling line and version from the options and snapshot', () => {
    const content = makeContent();
    content.snapshot = {
      id: 's1',
      kind: 'named',
      label: 'Before review',
      author: 'Ana',
      eventCount: 5,
      createdAt: '2026-11-20T10:15:00.000Z',
    };
    const briefing = buildBriefing(
      content,
      { title: 'Morning brief', summary: 'Key judgments', handling: 'FOR OFFICIAL USE ONLY' },
      { now: NOW, author: 'Ana Analyst' },
    );
    assert.equal(briefing.title, 'Morning brief');
    assert.equal(briefing.timelineTitle, 'Grid failures 2019');
    assert.equal(briefing.handling, 'FOR OFFICIAL USE ONLY');
    assert.equal(briefing.version, 'Saved version “Before review” of 20 Nov 2026 10:15 UTC');
    assert.equal(briefing.period.label, '1 Jan 1999 – 1 Jun 2019');
    assert.deepEqual(
      briefing.legends.confidence.map((entry) => entry.label),
      ['High', 'Moderate', 'Low', 'Not assessed'],
    );
    assert.equal(briefing.legends.reliability.length, 6);
    assert.equal(briefing.legends.credibility.length, 6);
  });

  it('prints extended years', () => {
    assert.equal(formatYear(-500), '501 BC');
    assert.equal(formatAtPrecision('-000500-01-01T00:00:00.000Z', 'year'), '501 BC');
    assert.equal(formatAtPrecision('+012000-03-01T00:00:00.000Z', 'month'), 'Mar 12000');
  });

  it('reads the evidence fields through the real model (createEvent → readTimeline)', () => {
    const doc = newDoc();
    initializeTimeline(doc, { title: 'Model' });
    const lane = createLane(doc, { title: 'Politics', color: '#7c3aed' });
    createEvent(doc, {
      title: 'Summit',
      kind: 'point',
      start: '2019-05-01',
      lane,
      confidence: 'confirmed',
      precision: 'month',
      tags: ['b', 'A'],
      location: { name: 'Hanoi', lat: 21.03, lon: 105.85 },
      sources: [
        { title: 'Report', publisher: 'Daily NK', reliability: 'C', credibility: 3 },
        { title: 'Same paper', publisher: 'daily  nk' },
        { title: 'Wire', url: 'https://www.reuters.com/x' },
      ],
    });
    const { meta: _meta, ...snapshot } = readTimeline(doc);
    const timeline = { id: 't', title: 'Model', eventCount: 1, createdAt: '', updatedAt: '' };
    const [event] = buildBriefing({ timeline, ...snapshot }, {}, { now: NOW }).events;
    assert.equal(event!.confidenceLabel, 'High', 'legacy "confirmed" reads as high');
    assert.equal(event!.dateLabel, 'May 2019');
    assert.deepEqual(event!.tags, ['A', 'b']);
    assert.deepEqual(event!.location, { name: 'Hanoi', lat: 21.03, lon: 105.85 });
    assert.equal(event!.corroborationLabel, '2 independent publishers');
    assert.equal(event!.sources[0]!.gradeLabel, 'C3 — fairly reliable, possibly true');
  });

  it('groups comments into threads under their events, with author, time and state', () => {
    const content = makeContent();
    const comment = (id: string, more: Record<string, unknown>) => ({
      id,
      eventId: 'ev-range',
      parentId: null,
      author: { id: 'u1', name: 'Ann Analyst' },
      body: `text of ${id}`,
      createdAt: '2026-11-02T09:30:00.000Z',
      editedAt: null,
      resolvedAt: null,
      resolvedBy: null,
      ...more,
    });
    content.comments = [
      comment('c1', {
        resolvedAt: '2026-11-03T10:00:00.000Z',
        resolvedBy: { id: 'u2', name: 'Bo' },
      }),
      comment('c2', { parentId: 'c1', author: { id: 'u2', name: null }, editedAt: 'x' }),
      comment('c3', { eventId: 'ev-late', body: '<script>alert(1)</script>' }),
    ];
    const byId = (options: { comments: boolean }) =>
      new Map(buildBriefing(content, options, { now: NOW }).events.map((e) => [e.id, e]));
    const briefing = byId({ comments: true });
    assert.deepEqual(describeThreads(briefing.get('ev-range')!), [
      'Comment by Ann Analyst, 2 Nov 2026 09:30 UTC [Resolved by Bo on 3 Nov 2026 10:00 UTC]: text of c1',
      '    Reply by A removed account, 2 Nov 2026 09:30 UTC (edited): text of c2',
    ]);
    assert.deepEqual(describeThreads(briefing.get('ev-late')!), [
      'Comment by Ann Analyst, 2 Nov 2026 09:30 UTC [Open]: <script>alert(1)</script>',
    ]);
    assert.deepEqual(describeThreads(briefing.get('ev-year')!), []);
    // Not asked for: no threads, even when the content holds comments.
    assert.deepEqual(describeThreads(byId({ comments: false }).get('ev-range')!), []);
  });
});
