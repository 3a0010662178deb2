/**
 * The event field table: every field of a timeline event, defined once. For each field it says
 *
 *   label     what people call it (diff view, forms)
 *   storage   how it lives in the event's Y.Map: `scalar` (a plain value under its name), `text`
 *             (a Y.Text, edited by minimal text edits so concurrent typing merges), `sources`
 *             (a Y.Array of Y.Maps with stable ids, see source.ts), `set` (a Y.Map of members:
 *             tags) or `keyed` (a Y.Map of key → value: links), see mapStorage.ts
 *   input     its zod schema in a new event (EventInput), `.optional()` when it may be left out
 *   patch     its zod schema in a change (EventPatch; `null` clears an optional field), or null
 *             when updateEvent does not change it (sources have their own writers)
 *   optional  whether an event may lack it (then its type is `field?:`)
 *   fallback  what readers show when the stored value is missing or unreadable; a field with
 *             neither (`start`) makes the event unreadable, so readers skip it
 *   read      the lenient reader of the stored value
 *   write     the minimal writer (createEvent, updateEvent and restore all use it)
 *   equals    what the diff, and so restore, count as "unchanged"
 *   format    the value as text for people (diff view, text exports)
 *   options   the choices of an enumerated field with their labels (the event panel's selects)
 *
 * TimelineEvent, EventInput, EventPatch, the reader, the writers, diffEventFields, restore and the
 * diff view are derived from this table (event.ts, diff.ts, restore.ts, components/history/DiffView.tsx).
 * Rules that tie fields together (a point has no end; a range's end is not before its start;
 * bounds enclose the date they bound; no link to itself; the precision of an event without one)
 * are in event.ts. To add a field: one entry here, plus its input in components/timeline/EventPanel.tsx.
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { formatEventDate, plural } from '../format';
import { writeText } from './doc';
import { defineField, type FieldOption, namesOf, type RecordOf, readString } from './fieldSpec';
import { CONFIDENCE_LEVELS, CONFIDENCE_ORDER, CONFIDENCE_UNSET_LABEL } from './grading';
import {
  buildKeyedMap,
  buildSetMap,
  readKeyedEntries,
  readSetMembers,
  writeKeyedEntries,
  writeSetMembers,
} from './mapStorage';
import {
  buildSourcesArray,
  formatSource,
  MAX_SOURCES,
  readSources,
  SourceInput,
  sourcesEqual,
  writeSources,
} from './source';
import {
  ConfidenceInput,
  Description,
  EventId,
  EventKind,
  IsoDate,
  isReadableDate,
  LinkRelation,
  Location,
  MAX_LINKS,
  MAX_TAGS,
  Precision,
  Tag,
  Title,
  toConfidence,
} from './values';

function readOption<T extends string>(
  map: Y.Map<unknown>,
  key: string,
  options: readonly T[],
): T | undefined {
  const value = map.get(key);
  // A value this version does not know is ignored, like an unknown field.
  return typeof value === 'string' && (options as readonly string[]).includes(value)
    ? (value as T)
    : undefined;
}

const KIND_OPTIONS: readonly FieldOption[] = [
  { value: 'point', label: 'Point' },
  { value: 'range', label: 'Range' },
  { value: 'background', label: 'Background band' },
];

const CONFIDENCE_OPTIONS: readonly FieldOption[] = CONFIDENCE_ORDER.map((value) => ({
  value,
  label: CONFIDENCE_LEVELS[value].label,
}));

const PRECISION_OPTIONS: readonly FieldOption[] = [
  { value: 'year', label: 'Year' },
  { value: 'month', label: 'Month' },
  { value: 'day', label: 'Day' },
  { value: 'time', label: 'Time' },
];

const RELATION_LABELS: Record<LinkRelation, string> = {
  causes: 'causes',
  'caused-by': 'caused by',
  related: 'related to',
};

/** A link from one event to another: `causes`, `caused-by` or `related`. */
export const EventLink = z.object({ eventId: EventId, relation: LinkRelation }).strict();
export type EventLink = z.infer<typeof EventLink>;

/** Tags as a set: duplicates collapse; read back sorted case-insensitively (sortTags). */
const TagList = z
  .array(Tag)
  .max(MAX_TAGS, `an event carries at most ${MAX_TAGS} tags`)
  .transform((tags) => [...new Set(tags)]);

const LinkList = z
  .array(EventLink)
  .max(MAX_LINKS, `an event carries at most ${MAX_LINKS} links`)
  .refine((links) => new Set(links.map((link) => link.eventId)).size === links.length, {
    message: 'an event links to another event at most once',
  });

/** Tags in reading order: case-insensitive, then exact (so every replica agrees). */
export function sortTags(tags: readonly string[]): string[] {
  return [...tags].sort((a, b) => {
    const folded = a.toLowerCase().localeCompare(b.toLowerCase());
    return folded !== 0 ? folded : a < b ? -1 : a > b ? 1 : 0;
  });
}

function isStoredTag(key: string): boolean {
  const parsed = Tag.safeParse(key);
  return parsed.success && parsed.data === key;
}

function sameList<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): boolean {
  return a.length === b.length && a.every((item, index) => same(item, b[index]!));
}

function readDate(map: Y.Map<unknown>, key: string): string | undefined {
  const value = map.get(key);
  return isReadableDate(value) ? value : undefined;
}

/** An optional date that bounds an uncertain start or end (the rules are in event.ts). */
function boundField(label: string, key: string) {
  return defineField({
    label,
    input: IsoDate.optional(),
    patch: IsoDate.nullable().optional(),
    optional: true,
    read: (map) => readDate(map, key),
    format: formatEventDate,
  });
}

function sameLocation(a: Location | undefined, b: Location | undefined): boolean {
  return a?.name === b?.name && a?.lat === b?.lat && a?.lon === b?.lon;
}

/** The event fields, in the order the diff lists them. */
export const EVENT_FIELDS = {
  title: defineField({
    label: 'Title',
    input: Title,
    patch: Title.optional(),
    fallback: '',
    read: (map) => readString(map, 'title'),
  }),
  start: defineField({
    label: 'Start',
    input: IsoDate,
    patch: IsoDate.optional(),
    read: (map) => {
      const value = map.get('start');
      return isReadableDate(value) ? value : undefined;
    },
    format: formatEventDate,
  }),
  end: defineField({
    label: 'End',
    input: IsoDate.optional(),
    patch: IsoDate.nullable().optional(),
    optional: true,
    // Whether an end is shown also depends on kind and start: see readEvent.
    read: (map) => {
      const value = map.get('end');
      return isReadableDate(value) ? value : undefined;
    },
    format: formatEventDate,
  }),
  kind: defineField({
    label: 'Kind',
    input: EventKind,
    patch: EventKind.optional(),
    fallback: 'point',
    read: (map) => readOption(map, 'kind', EventKind.options),
    options: KIND_OPTIONS,
  }),
  lane: defineField({
    label: 'Lane',
    input: z.string().min(1, 'must name a lane'),
    patch: z.string().min(1).optional(),
    fallback: '',
    read: (map) => readString(map, 'lane'),
    format: (laneId, { laneTitles }) => laneTitles?.get(laneId) ?? 'a deleted lane',
  }),
  description: defineField({
    label: 'Description',
    storage: 'text',
    input: Description.optional(),
    patch: Description.optional(),
    fallback: '',
    read: (map) => {
      const text = map.get('description');
      return text instanceof Y.Text ? text.toString() : undefined;
    },
    create: (value) => new Y.Text(value ?? ''),
    write: (map, name, value) => writeText(map, name, value ?? ''),
    // Snapshots loaded from storage may lack it; the reader shows that as an empty text.
    equals: (a, b) => (a ?? '') === (b ?? ''),
  }),
  confidence: defineField({
    label: 'Confidence',
    input: ConfidenceInput.optional(),
    patch: ConfidenceInput.nullable().optional(),
    optional: true,
    // Values written before the ICD 203 scale read as their new meaning (values.ts).
    read: (map) => toConfidence(map.get('confidence')),
    format: (value) => CONFIDENCE_LEVELS[value].label,
    options: CONFIDENCE_OPTIONS,
    emptyLabel: CONFIDENCE_UNSET_LABEL,
  }),
  precision: defineField({
    label: 'Date precision',
    input: Precision.optional(),
    patch: Precision.nullable().optional(),
    optional: true,
    // Unset: see precisionOf in event.ts (day for midnight dates, else time).
    read: (map) => readOption(map, 'precision', Precision.options),
    format: (value) => PRECISION_OPTIONS.find((option) => option.value === value)!.label,
    options: PRECISION_OPTIONS,
    emptyLabel: 'From the dates',
  }),
  startEarliest: boundField('Start, earliest', 'startEarliest'),
  startLatest: boundField('Start, latest', 'startLatest'),
  endEarliest: boundField('End, earliest', 'endEarliest'),
  endLatest: boundField('End, latest', 'endLatest'),
  location: defineField({
    label: 'Location',
    input: Location.optional(),
    patch: Location.nullable().optional(),
    optional: true,
    read: (map) => {
      const parsed = Location.safeParse(map.get('location'));
      return parsed.success ? parsed.data : undefined;
    },
    // A plain object: written only when it reads differently, since `===` never holds.
    create: (value) => (value === undefined ? undefined : { ...value }),
    write: (map, name, value) => {
      const stored = Location.safeParse(map.get(name));
      if (stored.success && value !== undefined && sameLocation(stored.data, value)) return;
      if (value === undefined) {
        if (map.has(name)) map.delete(name);
      } else map.set(name, { ...value });
    },
    equals: sameLocation,
    format: (value) =>
      value.lat === undefined ? value.name : `${value.name} (${value.lat}, ${value.lon})`,
  }),
  tags: defineField({
    label: 'Tags',
    storage: 'set',
    input: TagList.optional(),
    patch: TagList.nullable().optional(),
    optional: true,
    read: (map) => {
      const tags = readSetMembers(map.get('tags'), isStoredTag);
      return tags && sortTags(tags);
    },
    create: buildSetMap,
    write: writeSetMembers,
    equals: (a, b) => sameList(sortTags(a ?? []), sortTags(b ?? []), (x, y) => x === y),
    format: (tags) => sortTags(tags).join(', '),
  }),
  links: defineField({
    label: 'Links',
    storage: 'keyed',
    input: LinkList.optional(),
    patch: LinkList.nullable().optional(),
    optional: true,
    // Links whose target is missing are kept (a restore may bring it back); views skip them.
    read: (map) =>
      readKeyedEntries(map.get('links'), (eventId, relation): EventLink | undefined =>
        EventId.safeParse(eventId).success && LinkRelation.safeParse(relation).success
          ? { eventId, relation: relation as LinkRelation }
          : undefined,
      ),
    create: (links) => buildKeyedMap(linkEntries(links)),
    write: (map, name, links) => writeKeyedEntries(map, name, linkEntries(links)),
    equals: (a, b) =>
      sameList(sortLinks(a ?? []), sortLinks(b ?? []), (x, y) => {
        return x.eventId === y.eventId && x.relation === y.relation;
      }),
    format: (links, { eventTitles }) =>
      sortLinks(links)
        .map(
          (link) =>
            `${RELATION_LABELS[link.relation]} ${eventTitles?.get(link.eventId) ?? `event ${link.eventId}`}`,
        )
        .join('; '),
  }),
  sources: defineField({
    label: 'Sources',
    storage: 'sources',
    input: z.array(SourceInput).max(MAX_SOURCES).optional(),
    fallback: [],
    read: (map) => readSources(map.get('sources')),
    create: buildSourcesArray,
    write: writeSources,
    equals: sourcesEqual,
    format: (sources) =>
      sources.length === 0
        ? ''
        : `${plural(sources.length, 'source')}: ${sources.map(formatSource).join('; ')}`,
  }),
};

export type EventFieldName = keyof typeof EVENT_FIELDS;

/** The event field names in table order. */
export const EVENT_FIELD_NAMES = namesOf(EVENT_FIELDS);

/** A timeline event as readers return it. */
export type TimelineEvent = { id: string } & RecordOf<typeof EVENT_FIELDS>;

function linkEntries(links: readonly EventLink[] | undefined): Map<string, LinkRelation> {
  return new Map((links ?? []).map((link) => [link.eventId, link.relation]));
}

function sortLinks(links: readonly EventLink[]): EventLink[] {
  return [...links].sort((a, b) => (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
}
