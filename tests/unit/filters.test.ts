/**
 * Event filters: matching each filter, the URL form (round trip; junk dropped with a message,
 * never thrown), the chips, and saved views in the Y.Doc (shared between replicas).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import { describeFilters } from '../../lib/filters/chips';
import {
  changedSinceIds,
  EMPTY_FILTERS,
  type EventFilters,
  encodeFilters,
  filterEvents,
  hasActiveFilters,
  type MatchContext,
  parseFilters,
  urlWithFilters,
} from '../../lib/filters/filters';
import {
  createSavedView,
  deleteSavedView,
  getViewsMap,
  readSavedViews,
} from '../../lib/filters/savedViews';
import type { TimelineEvent } from '../../lib/timeline/model';

function event(id: string, fields: Partial<TimelineEvent> = {}): TimelineEvent {
  return {
    id,
    title: id,
    start: '2024-03-10T00:00:00.000Z',
    kind: 'point',
    lane: 'lane-a',
    description: '',
    sources: [],
    ...fields,
  } as TimelineEvent;
}

const source = (publisher?: string, url?: string) => ({
  id: `s-${publisher ?? url ?? 'x'}`,
  title: 'A source',
  ...(publisher ? { publisher } : {}),
  ...(url ? { url } : {}),
});

const EVENTS: TimelineEvent[] = [
  event('unsourced', { confidence: 'high', tags: ['Border'] }),
  event('single', { sources: [source('Reuters'), source('reuters ')], lane: 'lane-b' }),
  event('single-by-host', { sources: [source(undefined, 'https://www.bbc.co.uk/x')] }),
  event('two', {
    sources: [source('Reuters'), source('AP')],
    confidence: 'low',
    kind: 'range',
    start: '2024-03-01T00:00:00.000Z',
    end: '2024-03-05T00:00:00.000Z',
  }),
  event('late', { start: '2024-04-01T12:00:00.000Z', tags: ['border', 'Navy'] }),
];

const NO_CONTEXT: MatchContext = { searchHits: null, changedIds: null };

function match(filters: Partial<EventFilters>, context = NO_CONTEXT): string[] {
  return filterEvents(EVENTS, { ...EMPTY_FILTERS, ...filters }, context).matching.map((e) => e.id);
}

describe('filter matching', () => {
  it('keeps everything without filters', () => {
    assert.equal(match({}).length, EVENTS.length);
  });

  it('single-source only keeps exactly the events with one independent publisher', () => {
    assert.deepEqual(match({ singleSource: true }), ['single', 'single-by-host']);
  });

  it('minimum independent sources', () => {
    assert.deepEqual(match({ minSources: 2 }), ['two']);
    assert.deepEqual(match({ minSources: 1 }), ['single', 'single-by-host', 'two']);
  });

  it('lane, tag (case-insensitive, any of), confidence incl. not assessed, kind', () => {
    assert.deepEqual(match({ lanes: ['lane-b'] }), ['single']);
    assert.deepEqual(match({ tags: ['BORDER'] }), ['unsourced', 'late']);
    assert.deepEqual(match({ tags: ['navy', 'nothing'] }), ['late']);
    assert.deepEqual(match({ confidence: ['high', 'low'] }), ['unsourced', 'two']);
    assert.deepEqual(match({ confidence: ['none'] }), ['single', 'single-by-host', 'late']);
    assert.deepEqual(match({ kinds: ['range'] }), ['two']);
    assert.deepEqual(match({ kinds: ['range'], confidence: ['high'] }), [], 'filters combine');
  });

  it('time range keeps events overlapping whole UTC days', () => {
    assert.deepEqual(match({ from: '2024-03-05', to: '2024-03-10' }), [
      'unsourced',
      'single',
      'single-by-host',
      'two',
    ]);
    assert.deepEqual(match({ from: '2024-03-06', to: '2024-03-09' }), []);
    assert.deepEqual(match({ from: '2024-04-01' }), ['late']);
    assert.deepEqual(match({ to: '2024-03-04' }), ['two'], 'a range starting before is in');
  });

  it('search hits and changed ids narrow when known, and wait while unknown', () => {
    const context = { searchHits: new Set(['two', 'late']), changedIds: new Set(['late']) };
    assert.deepEqual(match({ q: 'x' }, context), ['two', 'late']);
    assert.deepEqual(match({ q: 'x', changedSince: '2024-01-01' }, context), ['late']);
    assert.equal(match({ changedSince: '2024-01-01' }).length, EVENTS.length);
  });
});

describe('changed since', () => {
  const entry = (at: string, eventId: string, action = 'updated') => ({ at, eventId, action });
  it('takes the events changed on or after the day, not deleted ones, and knows when it is cut', () => {
    const entries = [
      entry('2024-06-02T10:00:00.000Z', 'a'),
      entry('2024-06-01T00:00:00.000Z', 'b', 'created'),
      entry('2024-06-01T00:00:00.000Z', 'c', 'deleted'),
      entry('2024-05-31T23:59:59.999Z', 'd'),
    ];
    assert.deepEqual(changedSinceIds(entries, '2024-06-01', 1000), {
      ids: new Set(['a', 'b']),
      complete: true,
    });
    // Cut at the limit with every entry after the day: older changes may be missing.
    assert.equal(changedSinceIds(entries.slice(0, 2), '2024-06-01', 2).complete, false);
    assert.equal(changedSinceIds(entries, '2024-06-01', 4).complete, true);
  });
});

describe('filters in the URL', () => {
  it('round-trips every filter', () => {
    const filters: EventFilters = {
      q: 'border clash & "more"',
      lanes: ['lane-a', 'lane-b'],
      tags: ['Border, north', 'navy'],
      confidence: ['high', 'none'],
      kinds: ['point', 'background'],
      minSources: 2,
      singleSource: true,
      from: '2024-01-01',
      to: '2024-12-31',
      changedSince: '2024-06-01',
      dim: true,
    };
    const query = encodeFilters(filters);
    assert.deepEqual(parseFilters(query), { filters, ignored: [] });
    assert.deepEqual(parseFilters(`?${query}`).filters.q, filters.q);
    assert.equal(encodeFilters(EMPTY_FILTERS), '');
    assert.equal(hasActiveFilters({ ...EMPTY_FILTERS, dim: true }), false);
    assert.equal(hasActiveFilters({ ...EMPTY_FILTERS, tags: ['x'] }), true);
  });

  it('replaces only the filter parameters of a URL (a share link keeps its token)', () => {
    assert.equal(
      urlWithFilters('http://h/t/x?token=cbl_1&q=old&tag=a#top', 'q=new&single=1'),
      '/t/x?token=cbl_1&q=new&single=1#top',
    );
    assert.equal(urlWithFilters('http://h/t/x?q=old&dim=1', ''), '/t/x');
  });

  it('drops junk with a message naming it, and keeps the rest', () => {
    const { filters, ignored } = parseFilters(
      'q=ok&lane=has%20space&lane=good&confidence=certain&confidence=low&kind=blob&minSources=0' +
        '&single=yes&from=2024-02-30&to=tomorrow&changed=2024-13-01&dim=2&tag=&unknown=1',
    );
    assert.deepEqual(filters, {
      ...EMPTY_FILTERS,
      q: 'ok',
      lanes: ['good'],
      confidence: ['low'],
    });
    for (const name of [
      'lane=has space',
      'confidence=certain',
      'kind=blob',
      'minSources=0',
      'single=yes',
      'from=2024-02-30',
      'to=tomorrow',
      'changed=2024-13-01',
      'dim=2',
      'tag=',
    ]) {
      assert.ok(
        ignored.some((message) => message.startsWith(name)),
        `${name} in ${ignored.join(' | ')}`,
      );
    }
    // Odd encodings and huge values never throw.
    for (const junk of ['%', 'q=%E0%A4%A', `q=${'x'.repeat(10_000)}`, 'minSources=1e3', '&&==&']) {
      assert.doesNotThrow(() => parseFilters(junk));
    }
    assert.equal(parseFilters(`q=${'x'.repeat(10_000)}`).filters.q, '');
    assert.deepEqual(parseFilters('from=2024-05-01&to=2024-04-01').filters.to, null);
    assert.deepEqual(parseFilters('tag=a&tag=a').filters.tags, ['a'], 'duplicates once');
  });
});

describe('filter chips', () => {
  it('one chip per value, each removing only itself', () => {
    const filters = parseFilters(
      'q=clash&lane=l1&tag=navy&confidence=none&single=1&from=2024-01-01',
    ).filters;
    const chips = describeFilters(filters, new Map([['l1', 'Military']]));
    assert.deepEqual(
      chips.map((chip) => chip.label),
      [
        '“clash”',
        'Lane: Military',
        'Tag: navy',
        'Confidence: Not assessed',
        'Single-source only',
        'From 2024-01-01',
      ],
    );
    const tagChip = chips.find((chip) => chip.key === 'tag:navy')!;
    assert.deepEqual(tagChip.without, { ...filters, tags: [] });
  });
});

describe('saved views', () => {
  it('are shared between replicas, normalized, validated and deletable', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    a.on('update', (update: Uint8Array) => Y.applyUpdate(b, update));
    b.on('update', (update: Uint8Array) => Y.applyUpdate(a, update));
    const id = createSavedView(
      a,
      { name: '  Single-source border ', query: 'single=1&tag=border&kind=nope', createdBy: 'Ana' },
      new Date('2024-05-01T00:00:00Z'),
    );
    createSavedView(b, { name: 'all high', query: 'confidence=high', createdBy: 'Ben' });
    const views = readSavedViews(b);
    assert.deepEqual(
      views.map((view) => view.name),
      ['all high', 'Single-source border'],
    );
    assert.deepEqual(views[1], {
      id,
      name: 'Single-source border',
      query: 'tag=border&single=1',
      createdBy: 'Ana',
      createdAt: '2024-05-01T00:00:00.000Z',
    });
    assert.throws(
      () => createSavedView(a, { name: ' ', query: 'single=1', createdBy: 'A' }),
      /name/,
    );
    assert.throws(
      () => createSavedView(a, { name: 'Nothing', query: 'dim=1&junk=2', createdBy: 'A' }),
      /choose a search or a filter/,
    );
    // Damaged entries (written by some other client) are skipped.
    getViewsMap(a).set('broken', { name: 42 });
    assert.equal(readSavedViews(b).length, 2);
    deleteSavedView(b, id);
    assert.deepEqual(
      readSavedViews(a).map((view) => view.name),
      ['all high'],
    );
  });
});
