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
  /** Compacted state and log rows after it, in the order they must be applied. */
  updates: Uint8Array[];
  /** Id of the last log row included in `updates` (0n if none): the bound for compaction. */
  lastUpdateId: bigint;
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
   * Loads a document. Returns null if the timeline does not exist; throws if storage is
   * unreachable or a row is unreadable — callers must then refuse to open the document rather than
   * start from an empty one.
   */
  loadDoc(timelineId: string): Promise<StoredDoc | null>;
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
   * compaction older than the stored one is ignored.
   */
  compact(timelineId: string, state: Uint8Array, upToUpdateId: bigint): Promise<void>;
  /** Number of log rows not yet compacted (for tests, health and benchmarks). */
  countLogRows(timelineId: string): Promise<number>;

  /** Instance-wide settings (e.g. whether the demo was seeded). */
  getSetting(key: string): Promise<string | null>;
  setSetting(key: string, value: string): Promise<void>;

  /** Checks the storage answers; throws if not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
