'use client';
/**
 * The filter state of the timeline page: the URL's filters, the search text as typed (ahead of
 * the URL, which is written after a pause), the search hits, the changed-since answer, and the
 * events that match. TimelineEditor filters its event list once with it.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type * as Y from 'yjs';
import {
  type EventFilters,
  encodeFilters,
  filterEvents,
  hasActiveFilters,
  type MatchContext,
} from '@/lib/filters/filters';
import type { SearchHit } from '@/lib/search/searchIndex';
import type { TimelineEvent } from '@/lib/timeline/model';
import { type ChangedSince, useChangedSince } from './useChangedSince';
import { useSearchIndex } from './useSearchIndex';
import { type HistoryMode, useUrlFilters } from './useUrlFilters';

const NO_IDS: ReadonlySet<string> = new Set();

/** How long typing pauses before the URL follows (history entries are replaced, not added). */
const URL_TYPING_DELAY_MS = 300;

export interface EventFilterState {
  filters: EventFilters;
  /** Messages for URL values that were dropped. */
  ignored: string[];
  /** The search text as typed. */
  query: string;
  setQuery(text: string): void;
  setFilters(next: EventFilters, mode?: HistoryMode): void;
  active: boolean;
  hits: SearchHit[];
  changed: ChangedSince;
  /** The matching events, in the given order (the events themselves when none is active). */
  matching: TimelineEvent[];
  /** The ids of the matching events while a filter is active (empty otherwise). */
  matchingIds: ReadonlySet<string>;
  total: number;
  /** The URL's filters as a string: changes on discrete changes and after a pause in typing. */
  settledKey: string;
}

export function useEventFilter(
  timelineId: string,
  doc: Y.Doc | null,
  events: readonly TimelineEvent[],
): EventFilterState {
  const url = useUrlFilters();
  const { index, version } = useSearchIndex(doc, timelineId);
  const [query, setQueryState] = useState(url.filters.q);
  const typing = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latestUrl = useRef(url);
  latestUrl.current = url;

  // The URL changed by itself (back, forward, a view applied): the box shows its text.
  useEffect(() => {
    // Unless it is what is typed, give or take the spaces around it: a pause after "border "
    // must not eat the space before the next word.
    if (typing.current === null) {
      setQueryState((typed) => (typed.trim() === url.filters.q ? typed : url.filters.q));
    }
  }, [url.filters.q]);
  useEffect(() => () => clearTimeout(typing.current ?? undefined), []);

  const setQuery = (text: string) => {
    setQueryState(text);
    if (typing.current !== null) clearTimeout(typing.current);
    typing.current = setTimeout(() => {
      typing.current = null;
      const current = latestUrl.current.filters;
      if (current.q !== text.trim()) {
        latestUrl.current.setFilters({ ...current, q: text.trim() }, 'replace');
      }
    }, URL_TYPING_DELAY_MS);
  };

  const setFilters = (next: EventFilters, mode: HistoryMode = 'push') => {
    if (typing.current !== null) {
      clearTimeout(typing.current);
      typing.current = null;
    }
    setQueryState(next.q);
    url.setFilters(next, mode);
  };

  const filters = useMemo(() => ({ ...url.filters, q: query.trim() }), [url.filters, query]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: version tells the index changed
  const hits = useMemo(
    () => (index && filters.q ? index.query(filters.q) : []),
    [index, version, filters.q],
  );
  const changed = useChangedSince(timelineId, filters.changedSince);
  const active = hasActiveFilters(filters);
  const { matching, matchingIds } = useMemo(() => {
    // Nothing to filter: the events as they are (no copy of a 100,000-event list per change).
    if (!active) return { matching: events as TimelineEvent[], matchingIds: NO_IDS };
    const context: MatchContext = {
      // Until the index exists (one render after the document), search does not narrow.
      searchHits: filters.q && index ? new Set(hits.map((hit) => hit.id)) : null,
      changedIds: changed.ids,
    };
    return filterEvents(events, filters, context);
  }, [active, events, filters, hits, index, changed.ids]);

  return {
    filters,
    ignored: url.ignored,
    query,
    setQuery,
    setFilters,
    active,
    hits,
    changed,
    matching,
    matchingIds,
    total: events.length,
    settledKey: encodeFilters(url.filters),
  };
}
