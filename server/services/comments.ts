/**
 * Comment threads on events behind the REST API. Rows live in SQL (../store/comments.ts); every
 * change is published on the bus as `comment.changed`, which the collaboration server turns into a
 * notice on the timeline's websockets (../collab/noticeEvents.ts), so everyone in the timeline —
 * share-link visitors included — refetches within a moment.
 *
 * Who may call what is decided in two places: the route's permission (server/access/policy.ts:
 * reading is `timeline.read`, writing `timeline.comment`) and, here, the rules about one comment:
 * only its author edits it; its author or an admin deletes it; only thread roots are resolved.
 */
import {
  type CommentCounts,
  type CommentSummary,
  type CreateCommentBody,
  MAX_COMMENTS_PER_EVENT,
  type UpdateCommentBody,
} from '../../lib/comments';
import { ForbiddenError, NotFoundError, ValidationError } from '../../lib/errors';
import { createId } from '../../lib/ids';
import { readEvent } from '../../lib/timeline/model';
import type { CollabServer } from '../collab/server';
import type { EventBus } from '../events/bus';
import type { CommentRecord, CommentStore } from '../store/comments';
import type { TimelineStore } from '../store/types';
import { readTimelineDoc } from './docs';

/** The account acting (comments are never written by share links). */
export interface CommentActor {
  id: string;
  /** Admins may delete anyone's comments. */
  isAdmin: boolean;
}

export interface CommentService {
  /** A timeline's comments, or one event's, oldest first. */
  listComments(timelineId: string, eventId?: string): Promise<CommentSummary[]>;
  /** Per event: open threads and comments in all. */
  countComments(timelineId: string): Promise<CommentCounts>;
  /** A new thread on an event of the timeline, or a reply to a thread. */
  createComment(
    timelineId: string,
    actor: CommentActor,
    input: CreateCommentBody,
  ): Promise<CommentSummary>;
  /** Edits the text (author only) and/or resolves or reopens a thread (its root). */
  updateComment(
    timelineId: string,
    commentId: string,
    actor: CommentActor,
    change: UpdateCommentBody,
  ): Promise<CommentSummary>;
  /** Deletes a comment (a root takes its replies); author or admin. Returns rows deleted. */
  deleteComment(
    timelineId: string,
    commentId: string,
    actor: CommentActor,
  ): Promise<{ deleted: number }>;
}

export function createCommentService(deps: {
  comments: CommentStore;
  store: TimelineStore;
  collab: CollabServer;
  bus: EventBus;
}): CommentService {
  const { comments, store, bus } = deps;

  async function assertTimeline(timelineId: string): Promise<void> {
    if (!(await store.getTimeline(timelineId))) {
      throw new NotFoundError(`timeline ${timelineId} not found`);
    }
  }

  async function findComment(timelineId: string, commentId: string): Promise<CommentRecord> {
    await assertTimeline(timelineId);
    const found = await comments.getComment(timelineId, commentId);
    if (!found) throw new NotFoundError(`comment ${commentId} not found`);
    return found;
  }

  async function summarize(records: CommentRecord[]): Promise<CommentSummary[]> {
    const ids = records.flatMap((r) =>
      r.resolvedById ? [r.authorId, r.resolvedById] : r.authorId,
    );
    const names = await comments.namesOf(ids);
    return records.map((record) => toSummary(record, names));
  }

  async function announce(timelineId: string, eventId: string): Promise<void> {
    await bus.publish({ type: 'comment.changed', timelineId, eventId });
  }

  return {
    async listComments(timelineId, eventId) {
      await assertTimeline(timelineId);
      return summarize(await comments.listComments(timelineId, eventId));
    },

    async countComments(timelineId) {
      await assertTimeline(timelineId);
      return { counts: Object.fromEntries(await comments.countComments(timelineId)) };
    },

    async createComment(timelineId, actor, input) {
      await assertTimeline(timelineId);
      let eventId: string;
      let parentId: string | null = null;
      if (input.parentId !== undefined) {
        const parent = await comments.getComment(timelineId, input.parentId);
        if (!parent) throw new ValidationError(`parentId: no comment ${input.parentId} here`);
        // Replies are one level deep: answering a reply answers its thread.
        parentId = parent.parentId ?? parent.id;
        eventId = parent.eventId;
        if (input.eventId !== undefined && input.eventId !== eventId) {
          throw new ValidationError(`eventId: the thread is on event ${eventId}`);
        }
      } else {
        eventId = input.eventId!;
        // New threads only on events that exist now (replies may go on while an event is
        // deleted: its thread is kept for when it is restored).
        const exists = await readTimelineDoc(deps, timelineId, (doc) => !!readEvent(doc, eventId));
        if (!exists) throw new ValidationError(`eventId: no event ${eventId} in this timeline`);
      }
      if ((await comments.countEventComments(timelineId, eventId)) >= MAX_COMMENTS_PER_EVENT) {
        throw new ValidationError(
          `body: this event already has ${MAX_COMMENTS_PER_EVENT} comments; resolve or delete some`,
        );
      }
      const record = await comments.createComment({
        id: createId(),
        timelineId,
        eventId,
        parentId,
        authorId: actor.id,
        body: input.body,
      });
      await announce(timelineId, eventId);
      return (await summarize([record]))[0]!;
    },

    async updateComment(timelineId, commentId, actor, change) {
      const found = await findComment(timelineId, commentId);
      const patch: Parameters<CommentStore['updateComment']>[1] = {};
      if (change.body !== undefined && change.body !== found.body) {
        if (found.authorId !== actor.id) {
          throw new ForbiddenError('only its author can edit a comment');
        }
        patch.body = change.body;
        patch.editedAt = new Date();
      }
      if (change.resolved !== undefined) {
        if (found.parentId !== null) {
          throw new ValidationError('resolved: only a thread (its first comment) is resolved');
        }
        if (change.resolved && found.resolvedAt === null) {
          patch.resolvedAt = new Date();
          patch.resolvedById = actor.id;
        } else if (!change.resolved && found.resolvedAt !== null) {
          patch.resolvedAt = null;
          patch.resolvedById = null;
        }
      }
      if (Object.keys(patch).length === 0) return (await summarize([found]))[0]!;
      const updated = await comments.updateComment(commentId, patch);
      if (!updated) throw new NotFoundError(`comment ${commentId} not found`);
      await announce(timelineId, found.eventId);
      return (await summarize([updated]))[0]!;
    },

    async deleteComment(timelineId, commentId, actor) {
      const found = await findComment(timelineId, commentId);
      if (found.authorId !== actor.id && !actor.isAdmin) {
        throw new ForbiddenError('only its author or an admin can delete a comment');
      }
      const deleted = await comments.deleteComment(commentId);
      if (deleted === 0) throw new NotFoundError(`comment ${commentId} not found`);
      await announce(timelineId, found.eventId);
      return { deleted };
    },
  };
}

function toSummary(record: CommentRecord, names: Map<string, string>): CommentSummary {
  return {
    id: record.id,
    eventId: record.eventId,
    parentId: record.parentId,
    author: { id: record.authorId, name: names.get(record.authorId) ?? null },
    body: record.body,
    createdAt: record.createdAt.toISOString(),
    editedAt: record.editedAt?.toISOString() ?? null,
    resolvedAt: record.resolvedAt?.toISOString() ?? null,
    resolvedBy: record.resolvedById
      ? { id: record.resolvedById, name: names.get(record.resolvedById) ?? null }
      : null,
  };
}
