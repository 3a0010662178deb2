/**
 * Who made a live change, before the activity log says so: the Yjs client ids whose structs a
 * transaction added, per event it touched, matched to the names in the room's awareness.
 *
 * Why the match can be trusted: the server's awareness guard binds a client id to the connection
 * that first announced it and stamps the account's name on it (server/collab/extensions/
 * awarenessGuard.ts), and a remote update is applied in one transaction per message, so the
 * clients whose clocks advanced in it are the writers. A pure deletion adds no struct: it names
 * no writer (the delete set holds the ids of the deleted items, i.e. their authors), so it stays
 * unnamed until the log entry arrives. The activity log stays the record; this is the first guess.
 */
import * as Y from 'yjs';
import { readPresenceUser } from '../presence';

/** The clients whose clocks advanced in a transaction: the authors of the structs it added. */
export function writersOf(transaction: Y.Transaction): number[] {
  const writers: number[] = [];
  transaction.afterState.forEach((clock, client) => {
    if (clock > (transaction.beforeState.get(client) ?? 0)) writers.push(client);
  });
  return writers;
}

/**
 * The ids of the events a transaction changed (created, edited, deleted): keys changed directly
 * in the events map, and events whose nested maps, arrays or texts changed.
 */
export function touchedEventIds(transaction: Y.Transaction, events: object): Set<string> {
  const ids = new Set<string>();
  transaction.changed.forEach((keys, type) => {
    if (type === events) {
      for (const key of keys) if (key !== null) ids.add(key);
      return;
    }
    const id = eventIdOf(type, events);
    if (id !== null) ids.add(id);
  });
  return ids;
}

/** Any shared type, as Yjs types the keys of `transaction.changed`. */
type SharedType = Y.Transaction['changed'] extends Map<infer T, unknown> ? T : never;

/** The key under which `type` (or the type holding it) sits in the events map; null if outside. */
function eventIdOf(type: SharedType, events: object): string | null {
  let current: SharedType = type;
  // Bounded by the nesting depth of an event (a few levels).
  while (current._item) {
    const parent = current._item.parent;
    if (parent === events) return current._item.parentSub;
    if (!(parent instanceof Y.AbstractType)) return null;
    current = parent;
  }
  return null;
}

/**
 * Remembers the names the room's awareness gives to client ids, including people who have since
 * left (their last edit may arrive just before their departure is announced).
 */
export class AuthorNames {
  private readonly names = new Map<number, string>();

  /** Records every named state of `states` (an awareness's `getStates()`). */
  learn(states: ReadonlyMap<number, unknown>): void {
    states.forEach((state, clientId) => {
      const user = readPresenceUser(state);
      if (user) this.names.set(clientId, user.name);
    });
  }

  /** The names of these writers, in a stable order; empty when nobody is known. */
  nameOf(clients: Iterable<number>): string | null {
    const names = [...new Set([...clients].flatMap((id) => this.names.get(id) ?? []))].sort(
      (a, b) => a.localeCompare(b),
    );
    return names.length > 0 ? names.join(', ') : null;
  }
}
