/**
 * Version history behind the REST API: snapshots (list, create, read as of then, diff, restore)
 * and the activity log. A restore is applied to the live room as a new change that everyone sees,
 * after a "pre-restore" snapshot of the current state, so it can itself be undone.
 */
import { NotFoundError, ValidationError } from '../../lib/errors';
import { MAX_SNAPSHOT_PAGE } from '../../lib/limits';
import { diffTimelines, type TimelineDiff } from '../../lib/timeline/diff';
import { readTimeline, type TimelineSnapshot } from '../../lib/timeline/model';
import { restoreTimeline } from '../../lib/timeline/restore';
import type { ActivitySummary, SnapshotPage, SnapshotSummary } from '../../lib/timeline/schemas';
import { takeSnapshot } from '../collab/extensions/autoSnapshots';
import type { CollabServer } from '../collab/server';
import type { ActivityRecord, SnapshotCursor, SnapshotRecord, TimelineStore } from '../store/types';
import { docFromUpdates, readTimelineDoc } from './docs';
import { type RateLimiter, SlidingWindowLimiter } from './historyRateLimit';

export interface SnapshotContent extends Pick<TimelineSnapshot, 'lanes' | 'events'> {
  snapshot: SnapshotSummary;
  timeline: { id: string; title: string };
}

export interface HistoryService {
  /** One page of snapshots, newest first; pass the previous page's `nextCursor` for the next. */
  listSnapshots(
    timelineId: string,
    page: { limit: number; cursor?: string },
  ): Promise<SnapshotPage>;
  /**
   * A named snapshot. `requester` identifies the person for the rate limit (NAMED_SNAPSHOT_RATE:
   * 429 above it): an account id, or a share link's id.
   */
  createSnapshot(
    timelineId: string,
    input: { label: string; author?: string; requester: string },
  ): Promise<SnapshotSummary>;
  getSnapshot(timelineId: string, snapshotId: string): Promise<SnapshotContent>;
  /** Changes from the snapshot to `against` ('now' or another snapshot id). */
  diffSnapshot(timelineId: string, snapshotId: string, against: string): Promise<TimelineDiff>;
  restoreSnapshot(
    timelineId: string,
    snapshotId: string,
    input: { author?: string },
  ): Promise<{ restored: SnapshotSummary; backup: SnapshotSummary }>;
  /** Newest first, at most `limit`; with `since`, only entries recorded (or folded into) after it. */
  listActivity(timelineId: string, limit: number, since?: Date): Promise<ActivitySummary[]>;
}

/** Builds the history service; `namedSnapshotLimit` is replaceable for tests. */
export function createHistoryService(deps: {
  store: TimelineStore;
  collab: CollabServer;
  namedSnapshotLimit?: RateLimiter;
}): HistoryService {
  const { store, collab } = deps;
  const namedSnapshotLimit = deps.namedSnapshotLimit ?? new SlidingWindowLimiter();

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
    async listSnapshots(timelineId, { limit, cursor }) {
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SNAPSHOT_PAGE) {
        throw new ValidationError(`limit must be an integer from 1 to ${MAX_SNAPSHOT_PAGE}`);
      }
      const after = cursor === undefined ? undefined : decodeCursor(cursor);
      await assertTimeline(timelineId);
      // One more than asked tells whether a next page exists without a count query.
      const records = await store.listSnapshots(timelineId, { limit: limit + 1, after });
      const page = records.slice(0, limit);
      const last = page.at(-1);
      return {
        snapshots: page.map(toSnapshotSummary),
        nextCursor: records.length > limit && last ? encodeCursor(last) : null,
      };
    },

    async createSnapshot(timelineId, { label, author, requester }) {
      await assertTimeline(timelineId);
      await namedSnapshotLimit.consume(requester, 'named snapshots');
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

    async listActivity(timelineId, limit, since) {
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
        throw new ValidationError('limit must be an integer from 1 to 1000');
      }
      await assertTimeline(timelineId);
      return (await store.listActivity(timelineId, limit, since)).map(toActivitySummary);
    },
  };
}

/** A page cursor: the last snapshot's time (epoch ms) and id. Opaque to clients. */
function encodeCursor(record: SnapshotCursor): string {
  return `${record.createdAt.getTime()}_${record.id}`;
}

function decodeCursor(cursor: string): SnapshotCursor {
  const match = /^(\d{1,15})_([A-Za-z0-9_-]{1,64})$/.exec(cursor);
  if (!match) throw new ValidationError('cursor is not one this server returned');
  return { createdAt: new Date(Number(match[1])), id: match[2]! };
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
    count: record.count,
  };
}
