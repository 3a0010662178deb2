'use client';
/** React-query hooks of the timeline list and one timeline's summary. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TimelineSummary } from '@/lib/timeline/schemas';
import { ApiError } from './request';
import { useRequest } from './shareToken';

export const queryKeys = {
  timelines: ['timelines'] as const,
  timeline: (id: string) => ['timelines', id] as const,
};

/** The timeline list, refreshed every few seconds so counts and edit times stay current. */
export function useTimelines() {
  const request = useRequest();
  return useQuery({
    queryKey: queryKeys.timelines,
    queryFn: () =>
      request<{ timelines: TimelineSummary[] }>('/api/timelines').then((r) => r.timelines),
    refetchInterval: 5_000,
  });
}

export function useTimeline(id: string) {
  const request = useRequest();
  return useQuery({
    queryKey: queryKeys.timeline(id),
    queryFn: () => request<TimelineSummary>(`/api/timelines/${encodeURIComponent(id)}`),
    retry: (count, error) => !(error instanceof ApiError && error.status === 404) && count < 3,
  });
}

export function useCreateTimeline() {
  const client = useQueryClient();
  const request = useRequest();
  return useMutation({
    mutationFn: (title: string) =>
      request<TimelineSummary>('/api/timelines', {
        method: 'POST',
        body: JSON.stringify({ title }),
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.timelines }),
  });
}
