'use client';
/** REST calls and react-query hooks of the browser. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TimelineSummary } from '@/lib/timeline/schemas';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

async function request<T>(url: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      ...init,
      headers: { 'content-type': 'application/json', ...init?.headers },
    });
  } catch {
    throw new ApiError('The server cannot be reached. Check your connection and try again.', 0);
  }
  const body = (await response.json().catch(() => ({}))) as { error?: string };
  if (!response.ok)
    throw new ApiError(body.error ?? `Request failed (${response.status})`, response.status);
  return body as T;
}

export const queryKeys = {
  timelines: ['timelines'] as const,
  timeline: (id: string) => ['timelines', id] as const,
};

/** The timeline list, refreshed every few seconds so counts and edit times stay current. */
export function useTimelines() {
  return useQuery({
    queryKey: queryKeys.timelines,
    queryFn: () =>
      request<{ timelines: TimelineSummary[] }>('/api/timelines').then((r) => r.timelines),
    refetchInterval: 5_000,
  });
}

export function useTimeline(id: string) {
  return useQuery({
    queryKey: queryKeys.timeline(id),
    queryFn: () => request<TimelineSummary>(`/api/timelines/${encodeURIComponent(id)}`),
    retry: (count, error) => !(error instanceof ApiError && error.status === 404) && count < 3,
  });
}

export function useCreateTimeline() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (title: string) =>
      request<TimelineSummary>('/api/timelines', {
        method: 'POST',
        body: JSON.stringify({ title }),
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.timelines }),
  });
}
