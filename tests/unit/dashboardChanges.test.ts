/**
 * "Changed since your last visit" and the live feed as pure functions: the classification from
 * the activity log and the live events, the summary line, and live document changes merged with
 * the log.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as Y from 'yjs';
import { liveChanges, mergeFeed } from '../../lib/dashboard/liveFeed';
import {
  classifySinceVisit,
  describeVisitTime,
  summarizeSinceVisit,
} from '../../lib/dashboard/sinceVisit';
import {
  createEvent,
  deleteEvent,
  type EventInput,
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
