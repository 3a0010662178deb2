/**
 * The feed of recent changes: entries of the activity log (who, what, when) and, ahead of them,
 * the changes this page has just seen arrive on the live document. The server writes the log
 * about a second after an edit; until the entry for a live change is in, the live one shows,
 * named from the room's presence (./liveAuthors.ts).
 */
import type * as Y from 'yjs';
import { diffTimelines } from '../timeline/diff';
import type { TimelineEvent } from '../timeline/fields';
import { readEvent, readEvents, readMeta, type TimelineSnapshot } from '../timeline/model';
import type { ActivityLike } from './figures';

export interface FeedEntry {
  key: string;
  at: string;
  /**
   * Null for a live change whose writer the room's presence does not name (a deletion, or a
   * writer who never announced themselves) until its log entry arrives.
   */
  actor: string | null;
  action: 'created' | 'updated' | 'deleted' | 'restored';
  eventId: string;
  eventTitle: string;
  fields: string[];
  live: boolean;
}

/**
 * The changes between two versions of the live document, as feed entries at `at`; `actorOf`
 * names who changed an event, when known.
 */
export function liveChanges(
  before: TimelineSnapshot,
  after: TimelineSnapshot,
  at: Date,
  actorOf: (eventId: string) => string | null = () => null,
): FeedEntry[] {
  const diff = diffTimelines(before, after);
  const iso = at.toISOString();
  const entry = (
    action: FeedEntry['action'],
    eventId: string,
    eventTitle: string,
    fields: string[],
  ): FeedEntry => ({
    key: `live:${iso}:${action}:${eventId}`,
    at: iso,
    actor: actorOf(eventId),
    action,
    eventId,
    eventTitle,
    fields,
    live: true,
  });
  return [
    ...diff.events.added.map((event) => entry('created', event.id, event.title, [])),
    ...diff.events.changed.map((item) =>
      entry(
        'updated',
        item.id,
        item.title,
        item.changes.map((change) => change.field),
      ),
    ),
    ...diff.events.removed.map((event) => entry('deleted', event.id, event.title, [])),
  ];
}

/**
 * The live document's events as the feed last saw them, kept current by reading only the events
 * each change touched: comparing two full reads per update took seconds on a 100,000-event
 * timeline. `changes` gives what `liveChanges` gives for a full read before and after.
 */
export class LiveEventBaseline {
  private readonly events = new Map<string, TimelineEvent>();

  constructor(private readonly doc: Y.Doc) {
    for (const event of readEvents(doc)) this.events.set(event.id, event);
  }

  /** The changes to the `touched` events since the last call, as feed entries at `at`. */
  changes(
    touched: Iterable<string>,
    at: Date,
    actorOf?: (eventId: string) => string | null,
  ): FeedEntry[] {
    const before: TimelineEvent[] = [];
    const after: TimelineEvent[] = [];
    for (const id of new Set(touched)) {
      const old = this.events.get(id);
      const now = readEvent(this.doc, id);
      if (old) before.push(old);
      if (now) {
        after.push(now);
        this.events.set(id, now);
      } else this.events.delete(id);
    }
    if (before.length === 0 && after.length === 0) return [];
    // Only the events are compared; the same lanes and title on both sides add nothing.
    const meta = readMeta(this.doc);
    return liveChanges(
      { meta, lanes: [], events: before },
      { meta, lanes: [], events: after },
      at,
      actorOf,
    );
  }
}

/**
 * The feed, newest first: the log, and ahead of it the live changes it does not cover yet. A live
 * change seen at L (this browser's clock) is covered once the log was fetched at least `settleMs`
 * after L (the server writes its log every second) and has an entry for that event at or after L,
 * allowing for clocks `skewMs` apart. Until then it shows even if the log has an earlier entry for
 * the event: a rename just after a creation is news, not part of the "added" line. Without
 * `fetchedAt` any such log entry covers it. At most `limit` entries.
 */
export function mergeFeed(
  logged: readonly (ActivityLike & { id: string })[],
  live: readonly FeedEntry[],
  options: { fetchedAt?: number; limit?: number; skewMs?: number; settleMs?: number } = {},
): FeedEntry[] {
  const { limit = 30, skewMs = 5_000, settleMs = 1_500 } = options;
  const fetchedAt = options.fetchedAt ?? Number.POSITIVE_INFINITY;
  const loggedAt = new Map<string, number>();
  for (const entry of logged) {
    const at = Date.parse(entry.at);
    if (at > (loggedAt.get(entry.eventId) ?? Number.NEGATIVE_INFINITY)) {
      loggedAt.set(entry.eventId, at);
    }
  }
  const pending = live.filter((entry) => {
    const seen = Date.parse(entry.at);
    const covered =
      fetchedAt >= seen + settleMs &&
      (loggedAt.get(entry.eventId) ?? Number.NEGATIVE_INFINITY) >= seen - skewMs;
    return !covered;
  });
  const fromLog: FeedEntry[] = logged.map((entry) => ({
    key: `log:${entry.id}`,
    at: entry.at,
    actor: entry.actor,
    action: entry.action as FeedEntry['action'],
    eventId: entry.eventId,
    eventTitle: entry.eventTitle,
    fields: entry.fields,
    live: false,
  }));
  return [...pending, ...fromLog]
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at))
    .slice(0, limit);
}
