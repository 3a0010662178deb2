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
}

/** Told a loading room's stored rows, before the room is ready (see `RoomRegistry.acquire`). */
export type StoredListener = (stored: StoredDoc) => void;

export class RoomRegistry {
  private readonly loading = new Map<string, Promise<Room | null>>();
  private readonly rooms = new Map<string, Room>();
  private readonly idleTimers = new Map<string, NodeJS.Timeout>();
  /**
   * Rooms being loaded: their stored rows once read (null before), and who asked for them. A
   * room's rows are known a while before the room is ready (applying 100,000 events takes
   * seconds), and a newcomer with nothing can be sent them meanwhile.
   */
  private readonly storedWhileLoading = new Map<
    string,
    { doc: StoredDoc | null; listeners: Set<StoredListener> }
  >();

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
    let pending = this.loading.get(timelineId);
    if (!pending) {
      pending = this.load(timelineId).finally(() => {
        this.loading.delete(timelineId);
        this.storedWhileLoading.delete(timelineId);
      });
      this.loading.set(timelineId, pending);
    }
    if (onStored) {
      const stored = this.storedWhileLoading.get(timelineId);
      if (stored?.doc) onStored(stored.doc);
      else if (stored) stored.listeners.add(onStored);
      else this.storedWhileLoading.set(timelineId, { doc: null, listeners: new Set([onStored]) });
    }
    return pending;
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
    await this.loading.get(timelineId)?.catch(() => null);
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
    await Promise.allSettled([...this.loading.values()]);
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

  private async load(timelineId: string): Promise<Room | null> {
    const started = performance.now();
    const stored = await this.store.loadDoc(timelineId);
    if (!stored) return null;
    this.tellStored(timelineId, stored);
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

  /** Hands the stored rows to the connections waiting for the room (and to later ones). */
  private tellStored(timelineId: string, stored: StoredDoc): void {
    const waiting = this.storedWhileLoading.get(timelineId);
    this.storedWhileLoading.set(timelineId, { doc: stored, listeners: new Set() });
    for (const listener of waiting?.listeners ?? []) {
      try {
        listener(stored);
      } catch (error) {
        this.logger.warn('answering from the stored document failed', {
          timeline: timelineId,
          error,
        });
      }
    }
  }

  private cancelIdle(timelineId: string): void {
    const timer = this.idleTimers.get(timelineId);
    if (timer) {
      clearTimeout(timer);
      this.idleTimers.delete(timelineId);
    }
  }
}
