/**
 * The root of a timeline Y.Doc and the small write helpers every entity module shares.
 *
 *   doc.getMap('meta')   title (string), createdAt (ISO string), other timeline fields
 *   doc.getMap('lanes')  laneId  → Y.Map, one entry per lane field   (lane.ts)
 *   doc.getMap('events') eventId → Y.Map, one entry per event field  (fields.ts, event.ts)
 */
import * as Y from 'yjs';
import type { z } from 'zod';
import { ModelError } from '../errors';
import { Title } from './values';

export { ModelError };

export interface TimelineMeta {
  title: string;
}

/** The timeline-wide fields map. */
export function getMetaMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap('meta');
}

/** Lane id → lane map. */
export function getLanesMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap('lanes');
}

/** Event id → event map. */
export function getEventsMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap('events');
}

/** Reads the timeline-wide fields. */
export function readMeta(doc: Y.Doc): TimelineMeta {
  const title = getMetaMap(doc).get('title');
  return { title: typeof title === 'string' && title.length > 0 ? title : 'Untitled timeline' };
}

/** Renames the timeline. */
export function setTimelineTitle(doc: Y.Doc, title: string): void {
  const parsed = Title.safeParse(title);
  if (!parsed.success) throw new ModelError(`title ${parsed.error.issues[0]?.message}`);
  getMetaMap(doc).set('title', parsed.data);
}

/**
 * Parses `value` with `schema`, or throws a ModelError naming every problem (`end: must not be
 * before start; lane: …`), so the UI can show it as is.
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ModelError(
      result.error.issues
        .map((issue) => `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`)
        .join('; '),
    );
  }
  return result.data;
}

/**
 * Sets (or, for `undefined`, deletes) a map entry unless it already holds exactly that value.
 * Yjs records a set even when the value is equal, and that write would win over a concurrent
 * change by someone else.
 */
export function writeValue(map: Y.Map<unknown>, key: string, value: unknown): void {
  if (value === undefined) {
    if (map.has(key)) map.delete(key);
  } else if (map.get(key) !== value) {
    map.set(key, value);
  }
}

/**
 * Makes the Y.Text under `key` read `value`: a minimal edit of the existing text (so concurrent
 * typing elsewhere in it survives), or a new Y.Text if there is none.
 */
export function writeText(map: Y.Map<unknown>, key: string, value: string): void {
  const text = map.get(key);
  if (text instanceof Y.Text) replaceText(text, value);
  else map.set(key, new Y.Text(value));
}

/**
 * Replaces the content of a Y.Text with `value` by deleting and inserting only the part between
 * the common prefix and suffix, so that concurrent edits elsewhere in the text survive.
 */
export function replaceText(text: Y.Text, value: string): void {
  const current = text.toString();
  if (current === value) return;
  let prefix = 0;
  const maxPrefix = Math.min(current.length, value.length);
  while (prefix < maxPrefix && current.charCodeAt(prefix) === value.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  const maxSuffix = Math.min(current.length, value.length) - prefix;
  while (
    suffix < maxSuffix &&
    current.charCodeAt(current.length - 1 - suffix) === value.charCodeAt(value.length - 1 - suffix)
  ) {
    suffix++;
  }
  // Never split a surrogate pair (emoji and other astral characters): Yjs would store the
  // orphaned half as U+FFFD.
  if (prefix > 0 && isHighSurrogate(current.charCodeAt(prefix - 1))) prefix--;
  if (suffix > 0 && isLowSurrogate(current.charCodeAt(current.length - suffix))) suffix--;
  const deleteCount = current.length - prefix - suffix;
  const insert = value.slice(prefix, value.length - suffix);
  text.doc
    ? text.doc.transact(() => applyTextChange(text, prefix, deleteCount, insert))
    : applyTextChange(text, prefix, deleteCount, insert);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

function applyTextChange(text: Y.Text, index: number, deleteCount: number, insert: string): void {
  if (deleteCount > 0) text.delete(index, deleteCount);
  if (insert.length > 0) text.insert(index, insert);
}
