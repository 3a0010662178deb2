/**
 * One live timeline: its Y.Doc, the awareness of the people in it, and their connections.
 * Updates from one connection are applied, handed to the extensions (persistence, history, …)
 * and relayed to the others.
 */
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { MAX_AWARENESS_BYTES } from '../../lib/limits';
import { sliceUpdate } from '../../lib/timeline/updateSlices';
import type { Logger } from '../log';
import type { StoredDoc } from '../store/types';
import { encodeDocState, rememberDocState } from './encodedState';
import type { ExtensionRunner, RoomConnection, RoomHandle } from './extension';
import type { ActorOrigin } from './extensions/activityLog';
import {
  type ClientMessage,
  encodeAwareness,
  encodePersistedAck,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncStep2Update,
  encodeUpdate,
  isEmptyStateVector,
  ProtocolError,
} from './protocol';

export type { RoomConnection } from './extension';

/** Origin of a server-side change through a direct connection (see ./direct.ts). */
export interface DirectOrigin extends ActorOrigin {
  connection: RoomConnection;
}

/** What handling a message did, for the connection's bookkeeping. */
export type HandleResult = 'applied' | 'ignored' | 'rejected-write';

export class Room implements RoomHandle {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  /** When the message being applied reached the server (for durability latency). */
  private arrival: number | undefined;
  /** Connection → awareness client ids it controls (removed when it leaves). */
  private readonly connections = new Map<RoomConnection, Set<number>>();
  /** Connections that asked for notices (lib/noticeMessage.ts). */
  private readonly noticeSubscribers = new Set<RoomConnection>();
  /**
   * Updates applied since the last broadcast, each with the connection it came from. They are
   * relayed together once the event loop has handled the messages that arrived with them (see
   * `flushBroadcast`).
   */
  private pending: { update: Uint8Array; sender: RoomConnection | undefined }[] = [];
  private broadcastScheduled: ReturnType<typeof setImmediate> | undefined;

  /**
   * The document's state vector once its stored rows were applied: what a connection answered
   * from those rows while the room loaded has (see `SocketConnection.answerFromStored`).
   */
  storedStateVector: Uint8Array = new Uint8Array([0]);

  /**
   * Loads a room from its stored rows. They are applied a slice at a time, yielding to the event
   * loop between slices: a 100,000-event document takes seconds to apply, and meanwhile every
   * other room of this process keeps relaying, and connections waiting for this one can already
   * be sent the stored rows.
   */
  static async load(
    timelineId: string,
    stored: StoredDoc,
    extensions: ExtensionRunner,
    logger: Logger,
  ): Promise<Room> {
    const room = new Room(timelineId, extensions, logger);
    await applyInSlices(room.doc, stored.updates);
    room.storedStateVector = Y.encodeStateVector(room.doc);
    // One row holds exactly the document: the first newcomer's answer and an unload's
    // compaction need not encode it again (kept a few seconds, dropped at the first change).
    if (stored.updates.length === 1) rememberDocState(room.doc, stored.updates[0]!);
    // Registered after loading, so stored content is not written back as new updates.
    room.doc.on('update', room.handleDocUpdate);
    room.awareness.on('update', room.handleAwarenessUpdate);
    return room;
  }

  private constructor(
    readonly timelineId: string,
    private readonly extensions: ExtensionRunner,
    private readonly logger: Logger,
  ) {
    // The server has no presence of its own.
    this.awareness.setLocalState(null);
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Adds a connection and starts the sync handshake with it (direct ones need none). */
  addConnection(connection: RoomConnection): void {
    this.connections.set(connection, new Set());
    if (!connection.direct) {
      connection.send(encodeSyncStep1(this.doc));
      const states = [...this.awareness.getStates().keys()];
      if (states.length > 0) connection.send(encodeAwareness(this.awareness, states));
    }
    this.extensions.notify('onConnect', { room: this, connection });
  }

  /**
   * Removes a connection. The awareness guard's `onDisconnect` removes the presence it owned (it
   * knows which ids it owns now; an id can move to another connection of the same account).
   */
  removeConnection(connection: RoomConnection): void {
    if (!this.connections.delete(connection)) return;
    this.noticeSubscribers.delete(connection);
    this.extensions.notify('onDisconnect', { room: this, connection });
    if (this.connections.size === 0) this.extensions.notify('onEmpty', { room: this });
  }

  /** Resolves once every change applied so far is durable (per the extensions). */
  whenPersisted(): Promise<void> {
    return this.extensions.whenPersisted(this);
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
        connection.send(
          // A newcomer with nothing gets the whole state: the same bytes for every newcomer
          // until the document changes, and those of the stored row just after a load.
          isEmptyStateVector(message.stateVector)
            ? encodeSyncStep2Update(encodeDocState(this.doc))
            : encodeSyncStep2(this.doc, message.stateVector),
        );
        return 'applied';
      case 'update': {
        if (connection.readOnly) {
          // Dropped before any decoding, so a viewer cannot make the server spend time in the
          // decoder. A viewer's sync step 2 is usually empty (two zero bytes: no structs, no
          // deletions); anything else is a write it may not make.
          return message.update.byteLength <= EMPTY_UPDATE_BYTES ? 'ignored' : 'rejected-write';
        }
        // Yjs integrates the structs of an update before it reads the delete set, so a message
        // that is damaged at the end could half-apply. The update must have been decoded fully
        // before it touches the document (and so storage): by the update guard, or here.
        if (message.empty === undefined) decodeUpdateFully(message.update);
        // A refusal (StorageBacklogError) propagates: the caller closes the connection.
        this.extensions.checkUpdate({ room: this, connection });
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
        {
          // The awareness guard drops entries for ids the connection does not own before
          // y-protocols records anything about them (./extensions/awarenessGuard.ts).
          const update = this.extensions.filterAwareness({
            room: this,
            connection,
            update: message.update,
          });
          if (!update) return 'ignored';
          awarenessProtocol.applyAwarenessUpdate(this.awareness, update, connection);
        }
        return 'applied';
      case 'queryAwareness':
        connection.send(encodeAwareness(this.awareness, [...this.awareness.getStates().keys()]));
        return 'applied';
      case 'persistedQuery': {
        const { token } = message;
        void this.whenPersisted().then(() => connection.send(encodePersistedAck(token)));
        return 'applied';
      }
      case 'noticeSubscribe':
        // Read-only connections too: share-link visitors see comments change live.
        if (this.connections.has(connection)) this.noticeSubscribers.add(connection);
        return 'applied';
    }
  }

  /** Sends an encoded notice to every connection that subscribed; returns how many. */
  sendNotice(message: Uint8Array): number {
    // A notice can name something the pending updates contain: they go first.
    this.flushBroadcast();
    for (const connection of this.noticeSubscribers) connection.send(message);
    return this.noticeSubscribers.size;
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

  /**
   * Runs the extensions' `onDestroy` hooks, then frees the document (after `beforeUnload` by the
   * registry). `persisted` is false when the room's data could not be written.
   */
  async destroy(persisted: boolean): Promise<void> {
    await this.extensions.settle('onDestroy', { room: this, persisted });
    this.flushBroadcast();
    // At shutdown sockets close after this: no hook runs for a destroyed room.
    this.connections.clear();
    this.doc.off('update', this.handleDocUpdate);
    this.awareness.off('update', this.handleAwarenessUpdate);
    this.awareness.destroy();
    this.doc.destroy();
  }

  /** The connection behind a change origin: a websocket connection or a direct one. */
  private connectionOf(origin: unknown): RoomConnection | undefined {
    if (this.connections.has(origin as RoomConnection)) return origin as RoomConnection;
    const direct = (origin as Partial<DirectOrigin> | null)?.connection;
    return direct && this.connections.has(direct) ? direct : undefined;
  }

  private readonly handleDocUpdate = (update: Uint8Array, origin: unknown): void => {
    const sender = this.connectionOf(origin);
    this.extensions.runSync('onUpdate', {
      room: this,
      update,
      origin,
      connection: sender,
      receivedAt: this.arrival ?? performance.now(),
    });
    this.pending.push({ update, sender });
    this.broadcastScheduled ??= setImmediate(this.flushBroadcast);
  };

  /**
   * Relays the pending updates: merged into one update, encoded once and sent as one frame to
   * every connection but the one it came from. Runs from `setImmediate`, after the event loop has
   * handled every message that arrived in the same turn, so a burst of edits from many writers
   * costs each reader one frame instead of one per edit; an edit alone is relayed within the
   * same turn, without waiting for a timer. Pending updates are flushed first whenever something
   * else is broadcast (awareness, notices), so every client gets messages in the order the
   * server applied them.
   */
  private readonly flushBroadcast = (): void => {
    if (this.broadcastScheduled) {
      clearImmediate(this.broadcastScheduled);
      this.broadcastScheduled = undefined;
    }
    const pending = this.pending;
    if (pending.length === 0) return;
    this.pending = [];
    // Nobody to tell (a server-side import into a room no browser has open): no 30 MB frame.
    let recipients = 0;
    for (const connection of this.connections.keys()) if (!connection.direct) recipients++;
    if (recipients === 0) return;
    const senders = new Set<RoomConnection>();
    for (const { sender } of pending) if (sender) senders.add(sender);
    const all = encodeUpdate(
      pending.length === 1 ? pending[0]!.update : Y.mergeUpdates(pending.map((p) => p.update)),
    );
    // A sender gets the others' updates without its own (merged once per sender, and only for
    // the few that wrote in the same turn; beyond that a sender gets its own back too, which
    // Yjs ignores).
    const perSender = new Map<RoomConnection, Uint8Array | null>();
    if (senders.size <= MAX_SENDERS_MERGED_APART) {
      for (const sender of senders) {
        const others = pending.filter((p) => p.sender !== sender).map((p) => p.update);
        perSender.set(
          sender,
          others.length === 0
            ? null
            : encodeUpdate(others.length === 1 ? others[0]! : Y.mergeUpdates(others)),
        );
      }
    }
    for (const connection of this.connections.keys()) {
      if (connection.direct) continue;
      const message = perSender.has(connection) ? perSender.get(connection) : all;
      if (message) connection.send(message);
    }
  };

  private readonly handleAwarenessUpdate = (
    changes: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    // Document updates applied before this change are relayed before it.
    this.flushBroadcast();
    const changed = [...changes.added, ...changes.updated, ...changes.removed];
    const owned = this.connections.get(origin as RoomConnection);
    if (owned) {
      // Updated too: an id can move to another connection of the same account (awareness guard).
      for (const id of [...changes.added, ...changes.updated]) owned.add(id);
      for (const id of changes.removed) owned.delete(id);
    }
    this.extensions.runSync('onAwareness', {
      room: this,
      changes,
      origin,
      connection: owned ? (origin as RoomConnection) : undefined,
    });
    const message = encodeAwareness(this.awareness, changed);
    for (const connection of this.connections.keys()) {
      if (!connection.direct) connection.send(message);
    }
    this.logger.debug('awareness', { timeline: this.timelineId, changed: changed.length });
  };
}

/**
 * Up to this many connections writing in one event-loop turn each get the merged update without
 * their own edits (see Room.flushBroadcast).
 */
const MAX_SENDERS_MERGED_APART = 4;

/** Length of an empty Yjs (V1) update: a zero struct count and a zero delete-set count. */
const EMPTY_UPDATE_BYTES = 2;

/** Decodes an update completely, throwing if it is malformed. */
function decodeUpdateFully(update: Uint8Array): void {
  Y.decodeUpdate(update);
}

/** Bytes of stored update applied per slice while a room loads (tens of ms of work). */
const LOAD_SLICE_BYTES = 256 * 1024;
/** How long a room's load may hold the event loop before it yields (ms). */
const LOAD_BUDGET_MS = 20;

/**
 * Applies stored rows to `doc` in order, cutting big ones into slices (lib/timeline/updateSlices)
 * and yielding to the event loop whenever a slice has taken the budget. Applying the slices in
 * order gives the same document as applying the rows.
 */
async function applyInSlices(doc: Y.Doc, updates: readonly Uint8Array[]): Promise<void> {
  let started = performance.now();
  for (const update of updates) {
    for (const slice of sliceUpdate(update, LOAD_SLICE_BYTES)) {
      Y.applyUpdate(doc, slice);
      if (performance.now() - started >= LOAD_BUDGET_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        started = performance.now();
      }
    }
  }
}
