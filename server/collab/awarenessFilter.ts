/**
 * Reads and writes y-protocols awareness updates entry by entry, so the awareness guard
 * (./extensions/awarenessGuard.ts) can drop and rewrite entries before y-protocols applies them.
 * y-protocols' `applyAwarenessUpdate` records metadata for every client id it sees, even with a
 * null state, and never forgets it: filtering after applying would be too late.
 *
 * Wire format (y-protocols/awareness): varuint count, then per entry varuint client id, varuint
 * clock and a varstring holding the state as JSON (`null` when the client left).
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { ProtocolError } from './protocol';

/** One client's entry in an awareness update. */
export interface AwarenessEntry {
  clientId: number;
  clock: number;
  /** The parsed JSON state; null when the client announces that it left. */
  state: unknown;
}

/** Decodes every entry of an awareness update; throws ProtocolError if it is malformed. */
export function decodeAwarenessEntries(update: Uint8Array): AwarenessEntry[] {
  const entries: AwarenessEntry[] = [];
  try {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const json = decoding.readVarString(decoder);
      // Floods are mostly null states: skip the parser for them.
      const state: unknown = json === 'null' ? null : JSON.parse(json);
      entries.push({ clientId, clock, state });
    }
    if (decoding.hasContent(decoder)) throw new ProtocolError('trailing bytes after awareness');
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    throw new ProtocolError(`malformed awareness update: ${(error as Error).message}`);
  }
  return entries;
}

/** Encodes entries as an awareness update that y-protocols' `applyAwarenessUpdate` reads. */
export function encodeAwarenessEntries(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const { clientId, clock, state } of entries) {
    encoding.writeVarUint(encoder, clientId);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarString(encoder, JSON.stringify(state ?? null));
  }
  return encoding.toUint8Array(encoder);
}

/** Which client ids belong to which connection, within one room. */
export interface AwarenessOwnership<C> {
  /** Client id → the connection that announced it first. */
  readonly owners: Map<number, C>;
  /** Connection → the client ids it owns. */
  readonly owned: Map<C, Set<number>>;
}

export interface FilterAwarenessOptions<C> {
  ownership: AwarenessOwnership<C>;
  connection: C;
  /** The room's own client id (the server's awareness), which no client may announce. */
  serverClientId: number;
  /** Client ids one connection may own (MAX_AWARENESS_CLIENTS_PER_CONNECTION). */
  maxClientsPerConnection: number;
  /** Rewrites a kept, non-null state (the connection's identity, see lib/presence.ts). */
  stampState(state: unknown): unknown;
  /**
   * Whether `connection` may take an id over from its current owner: another connection of the
   * same account, e.g. a reconnect before the server noticed the old socket was gone.
   */
  mayTakeOver?(owner: C): boolean;
}

/**
 * Keeps the entries `connection` may send: those of client ids it owns, and those of new ids it
 * claims with a non-null state while under its quota (the claim is recorded in `ownership`; an
 * owned id is taken over only where `mayTakeOver` allows).
 * Entries for ids owned by another connection, null states for ids it does not own, ids over its
 * quota and the server's own id are dropped. Kept states are stamped.
 */
export function filterAwarenessEntries<C>(
  entries: readonly AwarenessEntry[],
  options: FilterAwarenessOptions<C>,
): AwarenessEntry[] {
  const { ownership, connection } = options;
  const kept: AwarenessEntry[] = [];
  for (const entry of entries) {
    if (entry.clientId === options.serverClientId) continue;
    const owner = ownership.owners.get(entry.clientId);
    if (owner !== connection) {
      // A removal of an id it does not own (the flood that grew meta), or someone else's id.
      if (entry.state === null) continue;
      if (owner !== undefined && !options.mayTakeOver?.(owner)) continue;
      let mine = ownership.owned.get(connection);
      if (!mine) {
        mine = new Set();
        ownership.owned.set(connection, mine);
      }
      if (mine.size >= options.maxClientsPerConnection) continue;
      if (owner !== undefined) ownership.owned.get(owner)?.delete(entry.clientId);
      mine.add(entry.clientId);
      ownership.owners.set(entry.clientId, connection);
    }
    kept.push(entry.state === null ? entry : { ...entry, state: options.stampState(entry.state) });
  }
  return kept;
}
