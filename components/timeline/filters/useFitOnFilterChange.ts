'use client';
import { type RefObject, useEffect, useRef } from 'react';
import type { EventFilterState } from './useEventFilter';

/**
 * Shows the matching events when the filters change (a filter picked, a view applied, back or
 * forward, a pause in typing): otherwise the axis could stay on a stretch where nothing matches.
 * Changing filters is the person's own action, so moving their window is theirs too; remote
 * edits never move it. When dimming, nothing is hidden and the window stays.
 */
export function useFitOnFilterChange(
  view: RefObject<{ fit(): void } | null>,
  filter: EventFilterState,
): void {
  const fitted = useRef(filter.settledKey);
  const { settledKey } = filter;
  const latest = useRef(filter);
  latest.current = filter;
  useEffect(() => {
    if (fitted.current === settledKey) return;
    fitted.current = settledKey;
    const { filters, matching } = latest.current;
    if (!filters.dim && matching.length > 0) view.current?.fit();
  }, [settledKey, view]);
}
