import type {
  ActivityInput,
  ActivityRecord,
  LoadOptions,
  SnapshotCursor,
  SnapshotQuery,
  SnapshotRecord,
  StoredDoc,
  TimelineRecord,
  TimelineStore,
} from './types';
import { FencedWriteError, LateRowsError } from './types';

/**
 * TimelineStore kept in memory, with the same semantics as the Prisma one. For fast tests and
 * benchmarks of the collaboration layer; never used to serve users.
 */
export function createMemoryStore(): TimelineStore & { failing: boolean } {
  const timelines = new Map<string, TimelineRecord>();
  const states = new Map<string, { state: Uint8Array; lastUpdateId: bigint }>();
  const logs = new Map<string, { id: bigint; data: Uint8Array }[]>();
  const fences = new Map<string, bigint>();
  const settings = new Map<string, string>();
  const snapshots: { record: SnapshotRecord; state: Uint8Array }[] = [];
  const activity: ActivityRecord[] = [];
  let nextId = 1n;

  const store = {
    /** When true, every call fails as if the database were unreachable. */
    failing: false,

    async createTimeline(
      record: { id: string; title: string; eventCount: number },
      state: Uint8Array,
    ) {
      check();
      if (timelines.has(record.id)) throw new Error(`timeline ${record.id} already exists`);
      const now = new Date();
      timelines.set(record.id, { ...record, createdAt: now, updatedAt: now });
      states.set(record.id, { state, lastUpdateId: 0n });
      logs.set(record.id, []);
    },
    async listTimelines() {
      check();
      return [...timelines.values()].sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime());
    },
    async getTimeline(id: string) {
      check();
      return timelines.get(id) ?? null;
    },
    async deleteTimeline(id: string) {
      check();
      if (!timelines.delete(id)) return false;
      states.delete(id);
      logs.delete(id);
      for (let i = snapshots.length - 1; i >= 0; i--) {
        if (snapshots[i]!.record.timelineId === id) snapshots.splice(i, 1);
      }
      for (let i = activity.length - 1; i >= 0; i--) {
        if (activity[i]!.timelineId === id) activity.splice(i, 1);
      }
      return true;
    },
    async loadDoc(timelineId: string, options?: LoadOptions): Promise<StoredDoc | null> {
      check();
      if (!timelines.has(timelineId)) return null;
      const base = states.get(timelineId);
      // Every remaining row (see prismaStore.loadDoc).
      const rows = logs.get(timelineId) ?? [];
      const skip =
        base !== undefined &&
        options?.skipStateUpTo !== undefined &&
        base.lastUpdateId <= options.skipStateUpTo;
      return {
        updates: [...(base && !skip ? [base.state] : []), ...rows.map((row) => row.data)],
        lastUpdateId: [base?.lastUpdateId ?? 0n, ...rows.map((row) => row.id)].reduce((a, b) =>
          a > b ? a : b,
        ),
        logRows: rows.length,
      };
    },
    async appendUpdate(
      timelineId: string,
      update: Uint8Array,
      summary: { title: string; eventCount: number },
    ) {
      check();
      const timeline = timelines.get(timelineId);
      if (!timeline) throw new Error(`timeline ${timelineId} not found`);
      const id = nextId++;
      logs.get(timelineId)!.push({ id, data: update.slice() });
      timelines.set(timelineId, { ...timeline, ...summary, updatedAt: new Date() });
      return id;
    },
    async compact(
      timelineId: string,
      state: Uint8Array,
      upToUpdateId: bigint,
      fence?: bigint,
      foldedRows?: number,
    ) {
      check();
      const below = (logs.get(timelineId) ?? []).filter((row) => row.id <= upToUpdateId).length;
      if (foldedRows !== undefined && below > foldedRows) {
        throw new LateRowsError(
          `compaction of ${timelineId} refused: ${below - foldedRows} log row(s) committed at or below its bound after it read the log`,
        );
      }
      if (fence !== undefined) {
        if ((fences.get(timelineId) ?? 0n) > fence) {
          throw new FencedWriteError(
            `compaction of ${timelineId} refused: fencing token ${fence} is stale`,
          );
        }
        fences.set(timelineId, fence);
      }
      const current = states.get(timelineId);
      if (current && current.lastUpdateId > upToUpdateId) return;
      states.set(timelineId, { state: state.slice(), lastUpdateId: upToUpdateId });
      logs.set(
        timelineId,
        (logs.get(timelineId) ?? []).filter((row) => row.id > upToUpdateId),
      );
    },
    async claimStorageFence(timelineId: string) {
      check();
      const next = (fences.get(timelineId) ?? 0n) + 1n;
      fences.set(timelineId, next);
      return next;
    },
    async countLogRows(timelineId: string) {
      check();
      return logs.get(timelineId)?.length ?? 0;
    },
    async createSnapshot(
      record: Omit<SnapshotRecord, 'createdAt'> & { createdAt?: Date },
      state: Uint8Array,
    ) {
      check();
      const full = { ...record, createdAt: record.createdAt ?? new Date() };
      snapshots.push({ record: full, state: state.slice() });
      return full;
    },
    async listSnapshots(timelineId: string, query: SnapshotQuery = {}) {
      check();
      const { after, kind, createdBefore, limit } = query;
      const found = snapshots
        .map((s) => s.record)
        .filter(
          (r) =>
            r.timelineId === timelineId &&
            (!kind || r.kind === kind) &&
            (!createdBefore || r.createdAt < createdBefore) &&
            (!after || compareNewestFirst(r, after) > 0),
        )
        .sort(compareNewestFirst);
      return limit === undefined ? found : found.slice(0, limit);
    },
    async deleteSnapshots(timelineId: string, snapshotIds: string[]) {
      check();
      const doomed = new Set(snapshotIds);
      let deleted = 0;
      for (let i = snapshots.length - 1; i >= 0; i--) {
        const record = snapshots[i]!.record;
        if (record.timelineId === timelineId && doomed.has(record.id)) {
          snapshots.splice(i, 1);
          deleted++;
        }
      }
      return deleted;
    },
    async getSnapshot(timelineId: string, snapshotId: string) {
      check();
      return (
        snapshots.find((s) => s.record.id === snapshotId && s.record.timelineId === timelineId) ??
        null
      );
    },
    async appendActivity(entries: ActivityInput[]) {
      check();
      return entries.map((entry) => {
        const id = nextId++;
        activity.push({ ...entry, count: entry.count ?? 1, id });
        return id;
      });
    },
    async updateActivity(id: bigint, change: { at: Date; fields: string[]; eventTitle: string }) {
      check();
      const entry = activity.find((e) => e.id === id);
      if (entry) Object.assign(entry, change);
    },
    async listActivity(timelineId: string, limit: number, since?: Date) {
      check();
      return activity
        .filter((e) => e.timelineId === timelineId && (!since || e.at > since))
        .sort((a, b) => (a.id < b.id ? 1 : -1))
        .slice(0, limit);
    },
    async getSetting(key: string) {
      check();
      return settings.get(key) ?? null;
    },
    async setSetting(key: string, value: string) {
      check();
      settings.set(key, value);
    },
    async claimSetting(key: string, value: string) {
      check();
      if (settings.has(key)) return false;
      settings.set(key, value);
      return true;
    },
    async deleteSetting(key: string) {
      check();
      settings.delete(key);
    },
    async ping() {
      check();
    },
    async close() {},
  };

  /** Negative when `a` comes before `b` in newest-first order (time, then id, like Prisma). */
  function compareNewestFirst(a: SnapshotCursor, b: SnapshotCursor): number {
    const byTime = b.createdAt.getTime() - a.createdAt.getTime();
    return byTime !== 0 ? byTime : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
  }

  function check(): void {
    if (store.failing) throw new Error('memory store: simulated storage outage');
  }
  return store;
}
