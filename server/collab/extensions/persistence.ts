/**
 * Writes a room's document changes to the store: every update is queued, merged with the others
 * that arrive within `flushDelayMs`, and appended to the update log as one row. A failed write
 * keeps the updates queued and retries with exponential backoff, so a database outage delays
 * persistence but never drops an edit. Compaction folds the log into the stored state.
 */
import * as Y from 'yjs';
import { MAX_UNPERSISTED_BYTES } from '../../../lib/limits';
import { LiveEventCount } from '../../../lib/timeline/eventCount';
import { readMeta } from '../../../lib/timeline/model';
import type { Logger } from '../../log';
import type { TimelineStore } from '../../store/types';
import { encodeDocState } from '../encodedState';
import {
  type Extension,
  isRemoteOrigin,
  RemoteOrigin,
  type RoomHandle,
  SINGLE_INSTANCE_STORAGE,
  type StorageCoordinator,
} from '../extension';
import { spillUpdates } from '../spill';

export interface PersistenceOptions {
  /** How long to gather updates before writing them as one row. */
  flushDelayMs: number;
  /** Compact after this many log rows have been appended since the last compaction. */
  compactEveryRows: number;
  /** Compact at this interval while rows are waiting, even below `compactEveryRows`. */
  compactIntervalMs: number;
  /** Upper bound of the retry backoff. */
  maxRetryDelayMs: number;
  /** Bytes a room may hold unpersisted before it refuses further edits (see lib/limits.ts). */
  maxUnpersistedBytes: number;
}

export const DEFAULT_PERSISTENCE_OPTIONS: PersistenceOptions = {
  // Durability target is < 250 ms from arrival to commit; 25 ms of batching keeps the row count
  // low under bursts of typing while leaving most of that budget to the database.
  flushDelayMs: 25,
  compactEveryRows: 500,
  compactIntervalMs: 5 * 60_000,
  maxRetryDelayMs: 10_000,
  maxUnpersistedBytes: MAX_UNPERSISTED_BYTES,
};

/** The room cannot take more edits until the database accepts the backlog. */
export class StorageBacklogError extends Error {
  override name = 'StorageBacklogError';
}

/** What a commit reports to observers (benchmarks, metrics). */
export interface CommitReport {
  /** `performance.now()` at which each update of the batch reached the server. */
  receivedAt: number[];
  /** `performance.now()` when the row was committed. */
  committedAt: number;
  bytes: number;
}

export class RoomPersistence {
  private queue: Uint8Array[] = [];
  private queueReceivedAt: number[] = [];
  private queuedBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly compactTimer: NodeJS.Timeout;
  private writing: Promise<void> | null = null;
  private failures = 0;
  private rowsSinceCompaction = 0;
  /** Another instance changed the document since the last compaction (several instances). */
  private remoteSinceCompaction = false;
  private compacting: Promise<void> | null = null;
  /** Id of the newest log row whose content is in the document. */
  private lastUpdateId: bigint;
  /**
   * Every log row up to this id is in the document (the rows it was loaded with, or the rows
   * its last compaction merged); rows after it written by other instances may not be.
   */
  private completeUpTo: bigint;
  /** Sequence numbers: every enqueued update gets one; committed = highest written. */
  private enqueuedSeq = 0;
  private committedSeq = 0;
  private waiters: { seq: number; resolve: () => void }[] = [];
  private readonly commitListeners = new Set<(report: CommitReport) => void>();
  private stopped = false;
  /** The timeline row's event count, kept current as the document changes. */
  private readonly eventCount: LiveEventCount;

  constructor(
    private readonly store: TimelineStore,
    private readonly timelineId: string,
    private readonly doc: Y.Doc,
    lastUpdateId: bigint,
    private readonly options: PersistenceOptions,
    private readonly logger: Logger,
    private readonly coordinator: StorageCoordinator = SINGLE_INSTANCE_STORAGE,
  ) {
    this.lastUpdateId = lastUpdateId;
    this.completeUpTo = lastUpdateId;
    this.compactTimer = setInterval(() => {
      if (this.rowsSinceCompaction > 0 || this.remoteSinceCompaction) {
        void this.compact().catch(() => {});
      }
    }, options.compactIntervalMs);
    this.compactTimer.unref();
    this.eventCount = new LiveEventCount(doc);
  }

  /** Bytes received but not yet committed to the store. */
  get unpersistedBytes(): number {
    return this.queuedBytes;
  }

  /** True while the last write failed and the queue is waiting for a retry. */
  get degraded(): boolean {
    return this.failures > 0;
  }

  /** True when the unpersisted backlog has reached its bound: the room must refuse new edits. */
  get full(): boolean {
    return this.queuedBytes >= this.options.maxUnpersistedBytes;
  }

  /** Updates queued for writing (for shutdown spill files). */
  get pendingUpdates(): Uint8Array[] {
    return [...this.queue];
  }

  /** Observes every commit (for benchmarks and metrics); returns a function that stops it. */
  onCommit(listener: (report: CommitReport) => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  /**
   * Queues an update for the next write. `receivedAt` is when its message reached the server
   * (`performance.now()`), so time spent waiting for the event loop is counted too.
   */
  enqueue(update: Uint8Array, receivedAt = performance.now()): void {
    this.queue.push(update);
    this.queueReceivedAt.push(receivedAt);
    this.queuedBytes += update.byteLength;
    this.enqueuedSeq++;
    this.schedule(this.options.flushDelayMs);
  }

  /**
   * Notes a change another instance received (and logs): the log grows without this instance's
   * rows, so the periodic compaction must still run here if this instance holds the lease.
   */
  noteRemoteChange(): void {
    this.remoteSinceCompaction = true;
  }

  /**
   * Resolves once every update enqueued before this call is committed. Waits through failures
   * and retries: it resolves only when the data is really in the database.
   */
  whenPersisted(): Promise<void> {
    const seq = this.enqueuedSeq;
    if (this.committedSeq >= seq) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ seq, resolve }));
  }

  /**
   * Writes everything queued so far. Resolves once it is committed; rejects if the write failed
   * (the updates stay queued and a retry is scheduled).
   */
  async flush(): Promise<void> {
    while (this.writing) await this.writing.catch(() => {});
    if (this.queue.length === 0) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queue;
    const receivedAt = this.queueReceivedAt;
    const batchBytes = this.queuedBytes;
    const batchSeq = this.enqueuedSeq;
    this.queue = [];
    this.queueReceivedAt = [];
    this.queuedBytes = 0;
    const update = batch.length === 1 ? batch[0]! : Y.mergeUpdates(batch);
    const write = this.store
      .appendUpdate(this.timelineId, update, {
        title: readMeta(this.doc).title,
        eventCount: this.eventCount.value,
      })
      .then(
        (id) => {
          if (id > this.lastUpdateId) this.lastUpdateId = id;
          if (this.failures > 0) {
            this.logger.info('persistence recovered', { timeline: this.timelineId });
          }
          this.failures = 0;
          this.rowsSinceCompaction++;
          this.markCommitted(batchSeq, {
            receivedAt,
            committedAt: performance.now(),
            bytes: batchBytes,
          });
          if (this.rowsSinceCompaction >= this.options.compactEveryRows) {
            void this.compact().catch(() => {});
          }
        },
        (error: unknown) => {
          // Put the batch back in front of anything that arrived meanwhile: order is kept.
          this.queue = [update, ...this.queue];
          // One arrival time per original update (the updates are now one merged entry).
          this.queueReceivedAt = receivedAt.concat(this.queueReceivedAt);
          this.queuedBytes += batchBytes;
          this.failures++;
          const delay = Math.min(this.options.maxRetryDelayMs, 100 * 2 ** this.failures);
          this.logger.warn('persisting updates failed; will retry', {
            timeline: this.timelineId,
            attempt: this.failures,
            retryInMs: delay,
            unpersistedBytes: this.queuedBytes,
            error,
          });
          this.schedule(delay);
          throw error;
        },
      );
    this.writing = write;
    try {
      await write;
    } finally {
      this.writing = null;
    }
    if (this.queue.length > 0) this.schedule(this.options.flushDelayMs);
  }

  /**
   * Writes the whole document as the new compacted state and removes the log rows it contains.
   * Flushes first, so the state includes every row up to the bound. Does nothing when the store
   * holds no log rows of the timeline and this room appended none since its last compaction.
   *
   * With several instances only the holder of the timeline's storage lease compacts (others just
   * flush), and it first merges the stored state and log into its document: rows other instances
   * appended may hold updates that never reached it through Redis, and compaction deletes rows.
   * The write carries the lease's fencing token, so a holder that lost its lease is refused.
   */
  async compact(): Promise<void> {
    if (this.compacting) return this.compacting;
    this.compacting = (async () => {
      await this.flush();
      const right = this.coordinator.storageRight(this.timelineId);
      if (!right) return;
      // Nothing to fold (the room was only read, or compacted already): rewriting the whole
      // state would cost a full encode and write of the document for nothing. The log in the
      // store is what counts, since other instances append to it too.
      if (
        this.rowsSinceCompaction === 0 &&
        !this.remoteSinceCompaction &&
        (await this.store.countLogRows(this.timelineId)) === 0
      ) {
        return;
      }
      let upTo = this.lastUpdateId;
      // With several instances: how many log rows the state folds (the store refuses the write
      // if a row another instance committed late lies below the bound; see TimelineStore.compact).
      let foldedRows: number | undefined;
      if (this.coordinator.shared) {
        // A stored state no newer than what this document holds whole adds nothing: only the
        // rows after it are read (decoding a 100,000-event state takes seconds and 600 MB).
        const stored = await this.store.loadDoc(this.timelineId, {
          skipStateUpTo: this.completeUpTo,
        });
        if (!stored) return;
        const origin = new RemoteOrigin('log');
        Y.transact(
          this.doc,
          () => {
            for (const update of stored.updates) Y.applyUpdate(this.doc, update);
          },
          origin,
        );
        if (stored.lastUpdateId > upTo) upTo = stored.lastUpdateId;
        foldedRows = stored.logRows;
      }
      const state = encodeDocState(this.doc);
      await this.store.compact(this.timelineId, state, upTo, right.fence, foldedRows);
      if (upTo > this.completeUpTo) this.completeUpTo = upTo;
      this.rowsSinceCompaction = 0;
      this.remoteSinceCompaction = false;
    })();
    try {
      await this.compacting;
    } finally {
      this.compacting = null;
    }
  }

  /** Stops scheduling writes (after a final flush by the caller). */
  stop(): void {
    this.eventCount.destroy();
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.compactTimer);
    this.timer = undefined;
  }

  private markCommitted(seq: number, report: CommitReport): void {
    this.committedSeq = seq;
    const ready = this.waiters.filter((waiter) => waiter.seq <= seq);
    this.waiters = this.waiters.filter((waiter) => waiter.seq > seq);
    for (const waiter of ready) waiter.resolve();
    for (const listener of this.commitListeners) {
      try {
        listener(report);
      } catch (error) {
        // An observer must never turn a committed write into a failed flush.
        this.logger.warn('commit listener failed', { timeline: this.timelineId, error });
      }
    }
  }

  private schedule(delayMs: number): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush().catch(() => {
        /* logged above; retry already scheduled */
      });
    }, delayMs);
  }
}

/** The persistence extension, with a way for benchmarks and tests to observe a room's writes. */
export interface PersistenceExtension extends Extension {
  /** The persistence of a loaded room, or undefined once it is unloaded. */
  roomPersistence(timelineId: string): RoomPersistence | undefined;
}

/**
 * Persistence as a collab extension: loads nothing itself (the registry reads the store), queues
 * every update synchronously, refuses edits past the backlog bound, compacts before an idle room
 * unloads, and at shutdown retries until the deadline, then saves what is left to `spillDir`.
 */
export function createPersistenceExtension(
  store: TimelineStore,
  options: PersistenceOptions & { spillDir?: string; coordinator?: StorageCoordinator },
  logger: Logger,
): PersistenceExtension {
  const rooms = new Map<RoomHandle, RoomPersistence>();
  return {
    name: 'persistence',
    onLoad({ room, stored }) {
      rooms.set(
        room,
        new RoomPersistence(
          store,
          room.timelineId,
          room.doc,
          stored.lastUpdateId,
          options,
          logger,
          options.coordinator,
        ),
      );
    },
    beforeUpdate({ room }) {
      if (rooms.get(room)?.full) {
        throw new StorageBacklogError(
          'the server holds too many unsaved edits while the database is unavailable',
        );
      }
    },
    onUpdate({ room, update, origin, receivedAt }) {
      // Each instance logs the updates it received; another instance's arrive already logged.
      if (isRemoteOrigin(origin)) rooms.get(room)?.noteRemoteChange();
      else rooms.get(room)?.enqueue(update, receivedAt);
    },
    async beforeUnload({ room, reason, deadline }) {
      const persistence = rooms.get(room);
      if (!persistence) return;
      if (reason === 'idle') await persistence.compact();
      else await flushForShutdown(room.timelineId, persistence, deadline, options.spillDir, logger);
    },
    onDestroy({ room }) {
      rooms.get(room)?.stop();
      rooms.delete(room);
    },
    whenPersisted: (room) => rooms.get(room)?.whenPersisted() ?? Promise.resolve(),
    health() {
      let unpersistedBytes = 0;
      let degraded = false;
      for (const persistence of rooms.values()) {
        unpersistedBytes += persistence.unpersistedBytes;
        degraded ||= persistence.degraded;
      }
      return degraded
        ? {
            unpersistedBytes,
            degraded: 'writes to the database are failing; edits are held in memory and retried',
          }
        : { unpersistedBytes };
    },
    roomPersistence(timelineId) {
      for (const [room, persistence] of rooms)
        if (room.timelineId === timelineId) return persistence;
      return undefined;
    },
  };
}

/**
 * Writes a room's queue, retrying until `deadline`, then compacts. Whatever could not be written
 * is saved to a spill file (recovered at the next start) and the returned promise rejects, so the
 * extensions after this one do not write to a database that is down.
 */
async function flushForShutdown(
  timelineId: string,
  persistence: RoomPersistence,
  deadline: number,
  spillDir: string | undefined,
  logger: Logger,
): Promise<void> {
  for (;;) {
    try {
      await persistence.flush();
      break;
    } catch (error) {
      const left = deadline - performance.now();
      if (left > 0) {
        await new Promise((resolve) => setTimeout(resolve, Math.min(250, left)));
        continue;
      }
      const pending = persistence.pendingUpdates;
      if (pending.length > 0 && spillDir) {
        const file = await spillUpdates(spillDir, timelineId, pending);
        logger.error('database unavailable at shutdown; saved unwritten edits to a file', {
          timeline: timelineId,
          file,
        });
      } else if (pending.length > 0) {
        logger.error('database unavailable at shutdown; unwritten edits are lost', {
          timeline: timelineId,
          bytes: persistence.unpersistedBytes,
        });
      }
      throw error;
    }
  }
  await persistence.compact().catch((error: unknown) => {
    // The log already holds everything; compaction can wait for the next start.
    logger.warn('compaction at shutdown failed', { timeline: timelineId, error });
  });
}
