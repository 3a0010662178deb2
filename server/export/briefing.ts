/**
 * The briefing content every format renders: the events in the asked range, in time order, with
 * their lanes, dates at their precision, confidence and corroboration labels, and their sources
 * numbered once for the whole briefing with their grades. Formats lay this out; none of them
 * recomputes a label, a number or an order.
 */
import type { CommentSummary } from '../../lib/comments';
import type { BriefingOptions } from '../../lib/export/options';
import { precisionOf, type TimelineEvent } from '../../lib/timeline/model';
import { formatAtPrecision, formatExtent, formatUncertainty } from './briefingDates';
import {
  CONFIDENCE_LEVELS,
  CONFIDENCE_ORDER,
  CONFIDENCE_UNSET_LABEL,
  type Confidence,
  type Corroboration,
  CREDIBILITY_GRADES,
  type Credibility,
  corroborationOf,
  describeGrade,
  formatConfidence,
  formatGrade,
  type GradeMeaning,
  type Precision,
  RELIABILITY_GRADES,
  type Reliability,
  toConfidence,
} from './evidence';
import type { ExportContent } from './types';

export interface BriefingLane {
  id: string;
  title: string;
  color: string;
  /** Position from the top, 0-based. */
  index: number;
}

export interface BriefingSource {
  /** Its note number in the briefing, from 1. */
  number: number;
  id: string;
  title: string;
  url?: string;
  publisher?: string;
  publishedAt?: string;
  excerpt?: string;
  notes?: string;
  reliability?: Reliability;
  credibility?: Credibility;
  /** "B2", or '' when not graded. */
  grade: string;
  /** "B2 — usually reliable, probably true", or "Not graded". */
  gradeLabel: string;
}

/** One comment of a thread, as printed under its event. */
export interface BriefingComment {
  author: string;
  /** "18 Feb 2019 09:30 UTC" (edited ones say so). */
  atLabel: string;
  body: string;
}

/** A comment thread on an event: its root, then its replies, oldest first. */
export interface BriefingThread {
  resolved: boolean;
  /** "Open", or "Resolved by Ann on 18 Feb 2019 09:30 UTC". */
  statusLabel: string;
  comments: BriefingComment[];
}

export interface BriefingEvent {
  id: string;
  title: string;
  kind: TimelineEvent['kind'];
  start: string;
  end?: string;
  precision: Precision;
  /** The dates at their precision: "18 Feb 2019" or "Feb 2019 – Mar 2019". */
  dateLabel: string;
  /** "start between … and …", or ''. */
  uncertainty: string;
  lane: BriefingLane;
  confidence?: Confidence;
  confidenceLabel: string;
  corroboration: Corroboration;
  /** "Unsourced", "Single source" or "3 independent publishers". */
  corroborationLabel: string;
  tags: string[];
  location?: { name: string; lat?: number; lon?: number };
  description: string;
  sources: BriefingSource[];
  /** Its comment threads, oldest first; empty unless the briefing includes comments. */
  threads: BriefingThread[];
}

export interface LegendEntry {
  key: string;
  label: string;
  description: string;
}

export interface Briefing {
  title: string;
  timelineTitle: string;
  summary?: string;
  handling?: string;
  generatedAt: string;
  /** "Current version", or the saved version's label and date. */
  version: string;
  author?: string;
  /** What the briefing covers: the asked range, else the events' own span. */
  period: { from?: string; to?: string; label: string };
  lanes: BriefingLane[];
  /** Every event in range (background bands included), in time order. */
  events: BriefingEvent[];
  sourceCount: number;
  legends: { confidence: LegendEntry[]; reliability: LegendEntry[]; credibility: LegendEntry[] };
  includeComments: boolean;
}

const NEUTRAL_LANE: BriefingLane = { id: '', title: 'No lane', color: '#6b7280', index: -1 };

/** Builds the briefing of `content` with `options` (range, title, summary, handling line). */
export function buildBriefing(
  content: ExportContent,
  options: Partial<BriefingOptions> = {},
  context: { now?: Date; author?: string } = {},
): Briefing {
  const lanes = [...content.lanes]
    .sort((a, b) => a.order - b.order)
    .map((lane, index) => ({ id: lane.id, title: lane.title, color: lane.color, index }));
  const laneById = new Map(lanes.map((lane) => [lane.id, lane]));
  const inRange = content.events.filter((event) => overlaps(event, options.from, options.to));
  inRange.sort(compareEvents);
  let nextSource = 1;
  const threadsByEvent = options.comments
    ? groupThreads(content.comments ?? [])
    : new Map<string, BriefingThread[]>();
  const events = inRange.map((event): BriefingEvent => {
    const precision = precisionOf(event);
    // Readers map legacy names already; plain data (a JSON file, a test) may still hold them.
    const confidence = toConfidence(event.confidence);
    const sources = event.sources.map((source) => toBriefingSource(source, nextSource++));
    const corroboration = corroborationOf({ sources });
    return {
      id: event.id,
      title: event.title,
      kind: event.kind,
      start: event.start,
      end: event.end,
      precision,
      dateLabel: formatExtent(event.start, event.end, precision),
      uncertainty: formatUncertainty(event, precision),
      lane: laneById.get(event.lane) ?? NEUTRAL_LANE,
      confidence,
      confidenceLabel: formatConfidence(confidence),
      corroboration,
      corroborationLabel: describeCorroboration(corroboration),
      tags: readTags(event.tags),
      location: readLocation(event.location),
      description: event.description,
      sources,
      threads: threadsByEvent.get(event.id) ?? [],
    };
  });
  const now = context.now ?? new Date();
  const snapshot = content.snapshot;
  return {
    title: options.title ?? content.timeline.title,
    timelineTitle: content.timeline.title,
    summary: options.summary,
    handling: options.handling,
    generatedAt: now.toISOString(),
    version: snapshot
      ? `Saved version ${snapshot.label ? `“${snapshot.label}” ` : ''}of ${formatAtPrecision(snapshot.createdAt, 'time')}`
      : 'Current version',
    author: context.author,
    period: describePeriod(events, options),
    lanes,
    events,
    sourceCount: nextSource - 1,
    legends: {
      confidence: [
        ...CONFIDENCE_ORDER.map((key) => entry(key, CONFIDENCE_LEVELS[key])),
        { key: '', label: CONFIDENCE_UNSET_LABEL, description: 'No analytic confidence recorded.' },
      ],
      reliability: Object.entries(RELIABILITY_GRADES).map(([key, meaning]) => entry(key, meaning)),
      credibility: Object.entries(CREDIBILITY_GRADES).map(([key, meaning]) => entry(key, meaning)),
    },
    includeComments: options.comments ?? false,
  };
}

/**
 * An event's comment threads as plain lines, the same in every format that prints them (PDF and
 * Word under the event, PowerPoint in the speaker notes): the root with its author, time and
 * state, then its replies indented. Empty when there are none (or comments were not asked for).
 */
export function describeThreads(event: BriefingEvent): string[] {
  return event.threads.flatMap((thread) =>
    thread.comments.map((comment, index) =>
      index === 0
        ? `Comment by ${comment.author}, ${comment.atLabel} [${thread.statusLabel}]: ${comment.body}`
        : `    Reply by ${comment.author}, ${comment.atLabel}: ${comment.body}`,
    ),
  );
}

/** Comments (oldest first, as the comments API lists them) as threads per event id. */
function groupThreads(comments: readonly CommentSummary[]): Map<string, BriefingThread[]> {
  const nameOf = (person: { name: string | null } | null) => person?.name ?? 'A removed account';
  const toComment = (comment: CommentSummary): BriefingComment => ({
    author: nameOf(comment.author),
    atLabel: `${formatAtPrecision(comment.createdAt, 'time')}${comment.editedAt ? ' (edited)' : ''}`,
    body: comment.body,
  });
  const threads = new Map<string, BriefingThread>();
  const byEvent = new Map<string, BriefingThread[]>();
  for (const comment of comments) {
    if (comment.parentId !== null) continue;
    const thread: BriefingThread = {
      resolved: comment.resolvedAt !== null,
      statusLabel: comment.resolvedAt
        ? `Resolved by ${nameOf(comment.resolvedBy)} on ${formatAtPrecision(comment.resolvedAt, 'time')}`
        : 'Open',
      comments: [toComment(comment)],
    };
    threads.set(comment.id, thread);
    byEvent.set(comment.eventId, [...(byEvent.get(comment.eventId) ?? []), thread]);
  }
  for (const comment of comments) {
    if (comment.parentId !== null) threads.get(comment.parentId)?.comments.push(toComment(comment));
  }
  return byEvent;
}

function entry(key: string, meaning: GradeMeaning): LegendEntry {
  return { key, label: meaning.label, description: meaning.description };
}

function toBriefingSource(
  source: TimelineEvent['sources'][number],
  number: number,
): BriefingSource {
  const s = source as typeof source &
    Partial<Omit<BriefingSource, 'number' | 'grade' | 'gradeLabel'>>;
  const graded = { reliability: s.reliability, credibility: s.credibility };
  return {
    number,
    id: s.id,
    title: s.title,
    url: s.url,
    publisher: s.publisher,
    publishedAt: s.publishedAt,
    excerpt: s.excerpt,
    notes: s.notes,
    ...graded,
    grade: formatGrade(graded),
    gradeLabel: describeGrade(graded),
  };
}

/** "Unsourced", "Single source" or "3 independent publishers". */
export function describeCorroboration(corroboration: Corroboration): string {
  if (corroboration.unsourced) return 'Unsourced';
  if (corroboration.singleSource) return 'Single source';
  return `${corroboration.publishers} independent publishers`;
}

function overlaps(event: TimelineEvent, from?: string, to?: string): boolean {
  const start = Date.parse(event.start);
  const end = event.end ? Date.parse(event.end) : start;
  return (!from || end >= Date.parse(from)) && (!to || start <= Date.parse(to));
}

function compareEvents(a: TimelineEvent, b: TimelineEvent): number {
  return (
    Date.parse(a.start) - Date.parse(b.start) ||
    Date.parse(a.end ?? a.start) - Date.parse(b.end ?? b.start) ||
    a.title.localeCompare(b.title) ||
    a.id.localeCompare(b.id)
  );
}

function describePeriod(events: BriefingEvent[], options: Partial<BriefingOptions>) {
  const starts = events.map((event) => event.start);
  const ends = events.map((event) => event.end ?? event.start);
  const byTime = (a: string, b: string) => Date.parse(a) - Date.parse(b);
  const from = options.from ?? starts.sort(byTime)[0];
  const to = options.to ?? ends.sort(byTime).at(-1);
  const label =
    from && to
      ? `${formatAtPrecision(from, 'day')} – ${formatAtPrecision(to, 'day')}`
      : 'No events';
  return { from, to, label };
}

function readTags(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((tag): tag is string => typeof tag === 'string')
    .sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base' }));
}

function readLocation(value: unknown): BriefingEvent['location'] {
  if (typeof value !== 'object' || value === null) return undefined;
  const { name, lat, lon } = value as { name?: unknown; lat?: unknown; lon?: unknown };
  if (typeof name !== 'string' || name === '') return undefined;
  return typeof lat === 'number' && typeof lon === 'number' ? { name, lat, lon } : { name };
}
