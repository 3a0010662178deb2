/**
 * "Changed since your last visit": which events were added, changed or removed between the
 * viewer's previous visit and now, worked out from the activity log entries recorded since then
 * and the events the live timeline has now.
 */
import type { ActivityLike } from './figures';

export type VisitMark = 'added' | 'changed' | 'removed';

export interface SinceVisit {
  /** Event id → what happened to it since the visit (events added then removed are left out). */
  marks: Map<string, VisitMark>;
  /** Removed events are gone from the timeline: their titles as the log last recorded them. */
  removedTitles: Map<string, string>;
  counts: Record<VisitMark, number>;
}

/**
 * Classifies each event the log mentions after `since`. Whether an event existed at the visit is
 * found by walking the entries from the newest back (the live timeline tells how the newest
 * left it): a creation means it did not exist before, a deletion that it did, a restore without
 * fields toggled it. Existing before and after = changed, only after = added, only before = removed.
 */
export function classifySinceVisit(
  entries: readonly ActivityLike[],
  since: number,
  liveEventIds: ReadonlySet<string>,
): SinceVisit {
  const newestFirst = entries
    .filter((entry) => Date.parse(entry.at) > since)
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  const existedBefore = new Map<string, boolean>();
  const titles = new Map<string, string>();
  for (const entry of newestFirst) {
    if (!titles.has(entry.eventId)) titles.set(entry.eventId, entry.eventTitle);
    const after = existedBefore.get(entry.eventId) ?? liveEventIds.has(entry.eventId);
    let before: boolean;
    if (entry.action === 'created') before = false;
    else if (entry.action === 'deleted') before = true;
    else if (entry.action === 'restored' && entry.fields.length === 0) before = !after;
    else before = true;
    existedBefore.set(entry.eventId, before);
  }
  const marks = new Map<string, VisitMark>();
  const removedTitles = new Map<string, string>();
  const counts: Record<VisitMark, number> = { added: 0, changed: 0, removed: 0 };
  for (const [eventId, before] of existedBefore) {
    const now = liveEventIds.has(eventId);
    const mark: VisitMark | null = before ? (now ? 'changed' : 'removed') : now ? 'added' : null;
    if (!mark) continue;
    marks.set(eventId, mark);
    counts[mark] += 1;
    if (mark === 'removed') removedTitles.set(eventId, titles.get(eventId) ?? '');
  }
  return { marks, removedTitles, counts };
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * When the visit was, as people say it (UTC, like every time in Chronoboard): "14:05" today,
 * "yesterday 14:05", "Tuesday 14:05" within a week, else "3 Nov 2026 14:05".
 */
export function describeVisitTime(at: number, now: number): string {
  const date = new Date(at);
  const time = `${String(date.getUTCHours()).padStart(2, '0')}:${String(date.getUTCMinutes()).padStart(2, '0')}`;
  const dayOf = (t: number) => Math.floor(t / 86_400_000);
  const daysAgo = dayOf(now) - dayOf(at);
  if (daysAgo <= 0) return `today ${time}`;
  if (daysAgo === 1) return `yesterday ${time}`;
  if (daysAgo < 7) return `${WEEKDAYS[date.getUTCDay()]} ${time}`;
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ${time}`;
}

/** "3 new, 2 changed, 1 removed since Tuesday 14:05 UTC", or "No changes since …". */
export function summarizeSinceVisit(counts: Record<VisitMark, number>, at: number, now: number) {
  const when = `since ${describeVisitTime(at, now)} UTC`;
  const parts = [
    counts.added > 0 ? `${counts.added} new` : null,
    counts.changed > 0 ? `${counts.changed} changed` : null,
    counts.removed > 0 ? `${counts.removed} removed` : null,
  ].filter(Boolean);
  return parts.length > 0 ? `${parts.join(', ')} ${when}` : `No changes ${when}`;
}
