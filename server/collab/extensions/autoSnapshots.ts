/**
 * Automatic snapshots of a live room: one after a period of activity, and one when the room
 * unloads if it changed since the last. Off the path of an edit reaching others.
 */
import * as Y from 'yjs';
import { createId } from '../../../lib/ids';
import { countEvents } from '../../../lib/timeline/model';
import type { Logger } from '../../log';
import type { SnapshotKind, SnapshotRecord, TimelineStore } from '../../store/types';
import type { Extension, RoomHandle } from '../extension';

export interface AutoSnapshotOptions {
  /** Take an automatic snapshot this long after the first change since the last snapshot. */
  activitySnapshotMs: number;
}

/** Writes a snapshot of `doc` now. */
export async function takeSnapshot(
  store: TimelineStore,
  timelineId: string,
  doc: Y.Doc,
  meta: { kind: SnapshotKind; label?: string | null; author?: string | null },
): Promise<SnapshotRecord> {
  return store.createSnapshot(
    {
      id: createId(),
      timelineId,
      kind: meta.kind,
      label: meta.label ?? null,
      author: meta.author ?? null,
      eventCount: countEvents(doc),
    },
    Y.encodeStateAsUpdate(doc),
  );
}

/** Takes automatic snapshots of a room's document. */
export class AutoSnapshots {
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: TimelineStore,
    private readonly timelineId: string,
    private readonly doc: Y.Doc,
    private readonly options: AutoSnapshotOptions,
    private readonly logger: Logger,
  ) {}

  /** Call on every document change. */
  noteChange(): void {
    if (this.dirty) return;
    this.dirty = true;
    this.timer = setTimeout(() => void this.snapshotIfChanged(), this.options.activitySnapshotMs);
    this.timer.unref();
  }

  /** Snapshots the document if it changed since the last snapshot (room emptying, shutdown). */
  async snapshotIfChanged(): Promise<void> {
    clearTimeout(this.timer);
    if (!this.dirty) return;
    this.dirty = false;
    try {
      await takeSnapshot(this.store, this.timelineId, this.doc, { kind: 'auto' });
    } catch (error) {
      // Not fatal: the edits are in the update log; the next change schedules another try.
      this.dirty = true;
      this.logger.warn('automatic snapshot failed', { timeline: this.timelineId, error });
    }
  }

  /** Cancels the pending activity snapshot. */
  stop(): void {
    clearTimeout(this.timer);
  }
}

/**
 * Automatic snapshots as a collab extension: a change arms the activity timer; before an unload
 * (after persistence, so a snapshot never holds unsaved edits) the changed document is snapshotted.
 */
export function createAutoSnapshotsExtension(
  store: TimelineStore,
  options: AutoSnapshotOptions,
  logger: Logger,
): Extension {
  const rooms = new Map<RoomHandle, AutoSnapshots>();
  return {
    name: 'autoSnapshots',
    onLoad({ room }) {
      rooms.set(room, new AutoSnapshots(store, room.timelineId, room.doc, options, logger));
    },
    onUpdate({ room }) {
      rooms.get(room)?.noteChange();
    },
    async beforeUnload({ room }) {
      await rooms.get(room)?.snapshotIfChanged();
    },
    async onDestroy({ room, persisted }) {
      const snapshots = rooms.get(room);
      rooms.delete(room);
      if (!snapshots) return;
      if (persisted) await snapshots.snapshotIfChanged();
      snapshots.stop();
    },
  };
}
