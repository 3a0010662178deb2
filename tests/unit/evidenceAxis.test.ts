/**
 * What the axis draws of the evidence: item classes from confidence and corroboration, the faded
 * extensions of uncertain dates, the arrows of the selected event's links, precise date text.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  describeEventDates,
  eventIdOfItem,
  eventItemClass,
  formatPreciseDate,
  linkArrows,
  uncertainSpans,
} from '../../components/timeline/evidenceAxis';
import {
  describeCorroboration,
  describeOrigin,
  summarizeSource,
} from '../../components/timeline/panel/evidenceText';
import type { TimelineEvent } from '../../lib/timeline/model';

describe('eventItemClass', () => {
  it('names the confidence, "unset" when not assessed', () => {
    const high = eventItemClass({ kind: 'point', confidence: 'high', sources: [] });
    assert.match(high, /\bcb-confidence-high\b/);
    assert.match(high, /\bcb-kind-point\b/);
    const unset = eventItemClass({ kind: 'range', sources: [] });
    assert.match(unset, /\bcb-confidence-unset\b/);
  });

  it('flags single-source and unsourced events from their publishers', () => {
    assert.match(eventItemClass({ kind: 'point', sources: [] }), /\bcb-unsourced\b/);
    const one = [
      { id: 's1', title: 'a', publisher: 'Reuters' },
      { id: 's2', title: 'b', publisher: ' reuters ' },
    ];
    const single = eventItemClass({ kind: 'point', sources: one });
    assert.match(single, /\bcb-single-source\b/);
    assert.doesNotMatch(single, /cb-unsourced/);
    const two = [...one, { id: 's3', title: 'c', url: 'https://www.bbc.co.uk/x' }];
    const corroborated = eventItemClass({ kind: 'point', sources: two });
    assert.doesNotMatch(corroborated, /cb-single-source|cb-unsourced/);
  });
});

describe('uncertainSpans', () => {
  const base = { id: 'e1', start: '2019-02-18T00:00:00.000Z' };

  it('is empty without bounds', () => {
    assert.deepEqual(uncertainSpans(base), []);
  });

  it('runs from earliest to latest, a missing bound being the date itself', () => {
    assert.deepEqual(
      uncertainSpans({
        ...base,
        end: '2019-03-01T00:00:00.000Z',
        startEarliest: '2019-02-01T00:00:00.000Z',
        endLatest: '2019-03-10T00:00:00.000Z',
      }),
      [
        {
          id: 'e1~start',
          eventId: 'e1',
          part: 'start',
          start: '2019-02-01T00:00:00.000Z',
          end: '2019-02-18T00:00:00.000Z',
        },
        {
          id: 'e1~end',
          eventId: 'e1',
          part: 'end',
          start: '2019-03-01T00:00:00.000Z',
          end: '2019-03-10T00:00:00.000Z',
        },
      ],
    );
  });

  it('ignores bounds equal to the date and end bounds without an end', () => {
    assert.deepEqual(uncertainSpans({ ...base, startEarliest: base.start }), []);
    assert.deepEqual(uncertainSpans({ ...base, endLatest: '2020-01-01T00:00:00.000Z' }), []);
  });

  it('maps an extension item back to its event', () => {
    assert.equal(eventIdOfItem('e1~start'), 'e1');
    assert.equal(eventIdOfItem('e1'), 'e1');
  });
});

describe('linkArrows', () => {
  const events: Pick<TimelineEvent, 'id' | 'links'>[] = [
    {
      id: 'a',
      links: [
        { eventId: 'b', relation: 'causes' },
        { eventId: 'c', relation: 'caused-by' },
        { eventId: 'gone', relation: 'related' },
      ],
    },
    { id: 'b', links: [{ eventId: 'a', relation: 'caused-by' }] },
    { id: 'c' },
    { id: 'd', links: [{ eventId: 'a', relation: 'related' }] },
    { id: 'e', links: [{ eventId: 'b', relation: 'causes' }] },
  ];

  it('draws nothing without a selection', () => {
    assert.deepEqual(linkArrows(events, null), []);
    assert.deepEqual(linkArrows(events, 'missing'), []);
  });

  it("draws the selected event's links and those pointing at it, once per pair", () => {
    const arrows = linkArrows(events, 'a');
    assert.deepEqual(
      arrows.map((arrow) => [arrow.id_item_1, arrow.id_item_2, arrow.direction, arrow.line]),
      [
        ['a', 'b', 1, 0], // a causes b (b's "caused by a" is the same pair)
        ['c', 'a', 1, 0], // a caused by c: the arrow runs from the cause
        ['d', 'a', 0, 1], // related: a dashed line without a head
      ],
    );
  });

  it('only the selected event: links between others are not drawn', () => {
    const arrows = linkArrows(events, 'c');
    assert.deepEqual(
      arrows.map((arrow) => arrow.id),
      ['c>a'],
    );
  });
});

describe('precise dates', () => {
  it('hides the digits that are not known', () => {
    const iso = '2019-02-18T09:30:00.000Z';
    assert.equal(formatPreciseDate(iso, 'year'), '2019');
    assert.equal(formatPreciseDate(iso, 'month'), '2019-02');
    assert.equal(formatPreciseDate(iso, 'day'), '2019-02-18');
    assert.equal(formatPreciseDate(iso, 'time'), '2019-02-18 09:30 UTC');
    assert.equal(formatPreciseDate('-000500-01-01T00:00:00.000Z', 'year'), '-000500');
  });

  it('says the precision in words, reading an unset precision from the dates', () => {
    assert.equal(
      describeEventDates({ start: '2019-02-01T00:00:00.000Z', precision: 'month' }),
      '2019-02 (known to the month)',
    );
    assert.equal(
      describeEventDates({ start: '2019-02-18T00:00:00.000Z' }),
      '2019-02-18 (known to the day)',
    );
    assert.equal(describeEventDates({ start: '2019-02-18T09:30:00.000Z' }), '2019-02-18 09:30 UTC');
  });
});

describe('evidence text shared by the panel, tooltip and list', () => {
  it('names the corroboration', () => {
    assert.equal(describeCorroboration({ sources: [] }), 'Unsourced');
    const reuters = { id: 's1', title: 'a', publisher: 'Reuters' };
    assert.equal(describeCorroboration({ sources: [reuters] }), 'Single source');
    assert.equal(
      describeCorroboration({
        sources: [reuters, { id: 's2', title: 'b', url: 'https://apnews.com/x' }],
      }),
      '2 independent publishers',
    );
  });

  it('cites a source in one line: grade, publisher, date', () => {
    const source = {
      id: 's1',
      title: 'Talks end early',
      publisher: 'Reuters',
      publishedAt: '2019-02-18T00:00:00.000Z',
      reliability: 'B' as const,
      credibility: 2 as const,
    };
    assert.equal(summarizeSource(source), 'B2 · Reuters · 2019-02-18');
    assert.equal(describeOrigin(source), 'Reuters · 2019-02-18');
    assert.equal(summarizeSource({ id: 's2', title: 'x' }), '');
  });
});
