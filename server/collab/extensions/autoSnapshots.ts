/**
 * Automatic snapshots of a live room: one after a period of activity, and one when the room
 * unloads if it changed since the last — never two within the minimum spacing, never one whose
 * content equals the newest snapshot's, and old ones thinned after each (see
 * ./autoSnapshotsPolicy.ts and SNAPSHOT_THINNING). Off the path of an edit reaching others.
 */
import type * as Y from 'yjs';
import { createId } from '../../../lib/ids';
import { SNAPSHOT_THINNING } from '../../../lib/limits';
import { countEvents } from '../../../lib/timeline/model';
import type { Logger } from '../../log';
import type { SnapshotKind, SnapshotRecord, TimelineStore } from '../../store/types';
import { encodeDocState } from '../encodedState';
import {
  type Extension,
  type RoomHandle,
  SINGLE_INSTANCE_STORAGE,
  type StorageCoordinator,
} from '../extension';
import {
  fingerprintDoc,
  fingerprintState,
  isSameContent,
  selectSnapshotsToThin,
  waitBeforeAutoSnapshot,
} from './autoSnapshotsPolicy';

export interface AutoSnapshotOptions {
  /** Take an automatic snapshot this long after the first change since the last snapshot. */
  activitySnapshotMs: number;
  /**
   * No automatic snapshot sooner than this after the previous automatic one of the timeline
   * (stored, so it holds across room reloads). Defaults to `activitySnapshotMs`.
   */
  minSpacingMs?: number;
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
    // The same bytes compaction just wrote when the room is unloading (encoded once).
    encodeDocState(doc),
  );
}

/**
 * Thins a timeline's automatic snapshots (SNAPSHOT_THINNING): keeps every one taken within
 * `keepAllMs` of `now`, and of older ones the newest per UTC day. Deletes at most `maxDeletes`
 * rows per call; returns how many it deleted.
 */
export async function thinAutoSnapshots(
  store: TimelineStore,
  timelineId: string,
  now: Date = new Date(),
): Promise<number> {
  const older = await store.listSnapshots(timelineId, {
    kind: 'auto',
    createdBefore: new Date(now.getTime() - SNAPSHOT_THINNING.keepAllMs),
    limit: SNAPSHOT_THINNING.scanLimit,
  });
  return store.deleteSnapshots(timelineId, selectSnapshotsToThin(older));
}

/** What happened to one attempt at an automatic snapshot. */
export type AutoSnapshotOutcome =
  | 'taken'
  | 'unchanged'
  | 'too-soon'
  | 'clean'
  | 'failed'
  | 'not-holder';

/** Takes automatic snapshots of a room's document. */
export class AutoSnapshots {
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;
  /** Fingerprint of the newest stored snapshot, by its id, so it is decoded once. */
  private newest: { id: string; fingerprint: Y.Snapshot } | undefined;

  constructor(
    private readonly store: TimelineStore,
    private readonly timelineId: string,
    private readonly doc: Y.Doc,
    private readonly options: AutoSnapshotOptions,
    private readonly logger: Logger,
    private readonly coordinator: StorageCoordinator = SINGLE_INSTANCE_STORAGE,
  ) {}

  /** Call on every document change. */
  noteChange(): void {
    if (this.dirty) return;
    this.dirty = true;
    this.arm(this.options.activitySnapshotMs);
  }

  /**
   * Snapshots the document if it changed since the last snapshot (activity timer, room emptying,
   * shutdown) — unless its content equals the newest stored snapshot's, or the previous
   * automatic snapshot is younger than the minimum spacing. When too soon and `retry` is set
   * (the room stays loaded), the timer is re-armed for when it is allowed; when the room is
   * going away the attempt is dropped: the edits are in the update log, only this history point
   * is skipped.
   */
  async snapshotIfChanged(retry = false): Promise<AutoSnapshotOutcome> {
    clearTimeout(this.timer);
    if (!this.dirty) return 'clean';
    // Several instances: the holder of the storage lease snapshots (its document has every
    // instance's changes); here the attempt waits for the lease, or is left to the holder.
    if (!this.coordinator.storageRight(this.timelineId)) {
      if (retry) this.arm(this.options.activitySnapshotMs);
      return 'not-holder';
    }
    this.dirty = false;
    try {
      const wait = waitBeforeAutoSnapshot(
        (await this.store.listSnapshots(this.timelineId, { kind: 'auto', limit: 1 }))[0],
        new Date(),
        this.options.minSpacingMs ?? this.options.activitySnapshotMs,
      );
      if (wait > 0) {
        if (retry) {
          this.dirty = true;
          this.arm(wait);
        }
        return 'too-soon';
      }
      const fingerprint = fingerprintDoc(this.doc);
      const newest = await this.fingerprintNewest();
      if (newest && isSameContent(newest, fingerprint)) return 'unchanged';
      const record = await takeSnapshot(this.store, this.timelineId, this.doc, { kind: 'auto' });
      this.newest = { id: record.id, fingerprint };
      await this.thin();
      return 'taken';
    } catch (error) {
      // Not fatal: the edits are in the update log; the next change schedules another try.
      this.dirty = true;
      this.logger.warn('automatic snapshot failed', { timeline: this.timelineId, error });
      return 'failed';
    }
  }

  /** Cancels the pending activity snapshot. */
  stop(): void {
    clearTimeout(this.timer);
  }

  private arm(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.snapshotIfChanged(true), delayMs);
    this.timer.unref();
  }

  /** The newest stored snapshot's fingerprint (any kind: a named one of this state counts). */
  private async fingerprintNewest(): Promise<Y.Snapshot | undefined> {
    const [record] = await this.store.listSnapshots(this.timelineId, { limit: 1 });
    if (!record) return undefined;
    if (this.newest?.id === record.id) return this.newest.fingerprint;
    const found = await this.store.getSnapshot(this.timelineId, record.id);
    if (!found) return undefined;
    this.newest = { id: record.id, fingerprint: fingerprintState(found.state) };
    return this.newest.fingerprint;
  }

  private async thin(): Promise<void> {
    try {
      await thinAutoSnapshots(this.store, this.timelineId);
    } catch (error) {
      // The snapshot is taken; thinning catches up after the next one.
      this.logger.warn('snapshot thinning failed', { timeline: this.timelineId, error });
    }
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
  coordinator: StorageCoordinator = SINGLE_INSTANCE_STORAGE,
): Extension {
  const rooms = new Map<RoomHandle, AutoSnapshots>();
  return {
    name: 'autoSnapshots',
    onLoad({ room }) {
      rooms.set(
        room,
        new AutoSnapshots(store, room.timelineId, room.doc, options, logger, coordinator),
      );
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
