'use client';
/**
 * Comment threads over REST (lib/comments.ts). Live updates are not polled: the editing session
 * invalidates these keys when the server sends a notice (session/useLiveComments.ts).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CommentCounts,
  CommentSummary,
  CreateCommentBody,
  UpdateCommentBody,
} from '@/lib/comments';
import { useRequest } from './shareToken';

export const commentKeys = {
  all: (timelineId: string) => ['comments', timelineId] as const,
  counts: (timelineId: string) => ['comments', timelineId, 'counts'] as const,
  timeline: (timelineId: string) => ['comments', timelineId, 'timeline'] as const,
  event: (timelineId: string, eventId: string) =>
    ['comments', timelineId, 'event', eventId] as const,
};

function commentsUrl(timelineId: string): string {
  return `/api/timelines/${encodeURIComponent(timelineId)}/comments`;
}

/** Per event id: open threads and comments in all. Events without comments are absent. */
export function useCommentCounts(timelineId: string) {
  const request = useRequest();
  return useQuery({
    queryKey: commentKeys.counts(timelineId),
    queryFn: async () => (await request<CommentCounts>(`${commentsUrl(timelineId)}/counts`)).counts,
  });
}

/** Every comment of the timeline, oldest first (what search looks through). */
export function useTimelineComments(timelineId: string) {
  const request = useRequest();
  return useQuery({
    queryKey: commentKeys.timeline(timelineId),
    queryFn: async () =>
      (await request<{ comments: CommentSummary[] }>(commentsUrl(timelineId))).comments,
  });
}

/** One event's comments, oldest first. */
export function useEventComments(timelineId: string, eventId: string) {
  const request = useRequest();
  return useQuery({
    queryKey: commentKeys.event(timelineId, eventId),
    queryFn: async () =>
      (
        await request<{ comments: CommentSummary[] }>(
          `${commentsUrl(timelineId)}?eventId=${encodeURIComponent(eventId)}`,
        )
      ).comments,
  });
}

/**
 * Create, edit, resolve/reopen and delete. Each refetches the event's comments and the counts on
 * success (the notice that follows does too, for everyone else).
 */
export function useCommentMutations(timelineId: string, eventId: string) {
  const request = useRequest();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: commentKeys.all(timelineId) });
  const url = commentsUrl(timelineId);
  const create = useMutation({
    mutationFn: (body: Omit<CreateCommentBody, 'eventId'>) =>
      request<CommentSummary>(url, {
        method: 'POST',
        body: JSON.stringify(body.parentId ? body : { ...body, eventId }),
      }),
    onSuccess: refresh,
  });
  const update = useMutation({
    mutationFn: ({ id, ...change }: UpdateCommentBody & { id: string }) =>
      request<CommentSummary>(`${url}/${encodeURIComponent(id)}`, {
        method: 'PATCH',
        body: JSON.stringify(change),
      }),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) =>
      request<{ deleted: number }>(`${url}/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: refresh,
  });
  return { create, update, remove };
}
