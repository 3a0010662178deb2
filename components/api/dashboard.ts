'use client';
/**
 * The dashboard's REST data: the activity since a time (for "changed since your last visit" and
 * this week's contributors) and the account's visits. Live figures come from the document, not
 * from here.
 */
import { useQuery } from '@tanstack/react-query';
import type { ActivitySummary } from '@/lib/timeline/schemas';
import { useRequest } from './shareToken';

export const dashboardKeys = {
  activity: (id: string) => ['dashboard', id, 'activity'] as const,
  activitySince: (id: string, since: string) => ['dashboard', id, 'activity', since] as const,
  // Apart from the rest: refreshing the dashboard's data must never record another visit.
  visit: (id: string) => ['dashboard-visit', id] as const,
};

/** The most entries one request returns (the API's limit). */
export const ACTIVITY_SINCE_LIMIT = 1000;

/**
 * The activity log after `since` (ISO), newest first. Refetched every 10 s, and by the dashboard
 * soon after each live change (the server writes the log about a second after an edit).
 */
export function useActivitySince(timelineId: string, since: string | null) {
  const request = useRequest();
  return useQuery({
    queryKey: dashboardKeys.activitySince(timelineId, since ?? ''),
    queryFn: () =>
      request<{ entries: ActivitySummary[] }>(
        `/api/timelines/${encodeURIComponent(timelineId)}/activity?limit=${ACTIVITY_SINCE_LIMIT}&since=${encodeURIComponent(since!)}`,
      ).then((r) => r.entries),
    enabled: since !== null,
    refetchInterval: 10_000,
  });
}

/**
 * Records this account's visit of the dashboard and answers the previous one. One request per
 * page load: the answer is kept for the life of the page (a refetch would move "since" to now).
 */
export function useRecordedVisit(timelineId: string, enabled: boolean) {
  const request = useRequest();
  return useQuery({
    queryKey: dashboardKeys.visit(timelineId),
    queryFn: () =>
      request<{ previousVisitAt: string | null; visitedAt: string }>(
        `/api/timelines/${encodeURIComponent(timelineId)}/visit`,
        { method: 'POST' },
      ),
    enabled,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    retry: 2,
  });
}
