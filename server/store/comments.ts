/**
 * Comment storage: the rows of the `Comment` table (prisma/schema.prisma) and the names of their
 * authors. Separate from the TimelineStore because comments have nothing to do with the collab
 * server's document storage (the in-memory store of the collab tests has no use for them).
 */
import type { Database } from '../db/database';

export interface CommentRecord {
  id: string;
  timelineId: string;
  eventId: string;
  /** The thread's root; null for a root. */
  parentId: string | null;
  authorId: string;
  body: string;
  createdAt: Date;
  editedAt: Date | null;
  resolvedAt: Date | null;
  resolvedById: string | null;
}

export type NewComment = Pick<
  CommentRecord,
  'id' | 'timelineId' | 'eventId' | 'parentId' | 'authorId' | 'body'
>;

/** Per event: threads not resolved, and comments in all (roots and replies). */
export interface EventCommentCount {
  open: number;
  total: number;
}

export interface CommentStore {
  /** Inserts a comment (`createdAt` now). */
  createComment(comment: NewComment): Promise<CommentRecord>;
  /** One comment of a timeline, or null (also when it belongs to another timeline). */
  getComment(timelineId: string, commentId: string): Promise<CommentRecord | null>;
  /** A timeline's comments, or one event's, oldest first. */
  listComments(timelineId: string, eventId?: string): Promise<CommentRecord[]>;
  /** Counts per event id; events without comments are absent. */
  countComments(timelineId: string): Promise<Map<string, EventCommentCount>>;
  /** How many comments (roots and replies) one event has. */
  countEventComments(timelineId: string, eventId: string): Promise<number>;
  /** Changes a comment's text and/or resolution; null if it no longer exists. */
  updateComment(
    commentId: string,
    change: Partial<Pick<CommentRecord, 'body' | 'editedAt' | 'resolvedAt' | 'resolvedById'>>,
  ): Promise<CommentRecord | null>;
  /** Deletes a comment (a root with its replies); returns how many rows went. */
  deleteComment(commentId: string): Promise<number>;
  /** Account names by id; removed accounts are absent. */
  namesOf(userIds: readonly string[]): Promise<Map<string, string>>;
}

/** CommentStore backed by Prisma (PostgreSQL or PGlite). */
export function createPrismaCommentStore(database: Database): CommentStore {
  const { prisma } = database;
  return {
    async createComment(comment) {
      return prisma.comment.create({ data: comment });
    },

    async getComment(timelineId, commentId) {
      return prisma.comment.findFirst({ where: { id: commentId, timelineId } });
    },

    async listComments(timelineId, eventId) {
      return prisma.comment.findMany({
        where: { timelineId, ...(eventId !== undefined ? { eventId } : {}) },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      });
    },

    async countComments(timelineId) {
      const [all, open] = await Promise.all([
        prisma.comment.groupBy({ by: ['eventId'], where: { timelineId }, _count: { _all: true } }),
        prisma.comment.groupBy({
          by: ['eventId'],
          where: { timelineId, parentId: null, resolvedAt: null },
          _count: { _all: true },
        }),
      ]);
      const counts = new Map<string, EventCommentCount>();
      for (const row of all) counts.set(row.eventId, { open: 0, total: row._count._all });
      for (const row of open) {
        const count = counts.get(row.eventId);
        if (count) count.open = row._count._all;
      }
      return counts;
    },

    async countEventComments(timelineId, eventId) {
      return prisma.comment.count({ where: { timelineId, eventId } });
    },

    async updateComment(commentId, change) {
      // updateMany: a comment deleted meanwhile is "not found", not an exception.
      const { count } = await prisma.comment.updateMany({ where: { id: commentId }, data: change });
      if (count === 0) return null;
      return prisma.comment.findUnique({ where: { id: commentId } });
    },

    async deleteComment(commentId) {
      // Replies go with their root (ON DELETE CASCADE); count them first to report them.
      return prisma.$transaction(async (tx) => {
        const replies = await tx.comment.count({ where: { parentId: commentId } });
        const { count } = await tx.comment.deleteMany({ where: { id: commentId } });
        return count === 0 ? 0 : count + replies;
      });
    },

    async namesOf(userIds) {
      if (userIds.length === 0) return new Map();
      const rows = await prisma.user.findMany({
        where: { id: { in: [...new Set(userIds)] } },
        select: { id: true, name: true },
      });
      return new Map(rows.map((row) => [row.id, row.name]));
    },
  };
}
