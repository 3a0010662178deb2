/**
 * "Changed since your last visit" and the live feed as pure functions: the classification from
 * the activity log and the live events, the summary line, and live document changes merged with
 * the log.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as Y from 'yjs';
import { touchedEventIds } from '../../lib/dashboard/liveAuthors';
import { LiveEventBaseline, liveChanges, mergeFeed } from '../../lib/dashboard/liveFeed';
import {
  classifySinceVisit,
  describeVisitTime,
  summarizeSinceVisit,
} from '../../lib/dashboard/sinceVisit';
import {
  addSource,
  createEvent,
  deleteEvent,
  type EventInput,
  getDescriptionText,
  getEventsMap,
  initializeTimeline,
  readTimeline,
  updateEvent,
} from '../../lib/timeline/model';
import { newDoc } from './helpers/replicas';

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

describe('changed since the last visit', () => {
  const at = (minute: number) => new Date(Date.UTC(2026, 10, 24, 14, minute)).toISOString();
  const entry = (eventId: string, action: string, minute: number, fields: string[] = []) => ({
    at: at(minute),
    actor: 'Ana Lim',
    action,
    eventId,
    eventTitle: `Title of ${eventId}`,
    fields,
  });

  it('classifies added, changed and removed from the log and the live events', () => {
    const visit = Date.parse(at(5));
    const log = [
      entry('old-changed', 'updated', 2, ['title']), // before the visit: ignored
      entry('changed', 'updated', 10, ['title']),
      entry('new', 'created', 11),
      entry('new', 'updated', 12, ['start']),
      entry('gone', 'deleted', 13),
      entry('fleeting', 'created', 14),
      entry('fleeting', 'deleted', 15),
      entry('back', 'restored', 16),
    ];
    const live = new Set(['old-changed', 'changed', 'new', 'back', 'untouched']);
    const result = classifySinceVisit(log, visit, live);
    assert.deepEqual(Object.fromEntries(result.marks), {
      changed: 'changed',
      new: 'added',
      gone: 'removed',
      back: 'added',
    });
    assert.deepEqual(result.counts, { added: 2, changed: 1, removed: 1 });
    assert.equal(result.removedTitles.get('gone'), 'Title of gone');
  });

  it('writes the summary line the way people say it', () => {
    const visit = Date.parse('2026-11-24T14:05:00Z'); // a Tuesday
    const now = Date.parse('2026-11-27T09:00:00Z');
    assert.equal(
      summarizeSinceVisit({ added: 3, changed: 2, removed: 1 }, visit, now),
      '3 new, 2 changed, 1 removed since Tuesday 14:05 UTC',
    );
    assert.equal(
      summarizeSinceVisit({ added: 0, changed: 0, removed: 0 }, visit, now),
      'No changes since Tuesday 14:05 UTC',
    );
    assert.equal(describeVisitTime(visit, Date.parse('2026-11-24T18:00:00Z')), 'today 14:05');
    assert.equal(describeVisitTime(visit, Date.parse('2026-11-25T08:00:00Z')), 'yesterday 14:05');
    assert.equal(describeVisitTime(visit, Date.parse('2026-12-09T08:00:00Z')), '24 Nov 2026 14:05');
  });
});

describe('live feed', () => {
  it('turns document changes into entries and drops them once the log has them', () => {
    const { doc, laneA } = setup();
    const kept = add(doc, { lane: laneA, title: 'Kept' });
    const doomed = add(doc, { lane: laneA, title: 'Doomed' });
    const before = readTimeline(doc);
    const added = add(doc, { lane: laneA, title: 'Added' });
    updateEvent(doc, kept, { title: 'Kept, renamed' });
    deleteEvent(doc, doomed);
    const at = new Date('2026-11-30T12:00:00.000Z');
    const changes = liveChanges(before, readTimeline(doc), at);
    assert.deepEqual(
      changes.map((c) => [c.action, c.eventId, c.eventTitle, c.fields]),
      [
        ['created', added, 'Added', []],
        ['updated', kept, 'Kept, renamed', ['title']],
        ['deleted', doomed, 'Doomed', []],
      ],
    );
    const logged = [
      {
        id: '7',
        at: '2026-11-30T12:00:01.000Z',
        actor: 'Ana Lim',
        action: 'updated',
        eventId: kept,
        eventTitle: 'Kept, renamed',
        fields: ['title'],
      },
    ];
    const feed = mergeFeed(logged, changes);
    assert.equal(feed.length, 3);
    assert.deepEqual(
      feed
        .filter((e) => e.live)
        .map((e) => e.eventId)
        .sort(),
      [added, doomed].sort(),
    );
    assert.equal(feed.find((e) => !e.live)!.actor, 'Ana Lim');
  });

  it('keeps a live edit that follows a logged one until a later fetch of the log covers it', () => {
    const seen = Date.parse('2026-11-30T12:00:10.000Z');
    const live = [
      {
        key: 'live:1',
        at: new Date(seen).toISOString(),
        actor: 'Ana Lim',
        action: 'updated' as const,
        eventId: 'e1',
        eventTitle: 'Renamed',
        fields: ['title'],
        live: true,
      },
    ];
    const created = {
      id: '1',
      at: '2026-11-30T12:00:07.000Z',
      actor: 'Ana Lim',
      action: 'created',
      eventId: 'e1',
      eventTitle: 'New event',
      fields: [],
    };
    // The log as fetched just after the rename still has only the creation, 3 s earlier.
    const early = mergeFeed([created], live, { fetchedAt: seen + 200 });
    assert.deepEqual(
      early.map((e) => [e.live, e.action, e.actor]),
      [
        [true, 'updated', 'Ana Lim'],
        [false, 'created', 'Ana Lim'],
      ],
    );
    // Fetched after the server's write: the folded entry (moved to the rename's time) covers it.
    const folded = { ...created, at: '2026-11-30T12:00:11.000Z', eventTitle: 'Renamed' };
    const later = mergeFeed([folded], live, { fetchedAt: seen + 1_600 });
    assert.deepEqual(
      later.map((e) => [e.live, e.eventTitle]),
      [[false, 'Renamed']],
    );
    // A log entry for another event covers nothing.
    const other = mergeFeed([{ ...folded, eventId: 'e2' }], live, { fetchedAt: seen + 1_600 });
    assert.equal(other.filter((e) => e.live).length, 1);
  });
});

describe('live feed baseline', () => {
  it('reads only the touched events and reports what a full comparison reports', () => {
    const { doc, laneA, laneB } = setup();
    const ids = Array.from({ length: 300 }, (_, i) =>
      add(doc, {
        lane: i % 2 ? laneA : laneB,
        title: `Event ${i}`,
        start: `2019-02-${String((i % 28) + 1).padStart(2, '0')}`,
      }),
    );
    const baseline = new LiveEventBaseline(doc);
    const touched = new Set<string>();
    const events = getEventsMap(doc);
    doc.on('afterTransaction', (transaction: Y.Transaction) => {
      for (const id of touchedEventIds(transaction, events)) touched.add(id);
    });
    const key = (
      entries: { action: string; eventId: string; eventTitle: string; fields: string[] }[],
    ) =>
      entries
        .map((e) => `${e.action} ${e.eventId} ${e.eventTitle} ${[...e.fields].sort().join(',')}`)
        .sort();
    const at = new Date('2026-11-30T12:00:00.000Z');
    let random = 7;
    const next = (n: number) => {
      random = (random * 1_103_515_245 + 12_345) % 2 ** 31;
      return random % n;
    };
    const live = new Set(ids);
    for (let step = 0; step < 60; step++) {
      const before = readTimeline(doc);
      const some = () => [...live][next(live.size)]!;
      // One to three changes between comparisons, of every kind the feed reports.
      for (let change = 0; change <= next(3); change++) {
        const kind = next(6);
        if (kind === 0) live.add(add(doc, { lane: laneA, title: `New ${step}.${change}` }));
        else if (kind === 1) {
          const id = some();
          deleteEvent(doc, id);
          live.delete(id);
        } else if (kind === 2) updateEvent(doc, some(), { title: `Renamed ${step}.${change}` });
        else if (kind === 3) updateEvent(doc, some(), { start: '2019-03-01', lane: laneB });
        else if (kind === 4) getDescriptionText(doc, some())!.insert(0, `Note ${step}. `);
        else addSource(doc, some(), { title: `Source ${step}`, url: 'https://example.org/r' });
      }
      const expected = liveChanges(before, readTimeline(doc), at);
      assert.ok(expected.length > 0);
      assert.deepEqual(key(baseline.changes(touched, at)), key(expected), `step ${step}`);
      touched.clear();
    }
    // Nothing touched: nothing to report, nothing read.
    assert.deepEqual(baseline.changes([], at), []);
  });
});
