/**
 * Direct connections: how server code (restore, the demo seed, imports, comments) reads and
 * changes a live document without reaching into a room. A direct connection counts as a
 * connection, so the room stays loaded until it is released; its changes reach every websocket
 * client, the extensions (persistence, activity log) and carry its actor.
 */
import * as Y from 'yjs';
import { NotFoundError } from '../../lib/errors';
import type { RoomConnection } from './extension';
import type { DirectOrigin } from './room';
import type { RoomRegistry } from './rooms';

export interface DirectConnection {
  /** The live document: read it freely, change it only through `transact`. */
  readonly doc: Y.Doc;
  /**
   * Runs `change` in one transaction on behalf of the connection's actor. `restore` marks the
   * change as a restore in the activity log.
   */
  transact(change: (doc: Y.Doc) => void, options?: { restore?: boolean }): void;
  /** Resolves once every change made so far in the room is durable. */
  whenPersisted(): Promise<void>;
  /** Lets the room unload again; the connection cannot be used afterwards. */
  release(): void;
}

/**
 * Opens a direct connection to a timeline's room as `actor`, loading the room if needed. Throws
 * NotFoundError if the timeline does not exist, and the storage error if it could not be loaded.
 */
export async function openDirectConnection(
  registry: RoomRegistry,
  timelineId: string,
  actor: string,
): Promise<DirectConnection> {
  const room = await registry.acquire(timelineId);
  if (!room) throw new NotFoundError(`timeline ${timelineId} not found`);
  const connection: RoomConnection = { readOnly: false, actor, direct: true, send() {} };
  room.addConnection(connection);
  let released = false;
  const assertOpen = () => {
    if (released) throw new Error('direct connection used after release()');
  };
  return {
    doc: room.doc,
    transact(change, options) {
      assertOpen();
      const origin: DirectOrigin = { actor, restore: options?.restore ?? false, connection };
      Y.transact(room.doc, () => change(room.doc), origin);
    },
    whenPersisted() {
      return room.whenPersisted();
    },
    release() {
      if (released) return;
      released = true;
      room.removeConnection(connection);
      registry.release(room);
    },
  };
}
