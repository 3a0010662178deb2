/**
 * Version history behind the REST API: snapshots (list, create, read as of then, diff, restore)
 * and the activity log. A restore is applied to the live room as a new change that everyone sees,
 * after a "pre-restore" snapshot of the current state, so it can itself be undone.
 */
import { NotFoundError, ValidationError } from '../../lib/errors';
import { diffTimelines, type TimelineDiff } from '../../lib/timeline/diff';
import { readTimeline, type TimelineSnapshot } from '../../lib/timeline/model';
import { restoreTimeline } from '../../lib/timeline/restore';
import type { ActivitySummary, SnapshotSummary } from '../../lib/timeline/schemas';
import { takeSnapshot } from '../collab/extensions/autoSnapshots';
import type { CollabServer } from '../collab/server';
import type { ActivityRecord, SnapshotRecord, TimelineStore } from '../store/types';
import { docFromUpdates, readTimelineDoc } from './docs';

export interface SnapshotContent extends Pick<TimelineSnapshot, 'lanes' | 'events'> {
  snapshot: SnapshotSummary;
  timeline: { id: string; title: string };
}

export interface HistoryService {
  listSnapshots(timelineId: string): Promise<SnapshotSummary[]>;
  createSnapshot(
    timelineId: string,
    input: { label: string; author?: string },
  ): Promise<SnapshotSummary>;
  getSnapshot(timelineId: string, snapshotId: string): Promise<SnapshotContent>;
  /** Changes from the snapshot to `against` ('now' or another snapshot id). */
  diffSnapshot(timelineId: string, snapshotId: string, against: string): Promise<TimelineDiff>;
  restoreSnapshot(
    timelineId: string,
    snapshotId: string,
    input: { author?: string },
  ): Promise<{ restored: SnapshotSummary; backup: SnapshotSummary }>;
  listActivity(timelineId: string, limit: number): Promise<ActivitySummary[]>;
}

export function createHistoryService(deps: {
  store: TimelineStore;
  collab: CollabServer;
}): HistoryService {
  const { store, collab } = deps;

  async function assertTimeline(timelineId: string): Promise<void> {
    if (!(await store.getTimeline(timelineId)))
      throw new NotFoundError(`timeline ${timelineId} not found`);
  }

  async function loadSnapshot(timelineId: string, snapshotId: string) {
    await assertTimeline(timelineId);
    const found = await store.getSnapshot(timelineId, snapshotId);
    if (!found) throw new NotFoundError(`snapshot ${snapshotId} not found`);
    const doc = docFromUpdates([found.state]);
    try {
      return { record: found.record, content: readTimeline(doc) };
    } finally {
      doc.destroy();
    }
  }

  return {
    async listSnapshots(timelineId) {
      await assertTimeline(timelineId);
      return (await store.listSnapshots(timelineId)).map(toSnapshotSummary);
    },

    async createSnapshot(timelineId, { label, author }) {
      await assertTimeline(timelineId);
      const record = await readTimelineDoc(deps, timelineId, (doc) =>
        takeSnapshot(store, timelineId, doc, { kind: 'named', label, author: author ?? null }),
      );
      return toSnapshotSummary(record);
    },

    async getSnapshot(timelineId, snapshotId) {
      const { record, content } = await loadSnapshot(timelineId, snapshotId);
      return {
        snapshot: toSnapshotSummary(record),
        timeline: { id: timelineId, title: content.meta.title },
        lanes: content.lanes,
        events: content.events,
      };
    },

    async diffSnapshot(timelineId, snapshotId, against) {
      const before = await loadSnapshot(timelineId, snapshotId);
      const after =
        against === 'now'
          ? await readTimelineDoc(deps, timelineId, readTimeline)
          : (await loadSnapshot(timelineId, against)).content;
      return diffTimelines(before.content, after);
    },

    async restoreSnapshot(timelineId, snapshotId, { author }) {
      const { record, content } = await loadSnapshot(timelineId, snapshotId);
      const actor = author ?? 'Anonymous';
      const direct = await collab.openDirect(timelineId, actor);
      try {
        const when = record.createdAt.toISOString().slice(0, 16).replace('T', ' ');
        const backup = await takeSnapshot(store, timelineId, direct.doc, {
          kind: 'pre-restore',
          // Only analysts' names are quoted: quoting automatic labels would nest on every undo.
          label: `Before restoring ${record.kind === 'named' && record.label ? `“${record.label}”` : `the version of ${when} UTC`}`,
          author: actor,
        });
        // restoreTimeline's own transaction joins this one, so it carries the actor.
        direct.transact((doc) => restoreTimeline(doc, content), { restore: true });
        // Answer only once the restore is in the database.
        await direct.whenPersisted();
        return { restored: toSnapshotSummary(record), backup: toSnapshotSummary(backup) };
      } finally {
        direct.release();
      }
    },

    async listActivity(timelineId, limit) {
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
        throw new ValidationError('limit must be an integer from 1 to 1000');
      }
      await assertTimeline(timelineId);
      return (await store.listActivity(timelineId, limit)).map(toActivitySummary);
    },
  };
}

function toSnapshotSummary(record: SnapshotRecord): SnapshotSummary {
  return {
    id: record.id,
    kind: record.kind,
    label: record.label,
    author: record.author,
    eventCount: record.eventCount,
    createdAt: record.createdAt.toISOString(),
  };
}

function toActivitySummary(record: ActivityRecord): ActivitySummary {
  return {
    id: String(record.id),
    at: record.at.toISOString(),
    actor: record.actor,
    action: record.action,
    eventId: record.eventId,
    eventTitle: record.eventTitle,
    fields: record.fields,
  };
}
