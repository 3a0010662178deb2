import type { Database } from '../db/database';
import type {
  ActivityAction,
  ActivityRecord,
  SnapshotKind,
  SnapshotRecord,
  StoredDoc,
  TimelineRecord,
  TimelineStore,
  TimelineSummaryFields,
} from './types';
import { FencedWriteError } from './types';

/** TimelineStore backed by Prisma (PostgreSQL or PGlite). */
export function createPrismaStore(database: Database): TimelineStore {
  const { prisma } = database;
  const timelineFields = {
    id: true,
    title: true,
    eventCount: true,
    createdAt: true,
    updatedAt: true,
  } as const;

  return {
    async createTimeline(record, state) {
      await prisma.timeline.create({
        data: {
          id: record.id,
          title: record.title,
          eventCount: record.eventCount,
          state: { create: { state: toBytes(state), lastUpdateId: 0n } },
        },
      });
    },

    async listTimelines(): Promise<TimelineRecord[]> {
      return prisma.timeline.findMany({ select: timelineFields, orderBy: { updatedAt: 'desc' } });
    },

    async getTimeline(id) {
      return prisma.timeline.findUnique({ where: { id }, select: timelineFields });
    },

    async deleteTimeline(id) {
      // The schema cascades to the state, log, snapshots, activity and share links.
      const { count } = await prisma.timeline.deleteMany({ where: { id } });
      return count > 0;
    },

    async loadDoc(timelineId): Promise<StoredDoc | null> {
      // One snapshot read: the state and the log rows after it must be consistent with each other.
      return prisma.$transaction(
        async (tx) => {
          const timeline = await tx.timeline.findUnique({
            where: { id: timelineId },
            select: { id: true, state: { select: { state: true, lastUpdateId: true } } },
          });
          if (!timeline) return null;
          const base = timeline.state?.lastUpdateId ?? 0n;
          const rows = await tx.docUpdate.findMany({
            where: { timelineId, id: { gt: base } },
            orderBy: { id: 'asc' },
            select: { id: true, data: true },
          });
          const updates: Uint8Array[] = [];
          if (timeline.state) updates.push(timeline.state.state);
          for (const row of rows) updates.push(row.data);
          return { updates, lastUpdateId: rows.length > 0 ? rows[rows.length - 1]!.id : base };
        },
        { isolationLevel: 'RepeatableRead' },
      );
    },

    async appendUpdate(timelineId, update, summary: TimelineSummaryFields) {
      const [row] = await prisma.$transaction([
        prisma.docUpdate.create({
          data: { timelineId, data: toBytes(update) },
          select: { id: true },
        }),
        prisma.timeline.update({
          where: { id: timelineId },
          data: { title: summary.title, eventCount: summary.eventCount, updatedAt: new Date() },
          select: { id: true },
        }),
      ]);
      return row.id;
    },

    async compact(timelineId, state, upToUpdateId, fence) {
      await prisma.$transaction(async (tx) => {
        if (fence !== undefined) {
          // The row lock taken here also orders this write after a concurrent claim.
          const { count } = await tx.timeline.updateMany({
            where: { id: timelineId, storageFence: { lte: fence } },
            data: { storageFence: fence },
          });
          if (count === 0) {
            throw new FencedWriteError(
              `compaction of ${timelineId} refused: fencing token ${fence} is stale`,
            );
          }
        }
        const current = await tx.docState.findUnique({
          where: { timelineId },
          select: { lastUpdateId: true },
        });
        if (current && current.lastUpdateId > upToUpdateId) return;
        await tx.docState.upsert({
          where: { timelineId },
          create: { timelineId, state: toBytes(state), lastUpdateId: upToUpdateId },
          update: { state: toBytes(state), lastUpdateId: upToUpdateId, updatedAt: new Date() },
        });
        await tx.docUpdate.deleteMany({ where: { timelineId, id: { lte: upToUpdateId } } });
      });
    },

    async claimStorageFence(timelineId) {
      const row = await prisma.timeline.update({
        where: { id: timelineId },
        data: { storageFence: { increment: 1 } },
        select: { storageFence: true },
      });
      return row.storageFence;
    },

    async countLogRows(timelineId) {
      return prisma.docUpdate.count({ where: { timelineId } });
    },

    async createSnapshot(record, state) {
      const row = await prisma.timelineSnapshot.create({
        data: { ...record, state: toBytes(state) },
        select: snapshotFields,
      });
      return toSnapshotRecord(row);
    },

    async listSnapshots(timelineId, query = {}) {
      const { after, kind, createdBefore, limit } = query;
      const rows = await prisma.timelineSnapshot.findMany({
        where: {
          timelineId,
          ...(kind ? { kind } : {}),
          ...(createdBefore ? { createdAt: { lt: createdBefore } } : {}),
          ...(after
            ? {
                OR: [
                  { createdAt: { lt: after.createdAt } },
                  { createdAt: after.createdAt, id: { lt: after.id } },
                ],
              }
            : {}),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        select: snapshotFields,
        ...(limit !== undefined ? { take: limit } : {}),
      });
      return rows.map(toSnapshotRecord);
    },

    async deleteSnapshots(timelineId, snapshotIds) {
      if (snapshotIds.length === 0) return 0;
      const { count } = await prisma.timelineSnapshot.deleteMany({
        where: { timelineId, id: { in: snapshotIds } },
      });
      return count;
    },

    async getSnapshot(timelineId, snapshotId) {
      const row = await prisma.timelineSnapshot.findFirst({
        where: { id: snapshotId, timelineId },
        select: { ...snapshotFields, state: true },
      });
      return row ? { record: toSnapshotRecord(row), state: row.state } : null;
    },

    async appendActivity(entries) {
      if (entries.length === 0) return [];
      const rows = await prisma.$transaction(
        entries.map((entry) => prisma.activityEntry.create({ data: entry, select: { id: true } })),
      );
      return rows.map((row) => row.id);
    },

    async updateActivity(id, change) {
      await prisma.activityEntry.update({ where: { id }, data: change });
    },

    async listActivity(timelineId, limit, since): Promise<ActivityRecord[]> {
      const rows = await prisma.activityEntry.findMany({
        where: since ? { timelineId, at: { gt: since } } : { timelineId },
        orderBy: { id: 'desc' },
        take: limit,
      });
      return rows.map((row) => ({ ...row, action: row.action as ActivityAction }));
    },

    async getSetting(key) {
      const row = await prisma.appSetting.findUnique({ where: { key } });
      return row?.value ?? null;
    },

    async setSetting(key, value) {
      await prisma.appSetting.upsert({ where: { key }, create: { key, value }, update: { value } });
    },
    async claimSetting(key, value) {
      // INSERT … ON CONFLICT DO NOTHING: of concurrent claims, one inserts the row.
      const { count } = await prisma.appSetting.createMany({
        data: [{ key, value }],
        skipDuplicates: true,
      });
      return count === 1;
    },
    async deleteSetting(key) {
      await prisma.appSetting.deleteMany({ where: { key } });
    },

    async ping() {
      await prisma.$queryRaw`SELECT 1`;
    },

    close: () => database.close(),
  };
}

const snapshotFields = {
  id: true,
  timelineId: true,
  kind: true,
  label: true,
  author: true,
  eventCount: true,
  createdAt: true,
} as const;

function toSnapshotRecord(row: Omit<SnapshotRecord, 'kind'> & { kind: string }): SnapshotRecord {
  return {
    id: row.id,
    timelineId: row.timelineId,
    kind: row.kind as SnapshotKind,
    label: row.label,
    author: row.author,
    eventCount: row.eventCount,
    createdAt: row.createdAt,
  };
}

/** Prisma's Bytes fields want a Uint8Array backed by a plain ArrayBuffer. */
function toBytes(data: Uint8Array): Uint8Array<ArrayBuffer> {
  return data.buffer instanceof ArrayBuffer
    ? (data as Uint8Array<ArrayBuffer>)
    : new Uint8Array(data);
}
