/**
 * Dashboard visits: when each account last opened a timeline's dashboard, so the dashboard can
 * mark what changed since. Recording a visit returns the previous one in the same transaction,
 * so two tabs opened at once each get a consistent "since".
 */
import { NotFoundError } from '../../lib/errors';
import type { Database } from '../db/database';

export interface VisitService {
  /** The account's last visit of the timeline's dashboard, or null if never. */
  lastVisit(userId: string, timelineId: string): Promise<Date | null>;
  /** Records a visit now; returns the one before it (null for the first). */
  recordVisit(
    userId: string,
    timelineId: string,
  ): Promise<{ previousVisitAt: Date | null; visitedAt: Date }>;
}

export function createVisitService(database: Pick<Database, 'prisma'>): VisitService {
  const { prisma } = database;
  return {
    async lastVisit(userId, timelineId) {
      const row = await prisma.dashboardVisit.findUnique({
        where: { userId_timelineId: { userId, timelineId } },
      });
      if (!row && !(await prisma.timeline.findUnique({ where: { id: timelineId } }))) {
        throw new NotFoundError(`timeline ${timelineId} not found`);
      }
      return row?.visitedAt ?? null;
    },
    async recordVisit(userId, timelineId) {
      return prisma.$transaction(async (tx) => {
        if (!(await tx.timeline.findUnique({ where: { id: timelineId } }))) {
          throw new NotFoundError(`timeline ${timelineId} not found`);
        }
        const key = { userId_timelineId: { userId, timelineId } };
        const previous = await tx.dashboardVisit.findUnique({ where: key });
        const visitedAt = new Date();
        await tx.dashboardVisit.upsert({
          where: key,
          create: { userId, timelineId, visitedAt },
          update: { visitedAt },
        });
        return { previousVisitAt: previous?.visitedAt ?? null, visitedAt };
      });
    },
  };
}
