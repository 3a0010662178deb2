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

/** Deletes a timeline (admins); the list forgets it. */
export function useDeleteTimeline() {
  const client = useQueryClient();
  const request = useRequest();
  return useMutation({
    mutationFn: (id: string) =>
      request<{ deleted: string }>(`/api/timelines/${encodeURIComponent(id)}`, {
        method: 'DELETE',
      }),
    onSuccess: (_result, id) => {
      client.removeQueries({ queryKey: queryKeys.timeline(id) });
      return client.invalidateQueries({ queryKey: queryKeys.timelines });
    },
  });
}

/** Copies a timeline's current content into a new one; resolves to the copy's summary. */
export function useDuplicateTimeline() {
  const client = useQueryClient();
  const request = useRequest();
  return useMutation({
    mutationFn: (id: string) =>
      request<TimelineSummary>(`/api/timelines/${encodeURIComponent(id)}/duplicate`, {
        method: 'POST',
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.timelines }),
  });
}
