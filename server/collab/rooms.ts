/**
 * Room lifecycle: a room is loaded from the store when its first connection arrives, shared by
 * every later one, and — once empty for `idleMs` — handed to the extensions' `beforeUnload`
 * (flush, compaction, final snapshot) and dropped from memory. A load that fails is not cached
 * and opens nothing, so a storage error can never become an empty document that is then written
 * over the stored one.
 */
import type * as Y from 'yjs';
import type { Logger } from '../log';
import type { StoredDoc, TimelineStore } from '../store/types';
import type { ExtensionRunner } from './extension';
import { Room } from './room';

export interface RoomRegistryOptions {
  /** How long an empty room stays in memory (reconnects within it skip a reload). */
  idleMs: number;
  /**
   * How long a big room whose stored rows were handed to its newcomers waits before applying
   * them (see `load`); 0 applies them at once. Default `DEFER_LOAD_MS`.
   */
  deferLoadMs?: number;
}

/**
 * A room of at least `DEFER_LOAD_ABOVE_BYTES` stored bytes, opened by connections only, is applied
 * this long (ms) after its rows were read, unless something needs it sooner (`hurry`).
 *
 * Why: its newcomers are sent the stored rows as soon as they are read (`answerFromStored`), and
 * applying them here is hundreds of ms of this process's time (about 0.7 s at 10,000 events on a
 * 2-core machine, much of it garbage collection) — exactly while the same newcomer's browser
 * fetches the page's scripts from this process. Meanwhile nothing waits for the room: the
 * newcomer has the document, its presence and later messages are queued in order (a write, or a
 * request the rows cannot answer, hurries the load), and a server-side writer (an import, a
 * restore) hurries it when it asks.
 */
export const DEFER_LOAD_MS = 1_500;
const DEFER_LOAD_ABOVE_BYTES = 256 * 1024;

/** Told a loading room's stored rows, before the room is ready (see `RoomRegistry.acquire`). */
export type StoredListener = (stored: StoredDoc) => void;

interface Loading {
  room: Promise<Room | null>;
  stored: StoredDoc | null;
  listeners: Set<StoredListener>;
  /** Something needs the room now: it is applied without waiting (see `DEFER_LOAD_MS`). */
  hurried: boolean;
  /** Ends the wait before applying, while there is one. */
  endWait: (() => void) | null;
}

export class RoomRegistry {
  /**
   * Rooms being loaded: the load, the stored rows once read (null before), and who asked for
   * them. A room's rows are known a while before the room is ready (applying 100,000 events
   * takes seconds), and a newcomer with nothing can be sent them meanwhile.
   */
  private readonly loading = new Map<string, Loading>();
  private readonly rooms = new Map<string, Room>();
  private readonly idleTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly store: TimelineStore,
    private readonly options: RoomRegistryOptions,
    private readonly extensions: ExtensionRunner,
    private readonly logger: Logger,
  ) {}

  /** Loaded rooms (for health and tests). */
  get loadedRooms(): Room[] {
    return [...this.rooms.values()];
  }

  /**
   * Returns the room of a timeline, loading it if needed. Resolves to null if the timeline does
   * not exist; rejects if storage failed (nothing is cached, the next call tries again).
   */
  async acquire(timelineId: string, onStored?: StoredListener): Promise<Room | null> {
    this.cancelIdle(timelineId);
    const loaded = this.rooms.get(timelineId);
    if (loaded) return loaded;
    let loading = this.loading.get(timelineId);
    if (!loading) {
      const started: Loading = {
        room: Promise.resolve(null),
        stored: null,
        listeners: new Set(),
        hurried: false,
        endWait: null,
      };
      started.room = this.load(timelineId, started).finally(() => this.loading.delete(timelineId));
      this.loading.set(timelineId, started);
      loading = started;
    }
    if (onStored) {
      if (loading.stored) onStored(loading.stored);
      else loading.listeners.add(onStored);
    } else {
      this.hurry(timelineId); // a server-side caller: it needs the room itself
    }
    return loading.room;
  }

  /**
   * A connection waiting for a loading room has a message the stored rows cannot answer (a
   * write, a request from a client that has part of the document): apply them now.
   */
  hurry(timelineId: string): void {
    const loading = this.loading.get(timelineId);
    if (!loading) return;
    loading.hurried = true;
    loading.endWait?.();
  }

  /** Call when a connection left a room: an empty room is unloaded after `idleMs`. */
  release(room: Room): void {
    if (room.connectionCount > 0 || this.rooms.get(room.timelineId) !== room) return;
    this.cancelIdle(room.timelineId);
    this.idleTimers.set(
      room.timelineId,
      setTimeout(() => {
        this.idleTimers.delete(room.timelineId);
        void this.unload(room);
      }, this.options.idleMs),
    );
  }

  /** A loaded room, or null (never loads one). */
  peekRoom(timelineId: string): Room | null {
    return this.rooms.get(timelineId) ?? null;
  }

  /** The live document of a loaded room, or null if nobody has it open. */
  peekDoc(timelineId: string): Y.Doc | null {
    return this.rooms.get(timelineId)?.doc ?? null;
  }

  /**
   * Drops a timeline's room without writing anything (the timeline was deleted): its unsaved
   * updates and pending writes are abandoned rather than retried against missing rows.
   */
  async discard(timelineId: string): Promise<void> {
    this.cancelIdle(timelineId);
    this.hurry(timelineId);
    await this.loading.get(timelineId)?.room.catch(() => null);
    const room = this.rooms.get(timelineId);
    if (!room) return;
    this.rooms.delete(timelineId);
    await room.destroy(false);
  }

  /**
   * Persists every room and drops them all (for shutdown). The extensions' `beforeUnload` runs
   * with a deadline `timeoutMs` away (persistence retries until then, then saves what is left to
   * a spill file), so a shutdown during a database outage loses nothing.
   */
  async closeAll(options: { timeoutMs: number }): Promise<void> {
    for (const timer of this.idleTimers.values()) clearTimeout(timer);
    this.idleTimers.clear();
    for (const timelineId of this.loading.keys()) this.hurry(timelineId);
    await Promise.allSettled([...this.loading.values()].map((loading) => loading.room));
    const deadline = performance.now() + options.timeoutMs;
    await Promise.all([...this.rooms.values()].map((room) => this.shutdownRoom(room, deadline)));
  }

  private async shutdownRoom(room: Room, deadline: number): Promise<void> {
    let persisted = true;
    try {
      await this.extensions.beforeUnload({ room, reason: 'shutdown', deadline });
    } catch (error) {
      persisted = false;
      this.logger.warn('room could not be persisted at shutdown', {
        timeline: room.timelineId,
        error,
      });
    }
    this.rooms.delete(room.timelineId);
    await room.destroy(persisted);
  }

  private async load(timelineId: string, loading: Loading): Promise<Room | null> {
    const started = performance.now();
    const stored = await this.store.loadDoc(timelineId);
    if (!stored) return null;
    this.tellStored(timelineId, loading, stored);
    await this.waitBeforeApplying(loading, stored);
    const room = await Room.load(timelineId, stored, this.extensions, this.logger);
    try {
      await this.extensions.load({ room, stored });
    } catch (error) {
      // Nothing was cached; extensions that did load are told the room is gone, unwritten.
      await room.destroy(false);
      throw error;
    }
    this.rooms.set(timelineId, room);
    this.logger.debug('room loaded', {
      timeline: timelineId,
      updates: stored.updates.length,
      ms: Math.round(performance.now() - started),
    });
    return room;
  }

  private async unload(room: Room): Promise<void> {
    try {
      await this.extensions.beforeUnload({
        room,
        reason: 'idle',
        deadline: Number.POSITIVE_INFINITY,
      });
    } catch (error) {
      // Keep the room (and its unsaved updates) in memory; persistence keeps retrying.
      this.logger.warn('could not persist room before unloading; keeping it in memory', {
        timeline: room.timelineId,
        error,
      });
      this.release(room);
      return;
    }
    // Someone may have joined while we were writing.
    if (room.connectionCount > 0) return;
    if (this.rooms.get(room.timelineId) === room) this.rooms.delete(room.timelineId);
    await room.destroy(true);
    this.logger.debug('room unloaded', { timeline: room.timelineId });
  }

  /** Waits `deferLoadMs` before a big room's rows are applied, or until `hurry` (see DEFER_LOAD_MS). */
  private waitBeforeApplying(loading: Loading, stored: StoredDoc): Promise<void> {
    const waitMs = this.options.deferLoadMs ?? DEFER_LOAD_MS;
    const bytes = stored.updates.reduce((sum, update) => sum + update.byteLength, 0);
    if (loading.hurried || waitMs <= 0 || bytes < DEFER_LOAD_ABOVE_BYTES) return Promise.resolve();
    return new Promise((resolve) => {
      const end = () => {
        clearTimeout(timer);
        loading.endWait = null;
        resolve();
      };
      const timer = setTimeout(end, waitMs);
      loading.endWait = end;
    });
  }

  /** Hands the stored rows to the connections waiting for the room (and to later ones). */
  private tellStored(timelineId: string, loading: Loading, stored: StoredDoc): void {
    loading.stored = stored;
    for (const listener of loading.listeners) {
      try {
        listener(stored);
      } catch (error) {
        this.logger.warn('answering from the stored document failed', {
          timeline: timelineId,
          error,
        });
      }
    }
    loading.listeners.clear();
  }

  private cancelIdle(timelineId: string): void {
    const timer = this.idleTimers.get(timelineId);
    if (timer) {
      clearTimeout(timer);
      this.idleTimers.delete(timelineId);
    }
  }
}
