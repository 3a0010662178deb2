/**
 * The event field table: every field of a timeline event, defined once. For each field it says
 *
 *   label     what people call it (diff view, forms)
 *   storage   how it lives in the event's Y.Map: `scalar` (a plain value under its name), `text`
 *             (a Y.Text, edited by minimal text edits so concurrent typing merges) or `sources`
 *             (a Y.Array of Y.Maps with stable ids, see source.ts)
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
 * Rules that tie fields together (a point has no end; a range's end is not before its start) are
 * in event.ts. To add a field: one entry here, plus its input in components/timeline/EventPanel.tsx.
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { formatEventDate, plural } from '../format';
import { writeText } from './doc';
import { defineField, type FieldOption, namesOf, type RecordOf, readString } from './fieldSpec';
import {
  buildSourcesArray,
  MAX_SOURCES,
  readSources,
  SourceInput,
  sourcesEqual,
  writeSources,
} from './source';
import { Confidence, Description, EventKind, IsoDate, isReadableDate, Title } from './values';

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

const CONFIDENCE_OPTIONS: readonly FieldOption[] = [
  { value: 'confirmed', label: 'Confirmed' },
  { value: 'reported', label: 'Reported' },
  { value: 'assessment', label: 'Assessment' },
  { value: 'unverified', label: 'Unverified' },
];

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
    input: Confidence.optional(),
    patch: Confidence.nullable().optional(),
    optional: true,
    read: (map) => readOption(map, 'confidence', Confidence.options),
    options: CONFIDENCE_OPTIONS,
    emptyLabel: 'Not graded',
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
        : `${plural(sources.length, 'source')}: ${sources.map((source) => source.title).join(', ')}`,
  }),
};

export type EventFieldName = keyof typeof EVENT_FIELDS;

/** The event field names in table order. */
export const EVENT_FIELD_NAMES = namesOf(EVENT_FIELDS);

/** A timeline event as readers return it. */
export type TimelineEvent = { id: string } & RecordOf<typeof EVENT_FIELDS>;
