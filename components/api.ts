'use client';
/** REST calls and react-query hooks of the browser. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TimelineDiff } from '@/lib/timeline/diff';
import type { Lane, TimelineEvent } from '@/lib/timeline/model';
import type {
  ActivitySummary,
  CreateSnapshotBody,
  SnapshotSummary,
  TimelineSummary,
} from '@/lib/timeline/schemas';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/**
 * The share-link token of this page, when it was opened with `?token=`: sent as a bearer token
 * with every API call (the page has no session then). Set once by the timeline page.
 */
let shareToken: string | null = null;
export function setShareToken(token: string | null): void {
  shareToken = token;
}
export function getShareToken(): string | null {
  return shareToken;
}

/** Appends the share-link token to a same-site URL that the browser fetches by itself (downloads). */
export function withShareToken(url: string): string {
  if (!shareToken) return url;
  return `${url}${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(shareToken)}`;
}

const SIGN_IN_URLS = ['/api/auth/login', '/api/setup', '/api/invites/accept'];

export async function request<T>(url: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      ...init,
      headers: {
        'content-type': 'application/json',
        ...(shareToken ? { authorization: `Bearer ${shareToken}` } : {}),
        ...init?.headers,
      },
    });
  } catch {
    throw new ApiError('The server cannot be reached. Check your connection and try again.', 0);
  }
  const body = (await response.json().catch(() => ({}))) as { error?: string };
  if (!response.ok) {
    let message = body.error ?? `Request failed (${response.status})`;
    // Outside the sign-in forms, a 401 means the session ended while the page was open.
    if (response.status === 401 && !SIGN_IN_URLS.includes(url)) {
      message = `${message}. Reload the page to sign in again.`;
    }
    throw new ApiError(message, response.status);
  }
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

// ---------------------------------------------------------------------------------------------
// Version history: snapshots, diffs, restore, activity.

/** A timeline as it was when a snapshot was taken (`GET …/snapshots/<sid>`). */
export interface SnapshotContent {
  snapshot: SnapshotSummary;
  timeline: { id: string; title: string };
  lanes: Lane[];
  events: TimelineEvent[];
}

/** `'now'` or the id of another snapshot. */
export type DiffTarget = 'now' | (string & {});

/** Kept apart from `queryKeys` so invalidating the timeline list never refetches history. */
export const historyKeys = {
  all: (id: string) => ['history', id] as const,
  snapshots: (id: string) => ['history', id, 'snapshots'] as const,
  snapshot: (id: string, snapshotId: string) => ['history', id, 'snapshot', snapshotId] as const,
  diff: (id: string, snapshotId: string, against: DiffTarget) =>
    ['history', id, 'diff', snapshotId, against] as const,
  activity: (id: string) => ['history', id, 'activity'] as const,
};

function timelineUrl(id: string): string {
  return `/api/timelines/${encodeURIComponent(id)}`;
}

function snapshotUrl(id: string, snapshotId: string): string {
  return `${timelineUrl(id)}/snapshots/${encodeURIComponent(snapshotId)}`;
}

/** The saved versions of a timeline, newest first; refreshed while `enabled` (panel open). */
export function useSnapshots(timelineId: string, enabled = true) {
  return useQuery({
    queryKey: historyKeys.snapshots(timelineId),
    queryFn: () =>
      request<{ snapshots: SnapshotSummary[] }>(`${timelineUrl(timelineId)}/snapshots`).then(
        (r) => r.snapshots,
      ),
    enabled,
    refetchInterval: enabled ? 5_000 : false,
  });
}

/**
 * The timeline as of one snapshot, for replay. A snapshot never changes, so it is fetched once;
 * while the next one loads the previous stays on screen instead of flashing an empty timeline.
 */
export function useSnapshotContent(timelineId: string, snapshotId: string | null) {
  return useQuery({
    queryKey: historyKeys.snapshot(timelineId, snapshotId ?? ''),
    queryFn: () => request<SnapshotContent>(snapshotUrl(timelineId, snapshotId!)),
    enabled: snapshotId !== null,
    staleTime: Number.POSITIVE_INFINITY,
    placeholderData: keepPreviousData,
  });
}

/**
 * What changed from snapshot `snapshotId` to `against`. A diff against "now" follows the live
 * timeline, so it is refreshed every few seconds while shown; one between two snapshots never
 * changes.
 */
export function useSnapshotDiff(timelineId: string, snapshotId: string, against: DiffTarget) {
  return useQuery({
    queryKey: historyKeys.diff(timelineId, snapshotId, against),
    queryFn: () =>
      request<TimelineDiff>(
        `${snapshotUrl(timelineId, snapshotId)}/diff?against=${encodeURIComponent(against)}`,
      ),
    staleTime: against === 'now' ? 0 : Number.POSITIVE_INFINITY,
    refetchInterval: against === 'now' ? 3_000 : false,
  });
}

/** Who created, changed or deleted which event, newest first; refreshed while `enabled`. */
export function useActivity(timelineId: string, enabled = true, limit = 100) {
  return useQuery({
    queryKey: historyKeys.activity(timelineId),
    queryFn: () =>
      request<{ entries: ActivitySummary[] }>(
        `${timelineUrl(timelineId)}/activity?limit=${limit}`,
      ).then((r) => r.entries),
    enabled,
    refetchInterval: enabled ? 3_000 : false,
  });
}

/** Refetches everything history-related of a timeline (after a save or a restore). */
function invalidateHistory(client: ReturnType<typeof useQueryClient>, timelineId: string) {
  return Promise.all([
    client.invalidateQueries({ queryKey: historyKeys.snapshots(timelineId) }),
    client.invalidateQueries({ queryKey: historyKeys.activity(timelineId) }),
    // Diffs against "now" changed; snapshots themselves and diffs between them never do.
    client.invalidateQueries({
      queryKey: ['history', timelineId, 'diff'],
      predicate: (query) => query.queryKey[4] === 'now',
    }),
    client.invalidateQueries({ queryKey: queryKeys.timeline(timelineId), exact: true }),
  ]);
}

/** Saves the current state as a named version. */
export function useCreateSnapshot(timelineId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateSnapshotBody) =>
      request<SnapshotSummary>(`${timelineUrl(timelineId)}/snapshots`, {
        method: 'POST',
        body: JSON.stringify(input),
      }),
    onSuccess: () => invalidateHistory(client, timelineId),
  });
}

/**
 * Restores a version into the live timeline (everyone sees it through the websocket). The answer's
 * `backup` is the "pre-restore" snapshot that undoes it.
 */
export function useRestoreSnapshot(timelineId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ snapshotId, author }: { snapshotId: string; author?: string }) =>
      request<{ restored: SnapshotSummary; backup: SnapshotSummary }>(
        `${snapshotUrl(timelineId, snapshotId)}/restore`,
        { method: 'POST', body: JSON.stringify(author ? { author } : {}) },
      ),
    onSuccess: () => invalidateHistory(client, timelineId),
  });
}
