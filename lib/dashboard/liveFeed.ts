/**
 * The feed of recent changes: entries of the activity log (who, what, when) and, ahead of them,
 * the changes this page has just seen arrive on the live document. The server writes the log
 * about a second after an edit; until the entry for a live change is in, the live one shows.
 */
import { diffTimelines } from '../timeline/diff';
import type { TimelineSnapshot } from '../timeline/model';
import type { ActivityLike } from './figures';

export interface FeedEntry {
  key: string;
  at: string;
  /** Null for a live change not yet in the log (the document does not say who made it). */
  actor: string | null;
  action: 'created' | 'updated' | 'deleted' | 'restored';
  eventId: string;
  eventTitle: string;
  fields: string[];
  live: boolean;
}

/** The changes between two versions of the live document, as feed entries at `at`. */
export function liveChanges(
  before: TimelineSnapshot,
  after: TimelineSnapshot,
  at: Date,
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
    actor: null,
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
 * The feed, newest first: live changes whose event has no log entry at or after them (allowing
 * for clocks a few seconds apart), then the log. At most `limit` entries.
 */
export function mergeFeed(
  logged: readonly (ActivityLike & { id: string })[],
  live: readonly FeedEntry[],
  limit = 30,
  skewMs = 5_000,
): FeedEntry[] {
  const loggedAt = new Map<string, number>();
  for (const entry of logged) {
    const at = Date.parse(entry.at);
    if (at > (loggedAt.get(entry.eventId) ?? Number.NEGATIVE_INFINITY)) {
      loggedAt.set(entry.eventId, at);
    }
  }
  const pending = live.filter(
    (entry) =>
      (loggedAt.get(entry.eventId) ?? Number.NEGATIVE_INFINITY) < Date.parse(entry.at) - skewMs,
  );
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
