/**
 * Collaboration extensions: what a room does besides syncing (persistence, automatic snapshots,
 * the activity log, later an awareness guard or a Redis fan-out) plugs into a room's life through
 * these hooks. Extensions are server-wide objects; per-room state lives in the extension, keyed by
 * the room. They are registered once, at start-up, in `createDefaultExtensions` (./extensions);
 * the awareness guard (./extensions/awarenessGuard.ts) is always first, added by the server.
 *
 * Hook order (every hook runs for each extension in registration order):
 * 1. `onLoad` — the stored document is in `room.doc`, no connection yet. Awaited one after the
 *    other; a throw fails the load (nothing is cached, the caller gets the error).
 * 2. `onConnect` — a websocket or direct connection joined. Not awaited; a throw is logged.
 * 3. `beforeUpdate` — synchronous, before a client's update is applied; a throw refuses it (the
 *    sender is closed, e.g. StorageBacklogError). Server-side `transact` does not call it.
 * 4. `onUpdate` — synchronous, inside the document's update event, before the update is relayed:
 *    never await here (durability latency, bench/durability.ts). A throw is logged.
 * 5. `filterAwareness` — synchronous, before a client's awareness update is applied: returns the
 *    update to apply instead (entries dropped or rewritten) or null to drop it whole; each
 *    extension gets the previous one's result. A throw refuses the message (the sender is closed).
 *    `onAwareness` — synchronous, after an awareness change is applied, before it is relayed.
 * 6. `onDisconnect`, then `onEmpty` when the last connection left. Not awaited; throws logged.
 * 7. `beforeUnload` — after the room stayed empty for `idleMs` (reason 'idle') or at shutdown
 *    (reason 'shutdown', with a deadline). Awaited in order; a throw stops the chain: when idle the
 *    room stays loaded and is retried later, at shutdown later extensions are skipped.
 * 8. `onDestroy` — the room is dropped (`persisted` is false when a shutdown's `beforeUnload`
 *    failed: do not write then). Awaited in order; a throw is logged. Then the document is freed.
 * Queries: `whenPersisted(room)` (all extensions' promises), `health()` (summed by the server).
 */
import type * as awarenessProtocol from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { PresenceRole } from '../../lib/presence';
import type { Logger } from '../log';
import type { StoredDoc } from '../store/types';

/**
 * Origin of a change that did not come from one of this instance's connections: another
 * instance's update relayed through Redis, or log rows another instance wrote, merged before a
 * compaction. Such a change is applied and relayed to local connections, but this instance neither
 * appends it to the update log (its receiver did) nor records it as anyone's activity.
 */
export class RemoteOrigin {
  constructor(readonly source: string) {}
}

/** Whether a change came from another instance or the log (see RemoteOrigin). */
export function isRemoteOrigin(origin: unknown): origin is RemoteOrigin {
  return origin instanceof RemoteOrigin;
}

/**
 * Who may write a document's compacted state and automatic snapshots. With one instance, that
 * instance (no fence). With several (REDIS_URL), the one holding the timeline's storage lease,
 * with the fencing token it claimed; `null` means "not this instance, now": skip the write.
 */
export interface StorageCoordinator {
  storageRight(timelineId: string): { fence?: bigint } | null;
  /** True when several instances may hold the same room (compaction then merges the log first). */
  readonly shared: boolean;
}

/** The coordinator of a single instance: it always may store, without a fence. */
export const SINGLE_INSTANCE_STORAGE: StorageCoordinator = {
  storageRight: () => ({}),
  shared: false,
};

/** What a room needs from a connection; a websocket in ./server.ts, or a direct connection. */
export interface RoomConnection {
  send(message: Uint8Array): void;
  /** A read-only connection's document updates are never applied, relayed or stored. */
  readonly readOnly: boolean;
  /** The account behind the connection, recorded as the author of its edits. */
  readonly actor?: string;
  /**
   * Identifies the account behind the connection (not set for share links, which many people
   * share): its connections may take over each other's presence (the awareness guard).
   */
  readonly principal?: string;
  /** The role behind the grant, stamped on the connection's presence (lib/presence.ts). */
  readonly role?: PresenceRole;
  /** True for server code holding the room through `openDirect` (no socket). */
  readonly direct?: boolean;
}

/** The part of a room extensions see. */
export interface RoomHandle {
  readonly timelineId: string;
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  readonly connectionCount: number;
  /** The display name behind a change origin (see Room.resolveActor). */
  resolveActor(origin: unknown): string;
}

export interface LoadContext {
  room: RoomHandle;
  stored: StoredDoc;
}

export interface ConnectionContext {
  room: RoomHandle;
  connection: RoomConnection;
}

export interface UpdateContext {
  room: RoomHandle;
  update: Uint8Array;
  origin: unknown;
  /** The connection the update came from (websocket or direct), if any. */
  connection?: RoomConnection;
  /** `performance.now()` when the update's message reached the server. */
  receivedAt: number;
}

export interface AwarenessFilterContext {
  room: RoomHandle;
  connection: RoomConnection;
  /** The awareness update as the client sent it (or as the previous extension rewrote it). */
  update: Uint8Array;
}

export interface AwarenessContext {
  room: RoomHandle;
  changes: { added: number[]; updated: number[]; removed: number[] };
  origin: unknown;
  connection?: RoomConnection;
}

export interface UnloadContext {
  room: RoomHandle;
  reason: 'idle' | 'shutdown';
  /** `performance.now()` by which a shutdown must be done. */
  deadline: number;
}

export interface DestroyContext {
  room: RoomHandle;
  /** False when the room is dropped without its data having been written (shutdown in outage). */
  persisted: boolean;
}

export interface ExtensionHealth {
  unpersistedBytes?: number;
  /** Why the extension cannot do its job right now, if it cannot. */
  degraded?: string;
}

/** A collaboration extension: a name and any of the hooks, see the order above. */
export interface Extension {
  readonly name: string;
  onLoad?(context: LoadContext): Promise<void> | void;
  onConnect?(context: ConnectionContext): Promise<void> | void;
  beforeUpdate?(context: ConnectionContext): void;
  onUpdate?(context: UpdateContext): void;
  filterAwareness?(context: AwarenessFilterContext): Uint8Array | null;
  onAwareness?(context: AwarenessContext): void;
  onDisconnect?(context: ConnectionContext): Promise<void> | void;
  onEmpty?(context: { room: RoomHandle }): Promise<void> | void;
  beforeUnload?(context: UnloadContext): Promise<void>;
  onDestroy?(context: DestroyContext): Promise<void> | void;
  /** Resolves once every change this extension saw in the room so far is durable. */
  whenPersisted?(room: RoomHandle): Promise<void>;
  health?(): ExtensionHealth;
}

type NotifyHook = 'onConnect' | 'onDisconnect' | 'onEmpty' | 'onDestroy';
type SyncHook = 'onUpdate' | 'onAwareness';

/** Calls the registered extensions' hooks in their documented order and error policy. */
export class ExtensionRunner {
  constructor(
    readonly extensions: readonly Extension[],
    private readonly logger: Logger,
  ) {}

  /** Runs `onLoad` hooks one after the other; rethrows the first failure. */
  async load(context: LoadContext): Promise<void> {
    for (const extension of this.extensions) await extension.onLoad?.(context);
  }

  /** Runs `beforeUpdate` hooks; a throw propagates and refuses the update. */
  checkUpdate(context: ConnectionContext): void {
    for (const extension of this.extensions) extension.beforeUpdate?.(context);
  }

  /**
   * Passes a client's awareness update through every `filterAwareness` hook in order; null when
   * one dropped it. A throw propagates and refuses the message.
   */
  filterAwareness(context: AwarenessFilterContext): Uint8Array | null {
    let update: Uint8Array | null = context.update;
    for (const extension of this.extensions) {
      if (!extension.filterAwareness) continue;
      update = extension.filterAwareness({ ...context, update });
      if (update === null) return null;
    }
    return update;
  }

  /** Runs synchronous hooks (`onUpdate`, `onAwareness`), logging and skipping failures. */
  runSync<K extends SyncHook>(hook: K, context: Parameters<NonNullable<Extension[K]>>[0]): void {
    for (const extension of this.extensions) {
      const run = extension[hook] as ((context: unknown) => void) | undefined;
      if (!run) continue;
      try {
        run.call(extension, context);
      } catch (error) {
        this.logFailure(extension, hook, context.room, error);
      }
    }
  }

  /** Starts notification hooks without awaiting them; failures are logged. */
  notify<K extends NotifyHook>(hook: K, context: Parameters<NonNullable<Extension[K]>>[0]): void {
    void this.settle(hook, context);
  }

  /** Runs a notification hook of every extension in order, awaiting each; failures are logged. */
  async settle<K extends NotifyHook>(
    hook: K,
    context: Parameters<NonNullable<Extension[K]>>[0],
  ): Promise<void> {
    for (const extension of this.extensions) {
      const run = extension[hook] as ((context: unknown) => Promise<void> | void) | undefined;
      if (!run) continue;
      try {
        // Synchronous hooks (the awareness guard's) add no microtask, so adding one does not
        // reorder the later extensions' onDisconnect against onEmpty.
        const result = run.call(extension, context);
        if (result instanceof Promise) await result;
      } catch (error) {
        this.logFailure(extension, hook, context.room, error);
      }
    }
  }

  /** Runs `beforeUnload` hooks in order; the first failure stops the chain and is rethrown. */
  async beforeUnload(context: UnloadContext): Promise<void> {
    for (const extension of this.extensions) await extension.beforeUnload?.(context);
  }

  /** Resolves once every extension reports the room's changes so far durable. */
  async whenPersisted(room: RoomHandle): Promise<void> {
    await Promise.all(this.extensions.map((extension) => extension.whenPersisted?.(room)));
  }

  /** Sums the extensions' health: unpersisted bytes, and the first reason for degradation. */
  health(): { unpersistedBytes: number; degraded?: string } {
    let unpersistedBytes = 0;
    let degraded: string | undefined;
    for (const extension of this.extensions) {
      const report = extension.health?.();
      unpersistedBytes += report?.unpersistedBytes ?? 0;
      degraded ??= report?.degraded;
    }
    return degraded === undefined ? { unpersistedBytes } : { unpersistedBytes, degraded };
  }

  private logFailure(extension: Extension, hook: string, room: RoomHandle, error: unknown) {
    this.logger.warn('collab extension hook failed', {
      extension: extension.name,
      hook,
      timeline: room.timelineId,
      error,
    });
  }
}
