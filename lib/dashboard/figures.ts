/**
 * The dashboard's figures as pure functions of the timeline's content (a `readTimeline(doc)`
 * snapshot) and, for who contributed, of the activity log: the same numbers on the server, in
 * the browser and in tests.
 */
import type { Lane, TimelineEvent } from '../timeline/model';
import {
  CONFIDENCE_KEYS,
  CONFIDENCE_LABELS,
  type ConfidenceLevel,
  confidenceLevelOf,
  corroborationOf,
} from './evidence';

const DAY_MS = 24 * 3600 * 1000;

/** A half-open time range [start, end) in milliseconds since the epoch (UTC). */
export interface TimeRange {
  start: number;
  end: number;
}

/** When an event starts and ends, in ms; a point (or an event without an end) ends at its start. */
export function eventSpan(event: Pick<TimelineEvent, 'start' | 'end' | 'kind'>): TimeRange {
  const start = Date.parse(event.start);
  const end = event.kind !== 'point' && event.end ? Date.parse(event.end) : start;
  return { start, end: Math.max(start, end) };
}

/** Whether an event touches a range (a point at its start counts, one at its end does not). */
export function overlaps(event: TimelineEvent, range: TimeRange): boolean {
  const span = eventSpan(event);
  return span.start < range.end && (span.end > range.start || span.start >= range.start);
}

/** The events that touch `range`, or all of them when there is none. */
export function eventsInRange(events: TimelineEvent[], range: TimeRange | null): TimelineEvent[] {
  return range ? events.filter((event) => overlaps(event, range)) : events;
}

/** A range or band that has started and not yet ended at `at` (points are never ongoing). */
export function isOngoing(event: TimelineEvent, at: number): boolean {
  if (event.kind === 'point' || !event.end) return false;
  const span = eventSpan(event);
  return span.start <= at && at < span.end;
}

export type AttentionReason = 'not-assessed' | 'low-confidence' | 'single-source' | 'unsourced';

export const ATTENTION_LABELS: Record<AttentionReason, string> = {
  'not-assessed': 'not assessed',
  'low-confidence': 'low confidence',
  'single-source': 'single source',
  unsourced: 'no source',
};

/** Why an event needs an analyst's attention; empty when it does not. */
export function attentionReasons(event: TimelineEvent): AttentionReason[] {
  const reasons: AttentionReason[] = [];
  const level = confidenceLevelOf(event);
  if (level === null) reasons.push('not-assessed');
  else if (level === 'low') reasons.push('low-confidence');
  const { singleSource, unsourced } = corroborationOf(event);
  if (unsourced) reasons.push('unsourced');
  else if (singleSource) reasons.push('single-source');
  return reasons;
}

/** The headline figures a manager can click through to the events behind them. */
export type FigureKey = 'events' | 'ongoing' | 'attention' | 'sources' | 'contributors';

export interface Figure {
  key: FigureKey;
  label: string;
  value: number;
  /** The events behind the figure, in timeline order. */
  eventIds: string[];
  /** One line under the number. */
  detail: string;
}

/** An entry of the activity log, as far as the figures need it. */
export interface ActivityLike {
  at: string;
  actor: string;
  action: string;
  eventId: string;
  eventTitle: string;
  fields: string[];
}

/** The people who created, changed or deleted events in the seven days up to `now`. */
export function contributorsSince(
  entries: readonly ActivityLike[],
  now: number,
  days = 7,
): { names: string[]; eventIds: Set<string> } {
  const from = now - days * DAY_MS;
  const names = new Set<string>();
  const eventIds = new Set<string>();
  for (const entry of entries) {
    const at = Date.parse(entry.at);
    if (at < from || at > now + DAY_MS) continue;
    names.add(entry.actor);
    eventIds.add(entry.eventId);
  }
  return { names: [...names].sort((a, b) => a.localeCompare(b)), eventIds };
}

/**
 * The five headline figures over `events` (already narrowed to the chosen range): how many events,
 * how many are ongoing at `now`, how many need attention, how many sources they cite and who
 * contributed this week.
 */
export function computeFigures(
  events: TimelineEvent[],
  options: { now: number; activity: readonly ActivityLike[] },
): Figure[] {
  const ids = (list: TimelineEvent[]) => list.map((event) => event.id);
  const ongoing = events.filter((event) => isOngoing(event, options.now));
  const attention = events.filter((event) => attentionReasons(event).length > 0);
  const sourced = events.filter((event) => event.sources.length > 0);
  const sourceCount = sourced.reduce((sum, event) => sum + event.sources.length, 0);
  const contributors = contributorsSince(options.activity, options.now);
  const touched = events.filter((event) => contributors.eventIds.has(event.id));
  return [
    {
      key: 'events',
      label: 'Events',
      value: events.length,
      eventIds: ids(events),
      detail: `${events.filter((e) => e.kind === 'point').length} points, ${events.filter((e) => e.kind !== 'point').length} ranges and bands`,
    },
    {
      key: 'ongoing',
      label: 'Ongoing now',
      value: ongoing.length,
      eventIds: ids(ongoing),
      detail: 'ranges that have started and not ended',
    },
    {
      key: 'attention',
      label: 'Need attention',
      value: attention.length,
      eventIds: ids(attention),
      detail: 'not assessed, low confidence, single source or no source',
    },
    {
      key: 'sources',
      label: 'Sources',
      value: sourceCount,
      eventIds: ids(sourced),
      detail: `cited by ${sourced.length} of ${events.length} events`,
    },
    {
      key: 'contributors',
      label: 'Contributors this week',
      value: contributors.names.length,
      eventIds: ids(touched),
      detail: contributors.names.length > 0 ? contributors.names.join(', ') : 'no edits in 7 days',
    },
  ];
}

export interface Breakdown {
  key: string;
  label: string;
  count: number;
  color: string;
  eventIds: string[];
}

/** Events per lane, in lane order; events whose lane is gone are counted under "No lane". */
export function breakdownByLane(events: TimelineEvent[], lanes: Lane[]): Breakdown[] {
  const rows: Breakdown[] = [...lanes]
    .sort((a, b) => a.order - b.order)
    .map((lane) => ({
      key: lane.id,
      label: lane.title,
      count: 0,
      color: lane.color,
      eventIds: [],
    }));
  const byId = new Map(rows.map((row) => [row.key, row]));
  const orphans: Breakdown = {
    key: '(no lane)',
    label: 'No lane',
    count: 0,
    color: '#64748b',
    eventIds: [],
  };
  for (const event of events) {
    const row = byId.get(event.lane) ?? orphans;
    row.count += 1;
    row.eventIds.push(event.id);
  }
  return orphans.count > 0 ? [...rows, orphans] : rows;
}

/** Colours of the confidence levels: darker is more certain, grey is not assessed. */
export const CONFIDENCE_COLORS: Record<ConfidenceLevel | 'none', string> = {
  high: '#1d4ed8',
  moderate: '#60a5fa',
  low: '#f59e0b',
  none: '#94a3b8',
};

/** Events per confidence level: high, moderate, low, not assessed. */
export function breakdownByConfidence(events: TimelineEvent[]): Breakdown[] {
  const keys = CONFIDENCE_KEYS;
  const rows = keys.map((key) => ({
    key,
    label: CONFIDENCE_LABELS[key],
    count: 0,
    color: CONFIDENCE_COLORS[key],
    eventIds: [] as string[],
  }));
  for (const event of events) {
    const row = rows[keys.indexOf(confidenceLevelOf(event) ?? 'none')]!;
    row.count += 1;
    row.eventIds.push(event.id);
  }
  return rows;
}

/**
 * How far the story has got: the latest start of any event (null when empty). Ends are left out
 * so a long background band does not push it past the last thing that happened.
 */
export function latestDate(events: TimelineEvent[]): number | null {
  let latest: number | null = null;
  for (const event of events) {
    const { start } = eventSpan(event);
    if (latest === null || start > latest) latest = start;
  }
  return latest;
}

export interface AroundDate {
  ongoing: TimelineEvent[];
  upcoming: TimelineEvent[];
  recent: TimelineEvent[];
}

/**
 * What is going on at `at`: ranges under way, the next `limit` events to start after it and the
 * last `limit` to start before (or at) it.
 */
export function eventsAround(events: TimelineEvent[], at: number, limit = 5): AroundDate {
  const byStart = [...events].sort((a, b) => eventSpan(a).start - eventSpan(b).start);
  return {
    ongoing: byStart.filter((event) => isOngoing(event, at)),
    upcoming: byStart.filter((event) => eventSpan(event).start > at).slice(0, limit),
    recent: byStart
      .filter((event) => eventSpan(event).start <= at && !isOngoing(event, at))
      .slice(-limit)
      .reverse(),
  };
}
