/**
 * Knows which local edits the server has committed to its database, using Chronoboard's
 * acknowledgement extension of the y-websocket protocol: the client sends `[4, token]` after
 * its updates, the server answers `[4, token]` once everything it had received up to that query
 * is committed. Messages on one websocket are ordered, so an answer covers every local change
 * made before the query was sent on that connection.
 *
 * Pure bookkeeping: sending, timers and storage are injected, so it runs (and is tested) without
 * a browser or a socket. `connection.ts` wires it to the provider.
 */
import { encodePersistedMessage, PERSISTED_MESSAGE_TYPE } from '@/lib/persistedMessage';

export { PERSISTED_MESSAGE_TYPE };

/** The query the tracker sends: `[4, token]`. */
export const encodePersistedQuery = encodePersistedMessage;

export interface SaveTrackerOptions {
  /** Changes left unsaved by an earlier session (e.g. edits made offline before a reload). */
  carriedOver?: number;
  /**
   * Sends a query with `token` on the current connection, after every update sent so far.
   * Returns false when there is no open connection to send it on.
   */
  sendQuery: (token: number) => boolean;
  /** How long local changes are gathered so that one query covers a burst (typing). */
  batchMs?: number;
  /** Called whenever the number of unsaved changes changes. */
  onChange?: (unsaved: number) => void;
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export class SaveTracker {
  /** Local changes made in this session, numbered 1, 2, … */
  private changeSeq = 0;
  /** Every change with a sequence number up to this is committed on the server. */
  private savedSeq = 0;
  /** Unsaved changes inherited from an earlier session, cleared by the first ack after a sync. */
  private carriedOver: number;
  private nextToken = 1;
  /** Outstanding queries on the current connection: token → what its answer covers. */
  private readonly pending = new Map<number, { seq: number; carriedOver: boolean }>();
  /** Whether the current connection has synced (its sync step 2 is sent), so queries may go. */
  private connected = false;
  private timer: unknown;
  private destroyed = false;
  private readonly listeners = new Set<(unsaved: number) => void>();
  private readonly batchMs: number;
  private readonly setTimer: (callback: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(private readonly options: SaveTrackerOptions) {
    const carried = options.carriedOver ?? 0;
    this.carriedOver = Number.isFinite(carried) ? Math.max(0, Math.floor(carried)) : 0;
    this.batchMs = options.batchMs ?? 80;
    this.setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
    this.clearTimer =
      options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  }

  /** Local changes not yet confirmed as committed by the server. */
  get unsaved(): number {
    return this.changeSeq - this.savedSeq + this.carriedOver;
  }

  /** Tokens of the queries still waiting for an answer (for tests and debugging). */
  get pendingTokens(): number[] {
    return [...this.pending.keys()];
  }

  /** Listens to changes of `unsaved`; returns the unsubscribe function. */
  subscribe = (listener: (unsaved: number) => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** One local transaction changed the document. */
  localChange(): void {
    if (this.destroyed) return;
    this.changeSeq++;
    this.emit();
    // Offline changes are covered by the query sent after the next sync.
    if (this.connected && this.timer === undefined) {
      this.timer = this.setTimer(() => {
        this.timer = undefined;
        this.query(false);
      }, this.batchMs);
    }
  }

  /**
   * The connection has synced: the client's own sync step 2 (with every change the server
   * lacked, including those made offline or in an earlier session) has been sent.
   */
  synced(): void {
    if (this.destroyed) return;
    this.connected = true;
    this.cancelTimer();
    this.query(true);
  }

  /** The connection is gone: its outstanding queries will never be answered. */
  disconnected(): void {
    this.connected = false;
    this.cancelTimer();
    this.pending.clear();
  }

  /** The server answered `token`: everything that query covered is committed. */
  ack(token: number): void {
    if (this.destroyed || !this.pending.has(token)) return;
    const before = this.unsaved;
    // Answers arrive in order on one connection, so the earlier queries are answered too.
    for (const [t, covered] of this.pending) {
      if (t > token) continue;
      this.pending.delete(t);
      if (covered.seq > this.savedSeq) this.savedSeq = covered.seq;
      if (covered.carriedOver) this.carriedOver = 0;
    }
    if (this.unsaved !== before) this.emit();
  }

  destroy(): void {
    this.destroyed = true;
    this.disconnected();
    this.listeners.clear();
  }

  private query(coversCarriedOver: boolean): void {
    // Nothing to confirm: no query, unless a sync must clear what an earlier session left.
    if (this.changeSeq === this.savedSeq && (this.carriedOver === 0 || !coversCarriedOver)) return;
    const token = this.nextToken++;
    this.pending.set(token, { seq: this.changeSeq, carriedOver: coversCarriedOver });
    if (!this.options.sendQuery(token)) this.pending.delete(token);
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) {
      this.clearTimer(this.timer);
      this.timer = undefined;
    }
  }

  private emit(): void {
    const unsaved = this.unsaved;
    this.options.onChange?.(unsaved);
    for (const listener of this.listeners) listener(unsaved);
  }
}
