/**
 * The storage contract of the collaboration server. All Yjs encoding happens on the caller's
 * side: a store only keeps opaque update bytes, in order, per timeline.
 *
 * A document is stored as a compacted state plus an append-only log of updates received after
 * it. Loading = the state followed by the log rows; compaction replaces the state and deletes the
 * merged rows in one transaction.
 */

export interface TimelineRecord {
  id: string;
  title: string;
  eventCount: number;
  createdAt: Date;
  updatedAt: Date;
}

/** Fields of the timeline row kept in step with the document for listing without decoding. */
export interface TimelineSummaryFields {
  title: string;
  eventCount: number;
}

export interface StoredDoc {
  /**
   * Compacted state and the log rows not folded into it, in the order they must be applied
   * (every remaining row: a row that committed late, below the state's bound, is included too).
   */
  updates: Uint8Array[];
  /** Highest id among the log rows included and the state's bound (0n if none). */
  lastUpdateId: bigint;
  /** How many log rows `updates` includes (a compaction that folded them passes it back). */
  logRows?: number;
}

/** How much of a stored document a caller needs. */
export interface LoadOptions {
  /**
   * The caller's document already holds every log row up to this id (it loaded them, or
   * compacted them itself): a compacted state whose bound is not above it holds nothing more
   * (every state is made of log rows), so it is left out of `updates` — for a 100,000-event
   * timeline that is 30 MB not read and seconds of decoding not done. Log rows after the state
   * are returned as usual.
   */
  skipStateUpTo?: bigint;
}

export type SnapshotKind = 'auto' | 'named' | 'pre-restore';

export interface SnapshotRecord {
  id: string;
  timelineId: string;
  kind: SnapshotKind;
  label: string | null;
  author: string | null;
  eventCount: number;
  createdAt: Date;
}

/** Where a page of snapshots starts: strictly older than this one (newest-first order). */
export interface SnapshotCursor {
  createdAt: Date;
  id: string;
}

/** Which snapshots to list; every field narrows the result. */
export interface SnapshotQuery {
  /** At most this many (the store caps nothing itself; callers bound it). */
  limit?: number;
  /** Only snapshots after this one in newest-first order (keyset pagination). */
  after?: SnapshotCursor;
  /** Only snapshots of this kind. */
  kind?: SnapshotKind;
  /** Only snapshots taken strictly before this time. */
  createdBefore?: Date;
}

export type ActivityAction = 'created' | 'updated' | 'deleted' | 'restored';

export interface ActivityRecord {
  id: bigint;
  timelineId: string;
  at: Date;
  actor: string;
  action: ActivityAction;
  eventId: string;
  eventTitle: string;
  fields: string[];
  /**
   * How many events the entry covers: 1, or for a bulk change (one transaction touching many
   * events, such as an import) the number of events; `eventId` and `eventTitle` are then ''.
   */
  count: number;
}

export type ActivityInput = Omit<ActivityRecord, 'id' | 'count'> & { count?: number };

/**
 * A compaction carried a fencing token older than the newest one claimed: another instance took
 * the storage lease meanwhile, and only its writes count.
 */
export class FencedWriteError extends Error {
  override name = 'FencedWriteError';
}

export interface TimelineStore {
  /** Creates a timeline row with its initial document state. */
  createTimeline(
    record: { id: string; title: string; eventCount: number },
    state: Uint8Array,
  ): Promise<void>;
  /** All timelines, most recently edited first. */
  listTimelines(): Promise<TimelineRecord[]>;
  /** One timeline, or null. */
  getTimeline(id: string): Promise<TimelineRecord | null>;
  /**
   * Deletes a timeline with its document, log, snapshots, activity and share links. Returns false
   * if there was no such timeline.
   */
  deleteTimeline(id: string): Promise<boolean>;

  /**
   * Loads a document. Returns null if the timeline does not exist; throws if storage is
   * unreachable or a row is unreadable — callers must then refuse to open the document rather than
   * start from an empty one.
   */
  loadDoc(timelineId: string, options?: LoadOptions): Promise<StoredDoc | null>;
  /**
   * Appends one (possibly merged) update to the log and refreshes the timeline row's summary,
   * in one transaction. Returns the new log row id. Resolves only once the row is committed.
   */
  appendUpdate(
    timelineId: string,
    update: Uint8Array,
    summary: TimelineSummaryFields,
  ): Promise<bigint>;
  /**
   * Replaces the compacted state with `state` and deletes log rows with id <= `upToUpdateId`, in
   * one transaction. `state` must contain every one of those rows. Never moves backwards: a
   * compaction older than the stored one is ignored. With `fence` (several instances), the write
   * is refused with `FencedWriteError` when a newer fencing token was claimed meanwhile.
   *
   * With several instances, another instance's row can get an id below `upToUpdateId` and commit
   * after the caller read the log, so the state would not hold it. `foldedRows` is how many rows
   * the caller read (`StoredDoc.logRows`): once the timeline's row lock has waited for every
   * append in flight (appends take it before their row gets an id), the write is refused with
   * `LateRowsError` if more rows than that lie at or below the bound; the next compaction reads
   * them.
   */
  compact(
    timelineId: string,
    state: Uint8Array,
    upToUpdateId: bigint,
    fence?: bigint,
    foldedRows?: number,
  ): Promise<void>;
  /**
   * Claims the next fencing token of a timeline's storage (several instances: called by the
   * instance that just took the storage lease). Tokens only grow; throws NotFoundError-like
   * errors if the timeline does not exist.
   */
  claimStorageFence(timelineId: string): Promise<bigint>;
  /** Number of log rows not yet compacted (for tests, health and benchmarks). */
  countLogRows(timelineId: string): Promise<number>;

  /** Stores a history snapshot with its full document state (`createdAt` defaults to now). */
  createSnapshot(
    record: Omit<SnapshotRecord, 'createdAt'> & { createdAt?: Date },
    state: Uint8Array,
  ): Promise<SnapshotRecord>;
  /** A timeline's snapshots, newest first (by time, then id), narrowed by `query`. */
  listSnapshots(timelineId: string, query?: SnapshotQuery): Promise<SnapshotRecord[]>;
  /** Deletes the named snapshots of a timeline; returns how many were deleted. */
  deleteSnapshots(timelineId: string, snapshotIds: string[]): Promise<number>;
  /** One snapshot with its state, or null. */
  getSnapshot(
    timelineId: string,
    snapshotId: string,
  ): Promise<{ record: SnapshotRecord; state: Uint8Array } | null>;

  /** Inserts activity entries; returns their ids in order. */
  appendActivity(entries: ActivityInput[]): Promise<bigint[]>;
  /** Replaces the fields and time of an existing entry (folding consecutive edits). */
  updateActivity(
    id: bigint,
    change: { at: Date; fields: string[]; eventTitle: string },
  ): Promise<void>;
  /** A timeline's activity, newest first; with `since`, only entries after that time. */
  listActivity(timelineId: string, limit: number, since?: Date): Promise<ActivityRecord[]>;

  /** Instance-wide settings (e.g. whether the demo was seeded). */
  getSetting(key: string): Promise<string | null>;
  setSetting(key: string, value: string): Promise<void>;
  /**
   * Stores `value` under `key` unless the key exists; true if this call stored it. Atomic across
   * instances sharing the database, so exactly one of them wins a claim.
   */
  claimSetting(key: string, value: string): Promise<boolean>;
  /** Removes a setting (a claim given up). */
  deleteSetting(key: string): Promise<void>;

  /** Checks the storage answers; throws if not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** A compaction refused because log rows it did not read committed at or below its bound. */
export class LateRowsError extends Error {
  override name = 'LateRowsError';
}
