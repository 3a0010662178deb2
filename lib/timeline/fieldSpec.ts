/**
 * The shape of a field table entry, shared by the event, source and lane tables. A table is a
 * plain object `{ fieldName: defineField({...}) }` in display order; the entity's TypeScript
 * type, its zod input and patch schemas, its reader, its writers, the diff and the views are all
 * derived from it, so a field is described in exactly one place.
 */
import * as Y from 'yjs';
import type { z } from 'zod';
import { writeValue } from './doc';

/**
 * How a field lives in the entity's Y.Map:
 * - `scalar`: a plain value under its name; a write replaces it (last writer wins).
 * - `text`: a Y.Text under its name; writes are minimal text edits, so concurrent typing merges.
 * - `sources`: a Y.Array of Y.Maps with stable ids (source.ts); writes change entries in place.
 * - `set`: a Y.Map whose keys are the members (`tags`); writes add and delete single keys, so
 *   concurrent additions merge (mapStorage.ts).
 * - `keyed`: a Y.Map of key → plain value (`links`: target id → relation); writes touch only
 *   the keys that change (mapStorage.ts).
 * A scalar may also be a plain JSON object (`location`); its writer compares with `equals`.
 */
export type FieldStorage = 'scalar' | 'text' | 'sources' | 'set' | 'keyed';

/** A choice of an enumerated field, with the words the UI shows for it. */
export interface FieldOption {
  value: string;
  label: string;
}

/** What formatting a value for people may need to know besides the value. */
export interface FormatContext {
  /** Lane id → title, to name the lane an event is in. */
  laneTitles?: ReadonlyMap<string, string>;
  /** Event id → title, to name the events an event links to. */
  eventTitles?: ReadonlyMap<string, string>;
}

/** One field of an entity: how it is validated, stored, read, written, compared and shown. */
export interface FieldSpec<
  V = unknown,
  O extends boolean = boolean,
  I extends z.ZodType = z.ZodType,
  P extends z.ZodType | null = z.ZodType | null,
> {
  /** What people call the field (diff view, forms). */
  label: string;
  storage: FieldStorage;
  /** Schema of the field in a new entity, `.optional()` when it may be left out. */
  input: I;
  /**
   * Schema of the field in a patch (`null` clears an optional field), or null when the field is
   * not changed by a patch (sources have their own writers).
   */
  patch: P;
  /** Whether the entity may lack the field (`end`, `confidence`): its type has `field?:`. */
  optional: O;
  /**
   * What readers show when the stored value is missing or unreadable. A field that is neither
   * optional nor has a fallback (an event's `start`) makes the whole entity unreadable.
   */
  fallback?: V;
  /** Reads the stored value leniently: undefined when it is absent or not understood. */
  read(map: Y.Map<unknown>): V | undefined;
  /**
   * The stored form of a value in a new entity map (a Y.Text, a Y.Array…), or undefined to
   * leave the key out. A new map is not in a document yet and must not be read from (Yjs warns),
   * so building one uses this instead of `write`.
   */
  create(value: V | undefined): unknown;
  /**
   * Writes the value (undefined removes it), touching the document only where it differs, so a
   * concurrent change someone else made to the same entity is not overwritten needlessly.
   */
  write(map: Y.Map<unknown>, name: string, value: V | undefined): void;
  /** Whether two values read the same to people (what the diff reports as unchanged). */
  equals(a: V | undefined, b: V | undefined): boolean;
  /** The value as text for people (diff, exports to text); never called with undefined. */
  format(value: V, context: FormatContext): string;
  /** The choices of an enumerated field, in the order forms offer them. */
  options?: readonly FieldOption[];
  /** How a form names "no value" for an optional enumerated field. */
  emptyLabel?: string;
}

/** The string stored under `key`, or undefined for anything else (a lenient reader). */
export function readString(map: Y.Map<unknown>, key: string): string | undefined {
  const value = map.get(key);
  return typeof value === 'string' ? value : undefined;
}

/** A field table: field name → spec, in display order. */
export type FieldTable = Record<string, FieldSpec>;

/**
 * What a table entry declares. The value type is inferred from `read` alone (NoInfer elsewhere),
 * so a fallback such as `'point'` does not widen an enum field to `string`.
 */
export interface FieldDeclaration<V, O extends boolean, I extends z.ZodType, P> {
  label: string;
  storage?: FieldStorage;
  input: I;
  patch?: P;
  optional?: O;
  fallback?: NoInfer<V>;
  read(map: Y.Map<unknown>): V | undefined;
  create?(value: NoInfer<V> | undefined): unknown;
  write?(map: Y.Map<unknown>, name: string, value: NoInfer<V> | undefined): void;
  equals?(a: NoInfer<V> | undefined, b: NoInfer<V> | undefined): boolean;
  format?(value: NoInfer<V>, context: FormatContext): string;
  options?: readonly FieldOption[];
  emptyLabel?: string;
}

/**
 * Declares one field. Scalar fields need only a label, schemas and a reader; the defaults store
 * the value as is, write with `writeValue`, compare with `===` and format with `String`.
 */
export function defineField<
  V,
  I extends z.ZodType,
  P extends z.ZodType | null = null,
  O extends boolean = false,
>(spec: FieldDeclaration<V, O, I, P>): FieldSpec<V, O, I, P> {
  return {
    storage: 'scalar',
    patch: null as P,
    optional: false as O,
    create: (value) => value,
    write: (map, name, value) => writeValue(map, name, value),
    equals: (a, b) => a === b,
    format: (value) => String(value),
    ...spec,
  } as FieldSpec<V, O, I, P>;
}

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type ValueOf<S> = S extends { read(map: Y.Map<unknown>): infer V } ? Exclude<V, undefined> : never;
type OptionalNames<T extends FieldTable> = {
  [K in keyof T]: T[K]['optional'] extends true ? K : never;
}[keyof T];

/** The plain-data record a table describes, with `field?:` for optional fields. */
export type RecordOf<T extends FieldTable> = Simplify<
  { [K in Exclude<keyof T, OptionalNames<T>>]: ValueOf<T[K]> } & {
    [K in OptionalNames<T>]?: ValueOf<T[K]>;
  }
>;

/** The names of a table in display order. */
export function namesOf<T extends FieldTable>(table: T): (keyof T & string)[] {
  return Object.keys(table);
}

/**
 * Reads every field of `map` with its table. Returns null when a field that is neither optional
 * nor has a fallback is unreadable; omits optional fields that are absent.
 */
export function readFields<T extends FieldTable>(
  table: T,
  map: Y.Map<unknown>,
): Record<string, unknown> | null {
  const record: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(table)) {
    const value = spec.read(map);
    if (value !== undefined) record[name] = value;
    else if (spec.fallback !== undefined) record[name] = spec.fallback;
    else if (!spec.optional) return null;
  }
  return record;
}

/** A new entity map holding every field of `record` in its stored form. */
export function buildMap<T extends FieldTable>(
  table: T,
  record: Partial<Record<string, unknown>>,
): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  for (const [name, spec] of Object.entries(table)) {
    const stored = spec.create(record[name]);
    if (stored !== undefined) map.set(name, stored);
  }
  return map;
}

/** The zod shape of a new entity: `{ field: spec.input }`. */
export function inputShapeOf<T extends FieldTable>(table: T): { [N in keyof T]: T[N]['input'] } {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, spec] of Object.entries(table)) shape[name] = spec.input;
  return shape as { [N in keyof T]: T[N]['input'] };
}

/** The zod shape of a patch: `{ field: spec.patch }` for the fields a patch may change. */
export function patchShapeOf<T extends FieldTable>(table: T): PatchShape<T> {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, spec] of Object.entries(table)) if (spec.patch) shape[name] = spec.patch;
  return shape as PatchShape<T>;
}

type PatchShape<T extends FieldTable> = {
  [N in keyof T as T[N]['patch'] extends z.ZodType ? N : never]: NonNullable<T[N]['patch']>;
};
