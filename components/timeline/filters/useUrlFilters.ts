'use client';
/**
 * The filters of the page, held in its URL. Writes go through the browser's History API, which
 * Next's App Router patches to keep `useSearchParams` in step (no server round trip per keystroke,
 * unlike `router.replace`): typing replaces the current entry, a discrete change (a chip removed,
 * a filter picked, a view applied) pushes a new one, so back and forward walk through them.
 * Parameters that are not filters (a share link's `token`) are left as they are.
 */
import { useSearchParams } from 'next/navigation';
import { useCallback, useMemo, useState } from 'react';
import {
  type EventFilters,
  encodeFilters,
  parseFilters,
  urlWithFilters,
} from '@/lib/filters/filters';

export type HistoryMode = 'push' | 'replace';

/** The URL's filters, what was ignored in it, and a way to change them. */
export function useUrlFilters() {
  const params = useSearchParams();
  const search = params.toString();
  const parsed = useMemo(() => parseFilters(search), [search]);
  // `useSearchParams` follows a History API write a render or more later. Until it does, the
  // filters just set are what the page shows, so a checkbox does not spring back for a frame and
  // a second change made at once builds on the first instead of on the stale URL.
  const [pending, setPending] = useState<{ filters: EventFilters; from: string } | null>(null);
  const filters = pending !== null && pending.from === search ? pending.filters : parsed.filters;
  const setFilters = useCallback(
    (next: EventFilters, mode: HistoryMode = 'push') => {
      setPending({ filters: next, from: search });
      window.history[mode === 'push' ? 'pushState' : 'replaceState'](
        null,
        '',
        urlWithFilters(window.location.href, encodeFilters(next)),
      );
    },
    [search],
  );
  return { ...parsed, filters, setFilters };
}
