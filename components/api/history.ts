'use client';
/** Version history: snapshots, diffs, restore, activity. */
import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import type { TimelineDiff } from '@/lib/timeline/diff';
import type { Lane, TimelineEvent } from '@/lib/timeline/model';
import type {
  ActivitySummary,
  CreateSnapshotBody,
  SnapshotPage,
  SnapshotSummary,
} from '@/lib/timeline/schemas';
import { useRequest } from './shareToken';
import { queryKeys } from './timelines';

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

/**
 * The saved versions of a timeline, newest first, a page at a time (`fetchNextPage` loads older
 * ones; `data` is every loaded page in one list). Refreshed while `enabled` (panel open).
 */
export function useSnapshots(timelineId: string, enabled = true) {
  const request = useRequest();
  return useInfiniteQuery({
    queryKey: historyKeys.snapshots(timelineId),
    queryFn: ({ pageParam }) =>
      request<SnapshotPage>(
        `${timelineUrl(timelineId)}/snapshots${pageParam ? `?cursor=${encodeURIComponent(pageParam)}` : ''}`,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    select: (data) => data.pages.flatMap((page) => page.snapshots),
    enabled,
    refetchInterval: enabled ? 5_000 : false,
  });
}

/**
 * The timeline as of one snapshot, for replay. A snapshot never changes, so it is fetched once;
 * while the next one loads the previous stays on screen instead of flashing an empty timeline.
 */
export function useSnapshotContent(timelineId: string, snapshotId: string | null) {
  const request = useRequest();
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
  const request = useRequest();
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
  const request = useRequest();
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
  const request = useRequest();
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
  const request = useRequest();
  return useMutation({
    mutationFn: ({ snapshotId, author }: { snapshotId: string; author?: string }) =>
      request<{ restored: SnapshotSummary; backup: SnapshotSummary }>(
        `${snapshotUrl(timelineId, snapshotId)}/restore`,
        { method: 'POST', body: JSON.stringify(author ? { author } : {}) },
      ),
    onSuccess: () => invalidateHistory(client, timelineId),
  });
}
