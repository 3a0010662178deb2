/**
 * The two collection storages of the field tables besides sources (fieldSpec.ts `FieldStorage`):
 *
 *   set    a Y.Map whose keys are the members (value `true`): `tags`. Two people adding
 *          different members at once both keep theirs, since each writes only its own key.
 *   keyed  a Y.Map of key → plain value: `links` (target event id → relation). Writers set only
 *          the keys whose value changes and delete only the keys that go.
 *
 * The Y.Map is created with the entity, even empty, so two first additions on two replicas land
 * in the same map instead of two new maps of which only one would survive the merge. (An event
 * written before these fields existed has no map; its first concurrent additions can still
 * collide, a known limit.) Readers are lenient: a missing or damaged map reads as empty, and
 * members a field does not accept are skipped.
 */
import * as Y from 'yjs';

/** The members of a stored set that `accept` takes, or undefined when it is missing or empty. */
export function readSetMembers(
  value: unknown,
  accept: (key: string) => boolean,
): string[] | undefined {
  if (!(value instanceof Y.Map)) return undefined;
  const members = [...value.keys()].filter(accept);
  return members.length > 0 ? members : undefined;
}

/** A new set map holding `members`. */
export function buildSetMap(members: readonly string[] | undefined): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  for (const member of members ?? []) map.set(member, true);
  return map;
}

/** Makes the set under `name` hold exactly `members`, writing only the members that change. */
export function writeSetMembers(
  entity: Y.Map<unknown>,
  name: string,
  members: readonly string[] | undefined,
): void {
  const wanted = new Set(members ?? []);
  const stored = entity.get(name);
  if (!(stored instanceof Y.Map)) {
    entity.set(name, buildSetMap([...wanted]));
    return;
  }
  for (const key of [...stored.keys()]) if (!wanted.has(key)) stored.delete(key);
  for (const member of wanted) if (!stored.has(member)) stored.set(member, true);
}

/** The readable entries of a stored keyed map, in key order, or undefined when there are none. */
export function readKeyedEntries<T>(
  value: unknown,
  readEntry: (key: string, stored: unknown) => T | undefined,
): T[] | undefined {
  if (!(value instanceof Y.Map)) return undefined;
  const entries: T[] = [];
  for (const key of [...value.keys()].sort()) {
    const entry = readEntry(key, value.get(key));
    if (entry !== undefined) entries.push(entry);
  }
  return entries.length > 0 ? entries : undefined;
}

/** A new keyed map holding `entries` (plain values). */
export function buildKeyedMap(entries: ReadonlyMap<string, unknown>): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  for (const [key, value] of entries) map.set(key, value);
  return map;
}

/**
 * Makes the keyed map under `name` hold exactly `entries` (plain values compared with `===`),
 * writing only keys whose value changes and deleting only keys that go.
 */
export function writeKeyedEntries(
  entity: Y.Map<unknown>,
  name: string,
  entries: ReadonlyMap<string, unknown>,
): void {
  const stored = entity.get(name);
  if (!(stored instanceof Y.Map)) {
    entity.set(name, buildKeyedMap(entries));
    return;
  }
  for (const key of [...stored.keys()]) if (!entries.has(key)) stored.delete(key);
  for (const [key, value] of entries) if (stored.get(key) !== value) stored.set(key, value);
}
