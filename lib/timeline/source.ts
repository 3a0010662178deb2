/**
 * Sources of an event: who reported it, with an optional link. An event's `sources` entry is a
 * Y.Array of Y.Maps, one per source, each with a stable `id` and one entry per source field:
 *
 *   sources → Y.Array [ Y.Map { id, title, url?, publisher?, publishedAt?, excerpt?,
 *                               reliability?, credibility?, notes? }, … ]
 *
 * Because each source is its own map with its own id, a source is changed in place
 * (updateSource writes only the keys that change): two people editing different sources, or
 * different fields of one source, both keep their change. Sources written before ids existed
 * read with a fallback id derived from their position in the Yjs history (the id of the item
 * that holds them), which every replica computes alike and which never changes; reading never
 * writes one.
 *
 * Adding a source field is one entry in SOURCE_FIELDS (and its input in the event panel).
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { formatEventDate } from '../format';
import { createId, ID_PATTERN } from '../ids';
import { getEventsMap, ModelError, parseOrThrow } from './doc';
import {
  buildMap,
  defineField,
  type FieldSpec,
  inputShapeOf,
  namesOf,
  patchShapeOf,
  type RecordOf,
  readFields,
  readString,
} from './fieldSpec';
import { formatGrade } from './grading';
import { Credibility, IsoDate, isReadableDate, Reliability, Title, WebUrl } from './values';

/** Longest excerpt or note a source keeps. */
export const MAX_SOURCE_TEXT = 5000;

/** Free text of a source (excerpt, notes), at most `max` characters. */
function boundedText(max: number) {
  return z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`);
}

const Publisher = boundedText(200);
const SourceText = boundedText(MAX_SOURCE_TEXT);

/** A stored string only if `schema` accepts it unchanged (readers drop damaged values). */
function readChecked(map: Y.Map<unknown>, key: string, schema: z.ZodType): string | undefined {
  const value = readString(map, key);
  return value !== undefined && schema.safeParse(value).success ? value : undefined;
}

/** Most sources one event can cite: keeps one event's map small enough to sync quickly. */
export const MAX_SOURCES = 100;

/** The source field table, in display order. A source without a readable title is skipped. */
export const SOURCE_FIELDS = {
  title: defineField({
    label: 'Title',
    input: Title,
    patch: Title.optional(),
    read: (map) => readString(map, 'title'),
  }),
  url: defineField({
    label: 'Link',
    input: WebUrl.optional(),
    patch: WebUrl.nullable().optional(),
    optional: true,
    // Checked on read too: a peer can put any string in the document, and a `javascript:` or
    // `data:` URL rendered as a link would run in a colleague's page.
    read: (map) => readWebUrl(map, 'url'),
  }),
  publisher: defineField({
    label: 'Publisher',
    input: Publisher.optional(),
    patch: Publisher.nullable().optional(),
    optional: true,
    read: (map) => readChecked(map, 'publisher', Publisher),
  }),
  publishedAt: defineField({
    label: 'Published',
    input: IsoDate.optional(),
    patch: IsoDate.nullable().optional(),
    optional: true,
    read: (map) => {
      const value = map.get('publishedAt');
      return isReadableDate(value) ? value : undefined;
    },
    format: formatEventDate,
  }),
  excerpt: defineField({
    label: 'Excerpt',
    input: SourceText.optional(),
    patch: SourceText.nullable().optional(),
    optional: true,
    read: (map) => readChecked(map, 'excerpt', SourceText),
  }),
  reliability: defineField({
    label: 'Reliability',
    input: Reliability.optional(),
    patch: Reliability.nullable().optional(),
    optional: true,
    read: (map) => {
      const value = map.get('reliability');
      return Reliability.safeParse(value).success ? (value as Reliability) : undefined;
    },
  }),
  credibility: defineField({
    label: 'Credibility',
    input: Credibility.optional(),
    patch: Credibility.nullable().optional(),
    optional: true,
    read: (map) => {
      const value = map.get('credibility');
      return Credibility.safeParse(value).success ? (value as Credibility) : undefined;
    },
  }),
  notes: defineField({
    label: 'Notes',
    input: SourceText.optional(),
    patch: SourceText.nullable().optional(),
    optional: true,
    read: (map) => readChecked(map, 'notes', SourceText),
  }),
};

/** A source as one line of text: "Title (Publisher, B2)". */
export function formatSource(source: SourceData): string {
  const details = [source.publisher, formatGrade(source)].filter(Boolean).join(', ');
  return details ? `${source.title} (${details})` : source.title;
}

export const SOURCE_FIELD_NAMES = namesOf(SOURCE_FIELDS);
export type SourceFieldName = keyof typeof SOURCE_FIELDS;

/** A stored URL only if it is an http(s) URL (writers validate; readers drop anything else). */
function readWebUrl(map: Y.Map<unknown>, key: string): string | undefined {
  const value = readString(map, key);
  return value !== undefined && WebUrl.safeParse(value).success ? value : undefined;
}

/** A source as readers return it. */
export type EventSource = { id: string } & RecordOf<typeof SOURCE_FIELDS>;

/** A source as plain data may hold it (a snapshot or import written before sources had ids). */
export type SourceData = { id?: string } & RecordOf<typeof SOURCE_FIELDS>;

/** A new source; `id` lets an import keep the ids it had. */
export const SourceInput = z.object({
  id: z.string().regex(ID_PATTERN, 'must be a valid id').optional(),
  ...inputShapeOf(SOURCE_FIELDS),
});
export type SourceInput = z.input<typeof SourceInput>;

/** A change to some fields of a source; `url: null` removes the link. */
export const SourcePatch = z.object(patchShapeOf(SOURCE_FIELDS));
export type SourcePatch = z.input<typeof SourcePatch>;

const FIELD_LIST: [string, FieldSpec][] = Object.entries(SOURCE_FIELDS);

/** The readable sources of a stored `sources` value, in order, each with its id. */
export function readSources(value: unknown): EventSource[] {
  return readEntries(value).map((entry) => entry.source);
}

interface SourceEntry {
  map: Y.Map<unknown>;
  source: EventSource;
}

/** The readable sources with the Y.Map each is stored in. */
function readEntries(value: unknown): SourceEntry[] {
  if (!(value instanceof Y.Array)) return [];
  const entries: SourceEntry[] = [];
  const seen = new Set<string>();
  value.toArray().forEach((item: unknown, index: number) => {
    if (!(item instanceof Y.Map)) return;
    const fields = readFields(SOURCE_FIELDS, item);
    if (fields === null) return;
    // A duplicated id (a client copying a source with its id) would make two sources one; the
    // copy reads with its fallback id instead.
    let id = storedId(item);
    if (id === undefined || seen.has(id)) id = fallbackId(item, index);
    seen.add(id);
    entries.push({ map: item, source: { id, ...fields } as EventSource });
  });
  return entries;
}

/** Whether two source lists read the same: same order, fields and (where both have one) ids. */
export function sourcesEqual(
  a: readonly SourceData[] | undefined,
  b: readonly SourceData[] | undefined,
): boolean {
  const left = a ?? [];
  const right = b ?? [];
  return (
    left.length === right.length &&
    left.every((source, index) => {
      const other = right[index]!;
      if (source.id !== undefined && other.id !== undefined && source.id !== other.id) return false;
      return FIELD_LIST.every(([name, spec]) =>
        spec.equals(field(source, name), field(other, name)),
      );
    })
  );
}

/**
 * Builds the Y.Map of one source. Writes exactly what it is given (callers validate or reproduce
 * a stored state); a source without an id gets a new one.
 */
export function buildSourceMap(source: SourceData): Y.Map<unknown> {
  const map = buildMap(SOURCE_FIELDS, source);
  map.set('id', source.id ?? createId());
  return map;
}

/** A new `sources` Y.Array holding `sources` (ids kept, missing ones created). */
export function buildSourcesArray(sources: readonly SourceData[] | undefined): Y.Array<unknown> {
  const array = new Y.Array<unknown>();
  array.push((sources ?? []).map(buildSourceMap));
  return array;
}

/**
 * Makes an event's `sources` entry read as `sources`, writing only what differs: sources are
 * matched by id (a source without an id by position), matched ones are updated in place field by
 * field, the others removed or inserted. Sources someone else adds concurrently are kept, and so
 * are their concurrent edits to sources that stay. Order changes re-create the moved sources.
 */
export function writeSources(
  eventMap: Y.Map<unknown>,
  name: string,
  sources: readonly SourceData[] | undefined,
): void {
  const wanted = sources ?? [];
  const stored = eventMap.get(name);
  if (!(stored instanceof Y.Array)) {
    eventMap.set(name, buildSourcesArray(wanted));
    return;
  }
  const array = stored as Y.Array<unknown>;
  const entries = readEntries(array);
  const current = entries.map((entry) => entry.source);
  const mapById = new Map(entries.map((entry) => [entry.source.id, entry.map]));
  // Which current source each wanted one becomes: by id, else the one at its position.
  const claimed = new Set(wanted.flatMap((source) => (source.id ? [source.id] : [])));
  const matches = wanted.map((source, index) => {
    if (source.id !== undefined) return mapById.has(source.id) ? source.id : undefined;
    const atPosition = current[index]?.id;
    return atPosition !== undefined && !claimed.has(atPosition) ? atPosition : undefined;
  });
  // Keep the longest run of matched sources already in the wanted order; the rest move.
  const currentIndex = new Map(current.map((source, index) => [source.id, index]));
  const kept = new Set(longestIncreasing(matches, currentIndex));

  for (const source of current) {
    if (!kept.has(source.id)) array.delete(array.toArray().indexOf(mapById.get(source.id)!), 1);
  }
  let cursor = 0;
  wanted.forEach((source, index) => {
    const id = matches[index];
    if (id !== undefined && kept.has(id)) {
      const map = mapById.get(id)!;
      for (const [fieldName, spec] of FIELD_LIST)
        spec.write(map, fieldName, field(source, fieldName));
      cursor = array.toArray().indexOf(map) + 1;
    } else {
      // A moved source keeps its id; a new one keeps the id it was given.
      array.insert(cursor, [buildSourceMap({ ...source, id: source.id ?? id })]);
      cursor++;
    }
  });
}

/** Adds a source to an event (at the end, or at `index`) and returns its id. */
export function addSource(doc: Y.Doc, eventId: string, input: SourceInput, index?: number): string {
  const source = parseOrThrow(SourceInput, input);
  const eventMap = requireEventMap(doc, eventId);
  const existing = readSources(eventMap.get('sources'));
  if (existing.length >= MAX_SOURCES) {
    throw new ModelError(`sources: an event cites at most ${MAX_SOURCES} sources`);
  }
  if (source.id !== undefined && existing.some((other) => other.id === source.id)) {
    throw new ModelError(`source ${source.id} already exists`);
  }
  const id = source.id ?? createId();
  doc.transact(() => {
    const array = sourcesArray(eventMap);
    array.insert(arrayIndexOf(array, existing, index), [buildSourceMap({ ...source, id })]);
  });
  return id;
}

/**
 * Changes some fields of one source in place: only keys whose value differs are written, so a
 * concurrent change to another field of this source, or to another source, is kept.
 */
export function updateSource(
  doc: Y.Doc,
  eventId: string,
  sourceId: string,
  patch: SourcePatch,
): void {
  const changes = parseOrThrow(SourcePatch, patch) as Record<string, unknown>;
  const map = requireSourceMap(doc, eventId, sourceId);
  doc.transact(() => {
    for (const [name, spec] of FIELD_LIST) {
      if (!(name in changes) || changes[name] === undefined) continue;
      spec.write(map, name, changes[name] === null ? undefined : changes[name]);
    }
  });
}

/** Removes one source. Removing a source that is already gone does nothing. */
export function removeSource(doc: Y.Doc, eventId: string, sourceId: string): void {
  const eventMap = requireEventMap(doc, eventId);
  const array = eventMap.get('sources');
  if (!(array instanceof Y.Array)) return;
  const map = findSourceMap(array, sourceId);
  if (map) array.delete(array.toArray().indexOf(map), 1);
}

/**
 * Moves one source to position `toIndex` among the event's sources. Yjs arrays cannot move an
 * element, so the source is re-created there with the same id and fields; an edit someone makes
 * to it at the same moment is lost (a known limit).
 */
export function moveSource(doc: Y.Doc, eventId: string, sourceId: string, toIndex: number): void {
  const eventMap = requireEventMap(doc, eventId);
  const sources = readSources(eventMap.get('sources'));
  const from = sources.findIndex((source) => source.id === sourceId);
  if (from === -1) throw new ModelError(`source ${sourceId} not found`);
  const target = Math.max(0, Math.min(Math.trunc(toIndex), sources.length - 1));
  if (target === from) return;
  const reordered = sources.filter((source) => source.id !== sourceId);
  reordered.splice(target, 0, sources[from]!);
  doc.transact(() => writeSources(eventMap, 'sources', reordered));
}

function field(source: SourceData, name: string): unknown {
  return (source as Record<string, unknown>)[name];
}

function storedId(map: Y.Map<unknown>): string | undefined {
  const id = map.get('id');
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}

/** Same on every replica: the Yjs id of the item holding the map never changes. */
function fallbackId(map: Y.Map<unknown>, index: number): string {
  const item = map._item;
  return item ? `y${item.id.client}-${item.id.clock}` : `i${index}`;
}

function findSourceMap(array: unknown, sourceId: string): Y.Map<unknown> | undefined {
  return readEntries(array).find((entry) => entry.source.id === sourceId)?.map;
}

function requireEventMap(doc: Y.Doc, eventId: string): Y.Map<unknown> {
  const map = getEventsMap(doc).get(eventId);
  if (!(map instanceof Y.Map)) throw new ModelError(`event ${eventId} not found`);
  return map;
}

function requireSourceMap(doc: Y.Doc, eventId: string, sourceId: string): Y.Map<unknown> {
  const map = findSourceMap(requireEventMap(doc, eventId).get('sources'), sourceId);
  if (!map) throw new ModelError(`source ${sourceId} not found`);
  return map;
}

/** The event's sources array, created if missing (older events, or damaged ones). */
function sourcesArray(eventMap: Y.Map<unknown>): Y.Array<unknown> {
  const stored = eventMap.get('sources');
  if (stored instanceof Y.Array) return stored;
  const array = new Y.Array<unknown>();
  eventMap.set('sources', array);
  return array;
}

/** The array index at which a source inserted at readable position `index` goes. */
function arrayIndexOf(
  array: Y.Array<unknown>,
  readable: readonly EventSource[],
  index: number | undefined,
): number {
  if (index === undefined || index >= readable.length) return array.length;
  const before = findSourceMap(array, readable[Math.max(0, Math.trunc(index))]!.id)!;
  return array.toArray().indexOf(before);
}

/**
 * The ids of the longest subsequence of `matches` whose current positions increase: those
 * sources are already in the wanted order and can stay where they are.
 */
function longestIncreasing(
  matches: readonly (string | undefined)[],
  currentIndex: ReadonlyMap<string, number>,
): string[] {
  const ids = matches.filter((id): id is string => id !== undefined);
  const positions = ids.map((id) => currentIndex.get(id)!);
  const length = positions.map(() => 1);
  const previous = positions.map(() => -1);
  let best = -1;
  for (let i = 0; i < positions.length; i++) {
    for (let j = 0; j < i; j++) {
      if (positions[j]! < positions[i]! && length[j]! + 1 > length[i]!) {
        length[i] = length[j]! + 1;
        previous[i] = j;
      }
    }
    if (best === -1 || length[i]! > length[best]!) best = i;
  }
  const result: string[] = [];
  for (let i = best; i !== -1; i = previous[i]!) result.unshift(ids[i]!);
  return result;
}
