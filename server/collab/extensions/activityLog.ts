/**
 * The activity log of a live room: who created, changed (which fields) or deleted which event,
 * folding bursts of edits by one person into one entry. It observes the document, so it is off
 * the path of an edit reaching others.
 */
import * as Y from 'yjs';
import { getEventsMap } from '../../../lib/timeline/model';
import type { Logger } from '../../log';
import type { ActivityAction, TimelineStore } from '../../store/types';
import { type Extension, isRemoteOrigin, type RoomHandle } from '../extension';

export interface ActivityLogOptions {
  /** Consecutive changes by one person to one event within this window form one entry. */
  activityFoldMs: number;
  /** How often buffered activity is written. */
  activityFlushMs: number;
  /** A transaction touching more events than this is logged as one summarised entry. */
  bulkThreshold: number;
}

/** Events one transaction may touch and still be logged event by event. */
export const ACTIVITY_BULK_THRESHOLD = 20;

interface ActivityDraft {
  id: bigint | null;
  actor: string;
  action: ActivityAction;
  eventId: string;
  eventTitle: string;
  fields: Set<string>;
  /** Events covered: 1, or the size of a bulk change. */
  count: number;
  at: Date;
  /** In `queue`, waiting to be inserted (id null) or updated. */
  queued: boolean;
  /** Failed writes so far; past MAX_ACTIVITY_ATTEMPTS the entry is dropped. */
  attempts: number;
}

interface EventChange {
  action: ActivityAction;
  eventId: string;
  title: string;
  fields: string[];
}

/**
 * Writes of one entry before it is dropped (with an error line). The activity log is a courtesy,
 * not the document: a database that refuses it must not keep a core busy retrying forever.
 */
export const MAX_ACTIVITY_ATTEMPTS = 5;
/** Entries written per flush, so one write stays a short transaction; the rest wait a tick. */
export const MAX_ACTIVITY_BATCH = 200;

/** Records who did what to which event, folding bursts of edits into one entry. */
export class ActivityRecorder {
  /** Entries to write, in order. */
  private queue: ActivityDraft[] = [];
  /** Each person's latest entry per event, which later edits within the window fold into. */
  private readonly latest = new Map<string, ActivityDraft>();
  private readonly titles = new Map<string, string>();
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: TimelineStore,
    private readonly timelineId: string,
    private readonly doc: Y.Doc,
    private readonly resolveActor: (origin: unknown) => string,
    private readonly options: ActivityLogOptions,
    private readonly logger: Logger,
  ) {
    getEventsMap(doc).forEach((map, id) => {
      this.titles.set(id, titleOf(map));
    });
    getEventsMap(doc).observeDeep(this.handleChanges);
    this.timer = setInterval(() => void this.flush(), options.activityFlushMs);
    this.timer.unref();
  }

  /** Writes queued entries. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write()).catch(() => {});
    return this.flushing;
  }

  /** Stops observing the document; writes what is queued unless `write` is false. */
  async stop(write = true): Promise<void> {
    clearInterval(this.timer);
    getEventsMap(this.doc).unobserveDeep(this.handleChanges);
    if (write) await this.flush();
  }

  private readonly handleChanges = (
    events: Y.YEvent<Y.AbstractType<unknown>>[],
    txn: Y.Transaction,
  ) => {
    const actor = this.resolveActor(txn.origin);
    const restore = isRestoreOrigin(txn.origin);
    const eventsMap = getEventsMap(this.doc);
    const changes: EventChange[] = [];
    for (const event of events) {
      if (event.target === eventsMap) {
        for (const [eventId, change] of event.changes.keys) {
          if (change.action === 'delete') {
            const title = this.titles.get(eventId) ?? '';
            changes.push({ action: restore ? 'restored' : 'deleted', eventId, title, fields: [] });
            this.titles.delete(eventId);
          } else {
            const title = titleOf(eventsMap.get(eventId));
            this.titles.set(eventId, title);
            changes.push({ action: restore ? 'restored' : 'created', eventId, title, fields: [] });
          }
        }
        continue;
      }
      const eventId = String(event.path[0] ?? '');
      if (!eventId) continue;
      const map = eventsMap.get(eventId);
      // event.path is [eventId] for a change to the event map's own keys, and
      // [eventId, field, …] for a change inside a field (description text, sources).
      const fields =
        event.path.length === 1
          ? [...(event as Y.YMapEvent<unknown>).keysChanged]
          : [String(event.path[1])];
      const title = titleOf(map);
      this.titles.set(eventId, title);
      changes.push({ action: restore ? 'restored' : 'updated', eventId, title, fields });
    }
    // Another instance's change is recorded there, by the instance its author is connected to;
    // here only the titles above are kept current.
    if (isRemoteOrigin(txn.origin)) return;
    const touched = new Set(changes.map((change) => change.eventId));
    if (touched.size > this.options.bulkThreshold) this.recordBulk(actor, changes);
    else {
      for (const change of changes) {
        this.record(actor, change.action, change.eventId, change.title, change.fields);
      }
    }
  };

  /**
   * One transaction that touched many events (an import, a large restore, deleting a busy lane)
   * becomes one entry per kind of change with the number of events, never one row per event:
   * a 10,000-event import is one row, written at once.
   */
  private recordBulk(actor: string, changes: EventChange[]): void {
    const byAction = new Map<ActivityAction, { events: Set<string>; fields: Set<string> }>();
    for (const change of changes) {
      const group = byAction.get(change.action) ?? { events: new Set(), fields: new Set() };
      group.events.add(change.eventId);
      for (const field of change.fields) group.fields.add(field);
      byAction.set(change.action, group);
    }
    const at = new Date();
    for (const [action, group] of byAction) {
      this.enqueue({
        id: null,
        actor,
        action,
        eventId: '',
        eventTitle: '',
        fields: group.fields,
        count: group.events.size,
        at,
        queued: false,
        attempts: 0,
      });
    }
  }

  private record(
    actor: string,
    action: ActivityAction,
    eventId: string,
    eventTitle: string,
    fields: string[],
  ) {
    const key = `${actor}\u0000${eventId}`;
    const now = new Date();
    const latest = this.latest.get(key);
    // An edit folds into the same person's recent entry for this event: "created" absorbs the
    // edits that follow it, "updated" collects the fields.
    if (
      latest &&
      action === 'updated' &&
      (latest.action === 'updated' || latest.action === 'created') &&
      now.getTime() - latest.at.getTime() < this.options.activityFoldMs
    ) {
      if (latest.action === 'updated') for (const field of fields) latest.fields.add(field);
      latest.eventTitle = eventTitle || latest.eventTitle;
      latest.at = now;
      this.enqueue(latest);
      return;
    }
    const draft: ActivityDraft = {
      id: null,
      actor,
      action,
      eventId,
      eventTitle,
      fields: new Set(fields),
      count: 1,
      at: now,
      queued: false,
      attempts: 0,
    };
    this.latest.set(key, draft);
    this.enqueue(draft);
  }

  private enqueue(draft: ActivityDraft): void {
    if (draft.queued) return;
    draft.queued = true;
    this.queue.push(draft);
  }

  private async write(): Promise<void> {
    const batch = this.queue.slice(0, MAX_ACTIVITY_BATCH);
    if (batch.length === 0) return;
    this.queue = this.queue.slice(batch.length);
    for (const draft of batch) draft.queued = false;
    const inserts = batch.filter((draft) => draft.id === null);
    try {
      const ids = await this.store.appendActivity(
        inserts.map((draft) => ({
          timelineId: this.timelineId,
          at: draft.at,
          actor: draft.actor,
          action: draft.action,
          eventId: draft.eventId,
          eventTitle: draft.eventTitle,
          fields: [...draft.fields].sort(),
          count: draft.count,
        })),
      );
      inserts.forEach((draft, index) => {
        draft.id = ids[index]!;
      });
      for (const draft of batch) {
        if (inserts.includes(draft)) continue;
        await this.store.updateActivity(draft.id!, {
          at: draft.at,
          fields: [...draft.fields].sort(),
          eventTitle: draft.eventTitle,
        });
      }
    } catch (error) {
      // appendActivity is one transaction, so a failed insert wrote nothing and is retried as an
      // insert; drafts that got their id are retried as updates. Each a bounded number of times.
      const retry = batch.filter((draft) => ++draft.attempts < MAX_ACTIVITY_ATTEMPTS);
      const dropped = batch.length - retry.length;
      // A draft folded into meanwhile is already queued again.
      const requeue = retry.filter((draft) => !draft.queued);
      for (const draft of requeue) draft.queued = true;
      this.queue = [...requeue, ...this.queue];
      if (dropped > 0) {
        this.logger.error('dropping activity entries after repeated write failures', {
          timeline: this.timelineId,
          dropped,
          attempts: MAX_ACTIVITY_ATTEMPTS,
          error,
        });
      } else {
        this.logger.warn('writing activity failed; will retry', {
          timeline: this.timelineId,
          error,
        });
      }
      return;
    }
    const cutoff = Date.now() - this.options.activityFoldMs;
    for (const [key, draft] of this.latest) {
      if (!draft.queued && draft.at.getTime() < cutoff) this.latest.delete(key);
    }
    // More than one batch was queued: write the rest now rather than a tick later.
    if (this.queue.length > 0) await this.write();
  }
}

/** Origin of server-side changes made on behalf of someone (direct connections, restore). */
export interface ActorOrigin {
  actor: string;
  restore?: boolean;
}

/** The activity log as a collab extension (one recorder per loaded room). */
export function createActivityLogExtension(
  store: TimelineStore,
  options: ActivityLogOptions,
  logger: Logger,
): Extension {
  const rooms = new Map<RoomHandle, ActivityRecorder>();
  return {
    name: 'activityLog',
    onLoad({ room }) {
      rooms.set(
        room,
        new ActivityRecorder(
          store,
          room.timelineId,
          room.doc,
          (origin) => room.resolveActor(origin),
          options,
          logger,
        ),
      );
    },
    async beforeUnload({ room }) {
      await rooms.get(room)?.flush();
    },
    async onDestroy({ room, persisted }) {
      const recorder = rooms.get(room);
      rooms.delete(room);
      await recorder?.stop(persisted);
    },
  };
}

function isRestoreOrigin(origin: unknown): boolean {
  return typeof origin === 'object' && origin !== null && (origin as ActorOrigin).restore === true;
}

function titleOf(map: unknown): string {
  if (!(map instanceof Y.Map)) return '';
  const title = map.get('title');
  return typeof title === 'string' ? title : '';
}
