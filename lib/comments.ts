/**
 * Comment threads on events: the API bodies, what the API returns, and the limits. Comments live
 * in SQL (server/services/comments.ts), not in the Yjs document: authorship and permissions must
 * not be something anyone with write access to the document can rewrite.
 *
 * A thread is a root comment and its replies (one level deep). Only roots are resolved.
 */
import { z } from 'zod';
import { ID_PATTERN } from './ids';

/** Longest comment body: a long analytic note fits; a pasted report does not belong here. */
export const MAX_COMMENT_CHARS = 10_000;

/**
 * Comments (roots and replies) one event may hold. Far above any real discussion; it bounds what
 * one event's thread list costs to load and render, and what a runaway script can add.
 */
export const MAX_COMMENTS_PER_EVENT = 1_000;

const EntityId = z.string().regex(ID_PATTERN, 'must be a valid id');

/** A comment's text: plain text (never rendered as HTML), trimmed, 1–10,000 characters. */
export const CommentText = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_COMMENT_CHARS, `must be at most ${MAX_COMMENT_CHARS.toLocaleString('en')} characters`);

/**
 * Body of `POST /api/timelines/<id>/comments`: a new thread on `eventId`, or with `parentId` a
 * reply to that thread (its `eventId`, if given, must be the thread's). The author is the
 * signed-in account, never a body field.
 */
export const CreateCommentBody = z
  .object({
    eventId: EntityId.optional(),
    parentId: EntityId.optional(),
    body: CommentText,
  })
  .strict()
  .refine((value) => value.eventId !== undefined || value.parentId !== undefined, {
    message: 'is required for a new thread (or give parentId to reply)',
    path: ['eventId'],
  });
export type CreateCommentBody = z.infer<typeof CreateCommentBody>;

/**
 * Body of `PATCH /api/timelines/<id>/comments/<commentId>`: a new text (own comments only) and/or
 * `resolved` (thread roots; anyone who may comment).
 */
export const UpdateCommentBody = z
  .object({
    body: CommentText.optional(),
    resolved: z.boolean({ error: 'must be true or false' }).optional(),
  })
  .strict()
  .refine((value) => value.body !== undefined || value.resolved !== undefined, {
    message: 'give body or resolved',
    path: ['body'],
  });
export type UpdateCommentBody = z.infer<typeof UpdateCommentBody>;

/** Query of `GET /api/timelines/<id>/comments`: all of the timeline's, or one event's. */
export const CommentListQuery = z.object({ eventId: EntityId.optional() }).strict();
export type CommentListQuery = z.infer<typeof CommentListQuery>;

/** A comment as the API returns it. */
export const CommentSummary = z.object({
  id: z.string(),
  eventId: z.string(),
  /** The thread's root; null for a root. */
  parentId: z.string().nullable(),
  /** Null when the account was removed. */
  author: z.object({ id: z.string(), name: z.string().nullable() }),
  body: z.string(),
  createdAt: z.string(),
  editedAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  resolvedBy: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
});
export type CommentSummary = z.infer<typeof CommentSummary>;

/** Per event: threads not resolved, and comments in all (roots and replies). */
export const CommentCount = z.object({ open: z.number().int(), total: z.number().int() });
export type CommentCount = z.infer<typeof CommentCount>;

/** `GET /api/timelines/<id>/comments/counts`: events without comments are absent. */
export const CommentCounts = z.object({ counts: z.record(z.string(), CommentCount) });
export type CommentCounts = z.infer<typeof CommentCounts>;

/** A thread: its root and replies, oldest first. */
export interface CommentThread {
  root: CommentSummary;
  replies: CommentSummary[];
}

/**
 * Groups comments into threads, oldest thread first. Replies whose root is missing (deleted in
 * between two reads) are dropped.
 */
export function groupThreads(comments: readonly CommentSummary[]): CommentThread[] {
  const byCreated = [...comments].sort(
    (a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id),
  );
  const threads = new Map<string, CommentThread>();
  for (const comment of byCreated) {
    if (comment.parentId === null) threads.set(comment.id, { root: comment, replies: [] });
  }
  for (const comment of byCreated) {
    if (comment.parentId !== null) threads.get(comment.parentId)?.replies.push(comment);
  }
  return [...threads.values()];
}
