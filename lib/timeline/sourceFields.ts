/**
 * The source field table: every field of an event's source, defined once (see fieldSpec.ts for
 * what an entry says), with the types and schemas derived from it. The storage of sources (ids,
 * in-place edits) is in source.ts, which re-exports this module.
 */
import type * as Y from 'yjs';
import { z } from 'zod';
import { formatEventDate } from '../format';
import { ID_PATTERN } from '../ids';
import {
  defineField,
  inputShapeOf,
  namesOf,
  patchShapeOf,
  type RecordOf,
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
