'use client';
/**
 * "Changed since": which events were created, changed or restored on or after a UTC day.
 *
 * Yjs keeps no wall-clock time per change, so the times come from the server's activity log
 * (the one the history panel shows), fetched only while the filter is on and refreshed every
 * 10 s. A change shows up there once the server has written it (within a few seconds). The log
 * is read newest first, up to 1000 entries: if all of them are after the day, older changes may
 * be missing and `complete` is false (the bar says so).
 */
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { changedSinceIds } from '@/lib/filters/filters';
import type { ActivitySummary } from '@/lib/timeline/schemas';
import { historyKeys } from '../../api/history';
import { useRequest } from '../../api/shareToken';

const ACTIVITY_LIMIT = 1000;

export interface ChangedSince {
  /** Event ids changed since the day; null while unknown or when the filter is off. */
  ids: ReadonlySet<string> | null;
  complete: boolean;
  error: string | null;
}

export function useChangedSince(timelineId: string, since: string | null): ChangedSince {
  const request = useRequest();
  const activity = useQuery({
    queryKey: [...historyKeys.activity(timelineId), 'changed-since'],
    queryFn: () =>
      request<{ entries: ActivitySummary[] }>(
        `/api/timelines/${encodeURIComponent(timelineId)}/activity?limit=${ACTIVITY_LIMIT}`,
      ).then((r) => r.entries),
    enabled: since !== null,
    refetchInterval: since !== null ? 10_000 : false,
  });
  return useMemo(() => {
    if (since === null || !activity.data) {
      return { ids: null, complete: true, error: activity.error?.message ?? null };
    }
    const { ids, complete } = changedSinceIds(activity.data, since, ACTIVITY_LIMIT);
    return { ids, complete, error: null };
  }, [since, activity.data, activity.error]);
}
