/**
 * A timeline's export content with every kind of thing a briefing prints: points and ranges at
 * each precision, a background band, graded sources from several publishers, an unsourced event,
 * text that would be a spreadsheet formula or HTML, and an event outside the test range.
 * Plain data, as `readTimeline` returns it (spec v1 evidence fields included).
 */
import type { BriefingOptions } from '../../../lib/export/options';
import { buildBriefing } from '../../../server/export/briefing';
import type { ExportContent, ExportInput } from '../../../server/export/types';

export const NOW = new Date('2026-11-30T12:00:00.000Z');

export function makeContent(): ExportContent {
  const events = [
    {
      id: 'ev-formula',
      title: '=HYPERLINK("http://evil.example","click")',
      start: '2019-02-18T00:00:00.000Z',
      kind: 'point',
      lane: 'lane-a',
      description: 'First outage reported.\n\nSecond paragraph.',
      confidence: 'high',
      tags: ['Grid', 'power'],
      location: { name: 'Caracas', lat: 10.48, lon: -66.9 },
      sources: [
        {
          id: 'src-1',
          title: 'Grid operator statement',
          url: 'https://www.operator.example/news/1',
          publisher: 'Operator News',
          reliability: 'B',
          credibility: 2,
          excerpt: 'The grid failed at 16:50.',
        },
        { id: 'src-2', title: 'Wire report', url: 'https://wire.example/a', publisher: 'Wire' },
      ],
    },
    {
      id: 'ev-range',
      title: 'Rolling blackouts <script>alert(1)</script>',
      start: '2019-03-07T16:50:00.000Z',
      end: '2019-03-14T08:00:00.000Z',
      kind: 'range',
      lane: 'lane-b',
      description: '<b>not bold</b> & more',
      confidence: 'reported',
      sources: [{ id: 'src-3', title: 'Blog post', url: 'https://www.blog.example/p' }],
    },
    {
      id: 'ev-year',
      title: 'Treaty signed',
      start: '1999-01-01T00:00:00.000Z',
      kind: 'point',
      lane: 'lane-a',
      description: '',
      precision: 'year',
      startEarliest: '1998-06-01T00:00:00.000Z',
      startLatest: '1999-12-31T00:00:00.000Z',
      sources: [],
    },
    {
      id: 'ev-band',
      title: 'Crisis period',
      start: '2019-02-01T00:00:00.000Z',
      end: '2019-04-30T00:00:00.000Z',
      kind: 'background',
      lane: 'lane-b',
      description: '',
      precision: 'month',
      sources: [],
    },
    {
      id: 'ev-late',
      title: 'Restoration announced',
      start: '2019-06-01T09:30:00.000Z',
      kind: 'point',
      lane: 'lane-b',
      description: '',
      confidence: 'low',
      sources: [{ id: 'src-4', title: 'Anonymous tip' }],
    },
  ];
  return {
    timeline: {
      id: 'tl-1',
      title: 'Grid failures 2019',
      eventCount: events.length,
      createdAt: '2026-11-01T00:00:00.000Z',
      updatedAt: '2026-11-02T00:00:00.000Z',
    },
    lanes: [
      { id: 'lane-b', title: 'Response', order: 1, color: '#ef4444' },
      { id: 'lane-a', title: 'Infrastructure', order: 0, color: '#3b82f6' },
    ],
    events: events as unknown as ExportContent['events'],
  };
}

/** The input a format renders, with the briefing built as the export service builds it. */
export function makeInput(options: Partial<BriefingOptions> = {}): ExportInput {
  const content = makeContent();
  const full: BriefingOptions = { comments: false, scale: 1, ...options };
  return {
    content,
    briefing: buildBriefing(content, full, { now: NOW, author: 'Ana Analyst' }),
    options: full,
  };
}

export function decode(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}
