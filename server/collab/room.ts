/**
 * One live timeline: its Y.Doc, the awareness of the people in it, and their connections.
 * Updates from one connection are applied, relayed to the others and queued for persistence.
 */
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { MAX_AWARENESS_BYTES } from '../../lib/limits';
import type { Logger } from '../log';
import type { StoredDoc, TimelineStore } from '../store/types';
import { ActivityRecorder, type ActorOrigin, AutoSnapshots, type HistoryOptions } from './history';
import { type PersistenceOptions, RoomPersistence } from './persistence';
import {
  type ClientMessage,
  encodeAwareness,
  encodePersistedAck,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  ProtocolError,
} from './protocol';

/** What a room needs from a connection; implemented over a websocket in ./server.ts. */
export interface RoomConnection {
  send(message: Uint8Array): void;
  /** A read-only connection's document updates are never applied, relayed or stored. */
  readonly readOnly: boolean;
  /** The account behind the connection, recorded as the author of its edits. */
  readonly actor?: string;
}

/** What handling a message did, for the connection's bookkeeping. */
export type HandleResult = 'applied' | 'ignored' | 'rejected-write';

/** The room cannot take more edits until the database accepts the backlog. */
export class StorageBacklogError extends Error {
  override name = 'StorageBacklogError';
}

export class Room {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly persistence: RoomPersistence;
  /** When the message being applied reached the server (for durability latency). */
  private arrival: number | undefined;
  readonly autoSnapshots: AutoSnapshots;
  private readonly activity: ActivityRecorder;
  /** Connection → awareness client ids it controls (removed when it leaves). */
  private readonly connections = new Map<RoomConnection, Set<number>>();

  constructor(
    readonly timelineId: string,
    stored: StoredDoc,
    store: TimelineStore,
    options: { persistence: PersistenceOptions; history: HistoryOptions },
    private readonly logger: Logger,
  ) {
    // The server has no presence of its own.
    this.awareness.setLocalState(null);
    Y.transact(this.doc, () => {
      for (const update of stored.updates) Y.applyUpdate(this.doc, update);
    });
    this.persistence = new RoomPersistence(
      store,
      timelineId,
      this.doc,
      stored.lastUpdateId,
      options.persistence,
      logger,
    );
    this.autoSnapshots = new AutoSnapshots(store, timelineId, this.doc, options.history, logger);
    this.activity = new ActivityRecorder(
      store,
      timelineId,
      this.doc,
      (origin) => this.resolveActor(origin),
      options.history,
      logger,
    );
    // Registered after loading, so stored content is not written back as new updates.
    this.doc.on('update', this.handleDocUpdate);
    this.awareness.on('update', this.handleAwarenessUpdate);
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Adds a connection and starts the sync handshake with it. */
  addConnection(connection: RoomConnection): void {
    this.connections.set(connection, new Set());
    connection.send(encodeSyncStep1(this.doc));
    const states = [...this.awareness.getStates().keys()];
    if (states.length > 0) connection.send(encodeAwareness(this.awareness, states));
  }

  /** Removes a connection and the awareness states it controlled. */
  removeConnection(connection: RoomConnection): void {
    const clients = this.connections.get(connection);
    if (!clients) return;
    this.connections.delete(connection);
    if (clients.size > 0)
      awarenessProtocol.removeAwarenessStates(this.awareness, [...clients], null);
  }

  /**
   * Applies one decoded message from `connection`. Throws if the message cannot be applied; the
   * caller closes that connection.
   */
  handleMessage(
    connection: RoomConnection,
    message: ClientMessage,
    receivedAt = performance.now(),
  ): HandleResult {
    switch (message.type) {
      case 'syncStep1':
        connection.send(encodeSyncStep2(this.doc, message.stateVector));
        return 'applied';
      case 'update': {
        // Yjs integrates the structs of an update before it reads the delete set, so a message
        // that is damaged at the end could half-apply. The update must have been decoded fully
        // before it touches the document (and so storage): by the update guard, or here.
        const empty = message.empty ?? isEmptyUpdate(message.update);
        if (connection.readOnly) {
          // A viewer's sync step 2 is usually empty; anything else is a write it may not make.
          return empty ? 'ignored' : 'rejected-write';
        }
        if (this.persistence.full) {
          throw new StorageBacklogError(
            'the server holds too many unsaved edits while the database is unavailable',
          );
        }
        // The update handler runs synchronously inside applyUpdate and reads the arrival time.
        this.arrival = receivedAt;
        try {
          Y.applyUpdate(this.doc, message.update, connection);
        } finally {
          this.arrival = undefined;
        }
        return 'applied';
      }
      case 'awareness':
        if (message.update.byteLength > MAX_AWARENESS_BYTES) {
          throw new ProtocolError(`awareness update larger than ${MAX_AWARENESS_BYTES} bytes`);
        }
        awarenessProtocol.applyAwarenessUpdate(this.awareness, message.update, connection);
        return 'applied';
      case 'queryAwareness':
        connection.send(encodeAwareness(this.awareness, [...this.awareness.getStates().keys()]));
        return 'applied';
      case 'persistedQuery': {
        const { token } = message;
        void this.persistence
          .whenPersisted()
          .then(() => connection.send(encodePersistedAck(token)));
        return 'applied';
      }
    }
  }

  /**
   * The display name behind a change: the account name of the connection, else (share links) the
   * name it announced in its awareness state, or the actor a server-side change was made for.
   */
  resolveActor(origin: unknown): string {
    // Server-side changes (ActorOrigin) and account connections both name their actor.
    const named = (origin as Partial<ActorOrigin> | null)?.actor;
    if (typeof named === 'string' && named) return named;
    const clients = this.connections.get(origin as RoomConnection);
    for (const clientId of clients ?? []) {
      const user = (this.awareness.getStates().get(clientId) as { user?: { name?: unknown } })
        ?.user;
      if (typeof user?.name === 'string' && user.name.trim()) return user.name.trim().slice(0, 60);
    }
    return 'Anonymous';
  }

  /** Writes the final automatic snapshot and pending activity (before unloading). */
  async finishHistory(): Promise<void> {
    await this.autoSnapshots.snapshotIfChanged();
    await this.activity.stop();
  }

  /** Stops persistence timers and frees the document (after a final flush by the registry). */
  destroy(): void {
    this.autoSnapshots.stop();
    this.persistence.stop();
    this.doc.off('update', this.handleDocUpdate);
    this.awareness.off('update', this.handleAwarenessUpdate);
    this.awareness.destroy();
    this.doc.destroy();
  }

  private readonly handleDocUpdate = (update: Uint8Array, origin: unknown): void => {
    this.persistence.enqueue(update, this.arrival ?? performance.now());
    this.autoSnapshots.noteChange();
    const message = encodeUpdate(update);
    for (const connection of this.connections.keys()) {
      if (connection !== origin) connection.send(message);
    }
  };

  private readonly handleAwarenessUpdate = (
    changes: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const changed = [...changes.added, ...changes.updated, ...changes.removed];
    const owned = this.connections.get(origin as RoomConnection);
    if (owned) {
      for (const id of changes.added) owned.add(id);
      for (const id of changes.removed) owned.delete(id);
    }
    const message = encodeAwareness(this.awareness, changed);
    for (const connection of this.connections.keys()) connection.send(message);
    this.logger.debug('awareness', { timeline: this.timelineId, changed: changed.length });
  };
}

/** Decodes an update completely (throwing if it is malformed) and says whether it is empty. */
function isEmptyUpdate(update: Uint8Array): boolean {
  const { structs, ds } = Y.decodeUpdate(update);
  return structs.length === 0 && ds.clients.size === 0;
}
