/**
 * Presence belongs to the connection that sent it. A client id is owned by the first connection
 * that announces it (with a state); updates for ids owned by another connection are dropped, so
 * nobody can change another person's name or selection, and a connection owns at most
 * MAX_AWARENESS_CLIENTS_PER_CONNECTION ids. Null states for ids a connection does not own are
 * dropped before y-protocols sees them: y-protocols keeps metadata for every id it is told about
 * and never forgets it, which let a view link grow the server by hundreds of MiB with made-up ids.
 * The name, mode and role others see are stamped from the connection's grant (lib/presence.ts).
 * When a connection leaves, its ids' states AND metadata are removed and the removal is relayed.
 *
 * The collaboration server always registers this extension first (../server.ts).
 */
import * as awarenessProtocol from 'y-protocols/awareness';
import { MAX_AWARENESS_CLIENTS_PER_CONNECTION } from '../../../lib/limits';
import { stampPresenceIdentity } from '../../../lib/presence';
import {
  type AwarenessOwnership,
  decodeAwarenessEntries,
  encodeAwarenessEntries,
  filterAwarenessEntries,
} from '../awarenessFilter';
import type { Extension, RoomConnection, RoomHandle } from '../extension';

/** Origin of the removals the guard makes when a connection leaves. */
export const AWARENESS_GUARD_ORIGIN = 'awareness-guard';

export interface AwarenessGuardOptions {
  maxClientsPerConnection?: number;
}

/** Creates the awareness guard; see the module comment. */
export function createAwarenessGuard(options: AwarenessGuardOptions = {}): Extension {
  const maxClientsPerConnection =
    options.maxClientsPerConnection ?? MAX_AWARENESS_CLIENTS_PER_CONNECTION;
  const rooms = new WeakMap<RoomHandle, AwarenessOwnership<RoomConnection>>();

  const ownershipOf = (room: RoomHandle): AwarenessOwnership<RoomConnection> => {
    let ownership = rooms.get(room);
    if (!ownership) {
      ownership = { owners: new Map(), owned: new Map() };
      rooms.set(room, ownership);
    }
    return ownership;
  };

  return {
    name: 'awarenessGuard',

    filterAwareness({ room, connection, update }) {
      const identity = {
        name: connection.actor,
        mode: connection.readOnly ? ('view' as const) : ('edit' as const),
        role: connection.role,
      };
      const kept = filterAwarenessEntries(decodeAwarenessEntries(update), {
        ownership: ownershipOf(room),
        connection,
        serverClientId: room.awareness.clientID,
        maxClientsPerConnection,
        stampState: (state) => stampPresenceIdentity(state, identity),
        mayTakeOver: (owner) =>
          connection.principal !== undefined && owner.principal === connection.principal,
      });
      return kept.length > 0 ? encodeAwarenessEntries(kept) : null;
    },

    onDisconnect({ room, connection }) {
      const ownership = rooms.get(room);
      const ids = ownership?.owned.get(connection);
      if (!ownership || !ids) return;
      ownership.owned.delete(connection);
      for (const id of ids) ownership.owners.delete(id);
      const present = [...ids].filter((id) => room.awareness.getStates().has(id));
      // Relayed to the others by the room's awareness handler.
      if (present.length > 0) {
        awarenessProtocol.removeAwarenessStates(room.awareness, present, AWARENESS_GUARD_ORIGIN);
      }
      for (const id of ids) room.awareness.meta.delete(id);
    },

    onDestroy({ room }) {
      rooms.delete(room);
    },
  };
}

/** Awareness states and metadata entries a room holds (for health and tests). */
export function countPresence(room: RoomHandle): { states: number; meta: number } {
  return { states: room.awareness.getStates().size, meta: room.awareness.meta.size };
}
