/**
 * Event filters: what they are, how an event is tested against them, and their URL form.
 *
 * The URL is the source of truth for the filters of a page (shared by copying it, kept across a
 * reload, walked with back and forward), so the parser takes anything a person or a stale link
 * may put there: a value it cannot use is dropped and named in `ignored`, never thrown.
 *
 *   q=<text>                  search text (see lib/search/searchIndex.ts parseSearchQuery)
 *   lane=<lane id>            repeatable; any of them
 *   tag=<tag>                 repeatable; any of them (case-insensitive)
 *   confidence=high|moderate|low|none   repeatable; none = not assessed
 *   kind=point|range|background         repeatable
 *   minSources=<n>            at least n independent publishers (1–99)
 *   single=1                  exactly one independent publisher
 *   from=YYYY-MM-DD, to=YYYY-MM-DD      the event overlaps these UTC days
 *   changed=YYYY-MM-DD        changed on or after this UTC day (from the activity log)
 *   dim=1                     dim the other events instead of hiding them
 */
import { z } from 'zod';
import { ID_PATTERN } from '../ids';
import { corroborationOf } from '../timeline/corroboration';
import type { TimelineEvent } from '../timeline/model';
import { Confidence, EventKind, Tag } from '../timeline/values';

export const CONFIDENCE_FILTER_VALUES = [...Confidence.options, 'none'] as const;
export type ConfidenceFilter = (typeof CONFIDENCE_FILTER_VALUES)[number];

/** At most this many sources can be asked for: more than any event has. */
export const MAX_MIN_SOURCES = 99;
/** Repeated values kept per parameter (a URL is not a place for more). */
const MAX_VALUES = 50;
/** Longest search text kept from a URL. */
export const MAX_QUERY_LENGTH = 500;

export interface EventFilters {
  /** Search text; '' = none. */
  q: string;
  lanes: string[];
  tags: string[];
  confidence: ConfidenceFilter[];
  kinds: EventKind[];
  /** At least this many independent publishers; null = any. */
  minSources: number | null;
  /** Exactly one independent publisher. */
  singleSource: boolean;
  /** UTC days (YYYY-MM-DD); null = open. */
  from: string | null;
  to: string | null;
  changedSince: string | null;
  /** Dim non-matching events instead of hiding them. */
  dim: boolean;
}

export const EMPTY_FILTERS: EventFilters = {
  q: '',
  lanes: [],
  tags: [],
  confidence: [],
  kinds: [],
  minSources: null,
  singleSource: false,
  from: null,
  to: null,
  changedSince: null,
  dim: false,
};

/** What the parser made of a URL: the usable filters and a message per value it dropped. */
export interface ParsedFilters {
  filters: EventFilters;
  ignored: string[];
}

const LaneId = z.string().regex(ID_PATTERN);
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar day written YYYY-MM-DD (2019-02-30 is not one). */
export function isDay(value: string): boolean {
  const match = DAY.exec(value);
  if (!match) return false;
  const date = new Date(`${value}T00:00:00.000Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** Reads filters from a query string or URLSearchParams; never throws. */
export function parseFilters(input: string | URLSearchParams): ParsedFilters {
  const params = typeof input === 'string' ? new URLSearchParams(input) : input;
  const ignored: string[] = [];
  const filters: EventFilters = { ...EMPTY_FILTERS };

  const q = (params.get('q') ?? '').trim();
  if (q.length > MAX_QUERY_LENGTH) ignored.push(`q longer than ${MAX_QUERY_LENGTH} characters`);
  else filters.q = q;

  const many = <T>(name: string, accept: (value: string) => T | undefined, what: string): T[] => {
    const out: T[] = [];
    for (const raw of params.getAll(name)) {
      const value = accept(raw);
      if (value === undefined) ignored.push(`${name}=${clip(raw)}: ${what}`);
      else if (out.length >= MAX_VALUES) ignored.push(`${name}: more than ${MAX_VALUES} values`);
      else if (!out.includes(value)) out.push(value);
    }
    return out;
  };
  filters.lanes = many('lane', (v) => (LaneId.safeParse(v).success ? v : undefined), 'not a lane');
  filters.tags = many(
    'tag',
    (v) => {
      const tag = Tag.safeParse(v);
      return tag.success ? tag.data : undefined;
    },
    'not a tag',
  );
  filters.confidence = many(
    'confidence',
    (v) => CONFIDENCE_FILTER_VALUES.find((c) => c === v),
    'use high, moderate, low or none',
  );
  filters.kinds = many(
    'kind',
    (v) => EventKind.options.find((k) => k === v),
    'use point, range or background',
  );

  const minSources = params.get('minSources');
  if (minSources !== null) {
    const n = /^\d{1,3}$/.test(minSources) ? Number(minSources) : Number.NaN;
    if (n >= 1 && n <= MAX_MIN_SOURCES) filters.minSources = n;
    else ignored.push(`minSources=${clip(minSources)}: use a whole number from 1 to 99`);
  }
  filters.singleSource = flag(params, 'single', ignored);
  filters.dim = flag(params, 'dim', ignored);

  for (const [name, key] of [
    ['from', 'from'],
    ['to', 'to'],
    ['changed', 'changedSince'],
  ] as const) {
    const value = params.get(name);
    if (value === null) continue;
    if (isDay(value)) filters[key] = value;
    else ignored.push(`${name}=${clip(value)}: use a date such as 2024-03-01`);
  }
  if (filters.from && filters.to && filters.to < filters.from) {
    ignored.push(`to=${filters.to}: before from`);
    filters.to = null;
  }
  return { filters, ignored };
}

function flag(params: URLSearchParams, name: string, ignored: string[]): boolean {
  const value = params.get(name);
  if (value === null || value === '0') return false;
  if (value === '1') return true;
  ignored.push(`${name}=${clip(value)}: use 1`);
  return false;
}

function clip(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}

/** The query string of some filters (without `?`), in a stable order; '' when none are set. */
export function encodeFilters(filters: EventFilters): string {
  const params = new URLSearchParams();
  if (filters.q.trim()) params.set('q', filters.q);
  for (const lane of filters.lanes) params.append('lane', lane);
  for (const tag of filters.tags) params.append('tag', tag);
  for (const value of filters.confidence) params.append('confidence', value);
  for (const kind of filters.kinds) params.append('kind', kind);
  if (filters.minSources !== null) params.set('minSources', String(filters.minSources));
  if (filters.singleSource) params.set('single', '1');
  if (filters.from) params.set('from', filters.from);
  if (filters.to) params.set('to', filters.to);
  if (filters.changedSince) params.set('changed', filters.changedSince);
  if (filters.dim) params.set('dim', '1');
  return params.toString();
}

/** The URL parameters the filters own; a page's others (a share link's `token`) are kept. */
export const FILTER_PARAMS = [
  'q',
  'lane',
  'tag',
  'confidence',
  'kind',
  'minSources',
  'single',
  'from',
  'to',
  'changed',
  'dim',
] as const;

/**
 * The path, query and hash of `href` with its filter parameters replaced by `query` (the
 * output of encodeFilters); other parameters and the hash are kept.
 */
export function urlWithFilters(href: string, query: string): string {
  const url = new URL(href);
  for (const name of FILTER_PARAMS) url.searchParams.delete(name);
  for (const [name, value] of new URLSearchParams(query)) url.searchParams.append(name, value);
  return `${url.pathname}${url.search}${url.hash}`;
}

/** True when some filter narrows the events (dimming alone does not). */
export function hasActiveFilters(filters: EventFilters): boolean {
  return encodeFilters({ ...filters, dim: false }) !== '';
}

/** What matching needs besides the event: answers computed once per change, not per event. */
export interface MatchContext {
  /** Ids the search text matched; null when there is no search text. */
  searchHits: ReadonlySet<string> | null;
  /** Ids changed since `changedSince`; null while unknown (the filter is then not applied). */
  changedIds: ReadonlySet<string> | null;
}

/** Whether an event passes every filter. */
export function matchesFilters(
  event: TimelineEvent,
  filters: EventFilters,
  context: MatchContext,
): boolean {
  if (filters.q && context.searchHits && !context.searchHits.has(event.id)) return false;
  if (filters.lanes.length > 0 && !filters.lanes.includes(event.lane)) return false;
  if (filters.tags.length > 0) {
    const tags = new Set((event.tags ?? []).map((tag) => tag.toLowerCase()));
    if (!filters.tags.some((tag) => tags.has(tag.toLowerCase()))) return false;
  }
  if (filters.confidence.length > 0 && !filters.confidence.includes(event.confidence ?? 'none')) {
    return false;
  }
  if (filters.kinds.length > 0 && !filters.kinds.includes(event.kind)) return false;
  if (filters.minSources !== null || filters.singleSource) {
    const { publishers } = corroborationOf(event);
    if (filters.minSources !== null && publishers < filters.minSources) return false;
    if (filters.singleSource && publishers !== 1) return false;
  }
  if (filters.from || filters.to) {
    const start = Date.parse(event.start);
    const end = event.end ? Date.parse(event.end) : start;
    // Overlap with whole UTC days: an event running into the range, or out of it, is in it.
    if (filters.from && end < Date.parse(`${filters.from}T00:00:00.000Z`)) return false;
    if (filters.to && start >= Date.parse(`${filters.to}T00:00:00.000Z`) + 86_400_000) {
      return false;
    }
  }
  if (filters.changedSince && context.changedIds && !context.changedIds.has(event.id)) {
    return false;
  }
  return true;
}

/** Splits events into those that match and the rest, keeping their order. */
export function filterEvents(
  events: readonly TimelineEvent[],
  filters: EventFilters,
  context: MatchContext,
): { matching: TimelineEvent[]; matchingIds: Set<string> } {
  const matching = events.filter((event) => matchesFilters(event, filters, context));
  return { matching, matchingIds: new Set(matching.map((event) => event.id)) };
}

/**
 * The events created, changed or restored on or after the UTC day `since`, from activity
 * entries listed newest first (as the activity API returns them, at most `limit`). `complete` is
 * false when the list may have been cut before reaching that day.
 */
export function changedSinceIds(
  entries: readonly { at: string; action: string; eventId: string }[],
  since: string,
  limit: number,
): { ids: Set<string>; complete: boolean } {
  const from = Date.parse(`${since}T00:00:00.000Z`);
  const ids = new Set<string>();
  for (const entry of entries) {
    if (entry.action !== 'deleted' && Date.parse(entry.at) >= from) ids.add(entry.eventId);
  }
  const oldest = entries.at(-1);
  const complete = entries.length < limit || (oldest !== undefined && Date.parse(oldest.at) < from);
  return { ids, complete };
}
