/**
 * The full-text index of a timeline's events, kept up to date from the Y.Doc as it changes.
 *
 * One MiniSearch document per event: its title, description, sources (title, publisher, excerpt),
 * tags, and any extra text fed per event id from outside the document (comment bodies come from
 * the comments API, not the Y.Doc: `setExtraText(eventId, 'comments', text)`). The index observes
 * the events map deeply and re-indexes only the events a transaction touched, and only when their
 * indexed text changed (a drag changes dates, not text), so typing in a description costs one
 * event's re-index, never a rebuild.
 */
import MiniSearch, { type Query, type SearchResult } from 'minisearch';
import * as Y from 'yjs';
import { getEventsMap, readEventMap, type TimelineEvent } from '../timeline/model';

/** The indexed fields, and how much a match in each counts. */
const FIELD_BOOST = {
  title: 3,
  tags: 2,
  description: 1,
  sources: 1,
  extra: 1,
} as const;

export type SearchField = keyof typeof FIELD_BOOST;

const FIELDS = Object.keys(FIELD_BOOST) as SearchField[];

interface IndexedEvent {
  id: string;
  title: string;
  tags: string;
  description: string;
  sources: string;
  extra: string;
}

/** One matching event: its score and the fields the query matched in. */
export interface SearchHit {
  id: string;
  score: number;
  fields: SearchField[];
}

/**
 * Lower case without accents, so "Pyongyang" finds "Pyŏngyang" and "cafe" finds "Café": analysts
 * type transliterations without diacritics. Used on both indexed and searched terms.
 */
export function normalizeTerm(term: string): string | null {
  const folded = term.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  return folded.length > 0 ? folded : null;
}

/** The text of an event as the index holds it. */
export function indexedTextOf(event: TimelineEvent, extra = ''): IndexedEvent {
  return {
    id: event.id,
    title: event.title,
    tags: (event.tags ?? []).join('\n'),
    description: event.description ?? '',
    sources: event.sources
      .map((source) => [source.title, source.publisher, source.excerpt].filter(Boolean).join('\n'))
      .join('\n'),
    extra,
  };
}

function sameText(a: IndexedEvent, b: IndexedEvent): boolean {
  return FIELDS.every((field) => a[field] === b[field]);
}

/**
 * Parses what a person typed into a MiniSearch query: every word must match (as a prefix, and
 * with a typo allowed in words of 4 letters or more); a word written `-word` excludes events
 * that match it. Returns null when nothing searchable was typed.
 */
export function parseSearchQuery(text: string): Query | null {
  const words = text.split(/\s+/).filter((word) => word.length > 0);
  const include = words.filter((word) => !word.startsWith('-')).join(' ');
  const exclude = words
    .filter((word) => word.startsWith('-') && word.length > 1)
    .map((word) => word.slice(1));
  if (include.length === 0) return null;
  if (exclude.length === 0) return include;
  return {
    combineWith: 'AND_NOT',
    // Excluded words match exactly (no prefix or typo), so "-war" does not drop "warning".
    queries: [include, ...exclude.map((word) => ({ queries: [word], prefix: false, fuzzy: 0 }))],
  };
}

/** The MiniSearch both the live index and a one-off search use: one definition of a match. */
function createMiniSearch(): MiniSearch<IndexedEvent> {
  return new MiniSearch<IndexedEvent>({
    fields: FIELDS,
    storeFields: [],
    processTerm: normalizeTerm,
    searchOptions: {
      boost: FIELD_BOOST,
      prefix: true,
      fuzzy: (term) => (term.length >= 4 ? 0.2 : false),
      combineWith: 'AND',
    },
  });
}

/**
 * The ids of the events matching what a person typed, searched once over plain events (the
 * server's exports: no live document to follow). `extraText` is each event's text from outside
 * the document (its comment bodies), as `setExtraText` feeds the live index; the answer is the
 * live index's for the same events and text.
 */
export function searchEvents(
  events: readonly TimelineEvent[],
  text: string,
  extraText: ReadonlyMap<string, string> = new Map(),
): Set<string> {
  const query = parseSearchQuery(text);
  if (query === null) return new Set();
  const search = createMiniSearch();
  search.addAll(events.map((event) => indexedTextOf(event, extraText.get(event.id) ?? '')));
  return new Set(search.search(query).map((result) => String(result.id)));
}

/**
 * A live search index over one document's events. Call `destroy()` when done.
 *
 * With `{ lazy: true }` nothing is indexed until the first search: opening a 100,000-event
 * timeline does not spend seconds of the page's main thread on an index nobody may use. Changes
 * before then cost nothing; the first `query` (or `size`) indexes the document as it is.
 */
export class EventSearchIndex {
  private readonly search = createMiniSearch();
  /** What is indexed per event id, to skip re-indexing when a change left the text alone. */
  private readonly indexed = new Map<string, IndexedEvent>();
  /** Extra text per event id, per source ('comments', …). */
  private readonly extras = new Map<string, Map<string, string>>();
  private readonly listeners = new Set<() => void>();
  private version = 0;
  /** How many events were (re-)indexed since creation: the cost of keeping up, for tests. */
  reindexCount = 0;

  /** False until the document has been indexed (at once, or at the first search when lazy). */
  private built = false;

  constructor(
    private readonly doc: Y.Doc,
    options: { lazy?: boolean } = {},
  ) {
    if (!options.lazy) this.build();
    getEventsMap(doc).observeDeep(this.handleChanges);
  }

  private build(): void {
    if (this.built) return;
    this.built = true;
    getEventsMap(this.doc).forEach((_map, id) => {
      this.refresh(id);
    });
  }

  /** Stops following the document. */
  destroy(): void {
    getEventsMap(this.doc).unobserveDeep(this.handleChanges);
    this.listeners.clear();
  }

  /** Number of indexed events. */
  get size(): number {
    this.build();
    return this.indexed.size;
  }

  /** Changes every time the indexed content changes (for React's useSyncExternalStore). */
  getVersion = (): number => this.version;

  /** Calls `listener` after the indexed content changed; returns the unsubscribe function. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  /**
   * Sets text from outside the document that should find an event (`source` names where it comes
   * from, e.g. 'comments'); an empty text removes it. Events not (yet) in the document keep it
   * until they appear.
   */
  setExtraText(eventId: string, source: string, text: string): void {
    const extras = this.extras.get(eventId) ?? new Map<string, string>();
    if ((extras.get(source) ?? '') === text) return;
    if (text.length > 0) extras.set(source, text);
    else extras.delete(source);
    if (extras.size > 0) this.extras.set(eventId, extras);
    else this.extras.delete(eventId);
    // Not built yet: the text is picked up when it is.
    if (this.built && this.refresh(eventId)) this.notify();
  }

  /** The events matching what a person typed, best first (see parseSearchQuery). */
  query(text: string): SearchHit[] {
    const query = parseSearchQuery(text);
    if (query === null) return [];
    this.build();
    return this.search.search(query).map(toHit);
  }

  private readonly handleChanges = (events: Y.YEvent<Y.AbstractType<unknown>>[]): void => {
    if (!this.built) return; // the build reads the document as it is then
    const eventsMap = getEventsMap(this.doc);
    const touched = new Set<string>();
    for (const event of events) {
      if (event.target === eventsMap) {
        for (const id of event.changes.keys.keys()) touched.add(id);
      } else {
        // A change inside one event: the path starts at the event's key in the events map.
        const id = event.path[0];
        if (typeof id === 'string') touched.add(id);
      }
    }
    let changed = false;
    for (const id of touched) changed = this.refresh(id) || changed;
    if (changed) this.notify();
  };

  /** Brings one event's entry in line with the document; true if the index changed. */
  private refresh(id: string): boolean {
    const map = getEventsMap(this.doc).get(id);
    const event = map instanceof Y.Map ? readEventMap(id, map) : null;
    const current = this.indexed.get(id);
    if (!event) {
      if (!current) return false;
      this.search.discard(id);
      this.indexed.delete(id);
      return true;
    }
    const next = indexedTextOf(event, [...(this.extras.get(id)?.values() ?? [])].join('\n'));
    if (current && sameText(current, next)) return false;
    if (current) this.search.replace(next);
    else this.search.add(next);
    this.indexed.set(id, next);
    this.reindexCount++;
    return true;
  }

  private notify(): void {
    this.version++;
    for (const listener of this.listeners) listener();
  }
}

function toHit(result: SearchResult): SearchHit {
  const fields = new Set<SearchField>();
  for (const matched of Object.values(result.match)) {
    for (const field of matched) fields.add(field as SearchField);
  }
  return {
    id: String(result.id),
    score: result.score,
    fields: FIELDS.filter((f) => fields.has(f)),
  };
}
