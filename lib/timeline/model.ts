/**
 * The timeline document model: how a timeline lives inside a Y.Doc, and the only functions that
 * read or write it. Browser, server, seed and exports all go through this module.
 *
 *   doc.getMap('meta')   title (string), createdAt (ISO string), other timeline fields
 *   doc.getMap('lanes')  laneId  → Y.Map { title, order (number), color }
 *   doc.getMap('events') eventId → Y.Map { title, start, end?, kind, lane, description (Y.Text),
 *                                          confidence?, sources? (Y.Array of Y.Map {title, url?}) }
 *
 * Every field of an event is its own map entry, so two people changing different fields of the
 * same event both keep their change; the description is a Y.Text, so two people typing in it
 * keep both their words. Readers ignore fields they do not know, and skip entries too damaged to
 * show (written by some other client), so the model can grow without breaking older readers.
 */
import * as Y from 'yjs';
import { ValidationError } from '../errors';
import { createId } from '../ids';
import {
  Confidence,
  EventInput,
  type EventInput as EventInputType,
  EventKind,
  EventPatch,
  type EventPatch as EventPatchType,
  LaneInput,
  type LaneInput as LaneInputType,
  Title,
} from './schemas';

export interface TimelineMeta {
  title: string;
}

export interface Lane {
  id: string;
  title: string;
  order: number;
  color: string;
}

export interface EventSource {
  title: string;
  url?: string;
}

export interface TimelineEvent {
  id: string;
  title: string;
  start: string;
  end?: string;
  kind: EventKind;
  lane: string;
  description: string;
  confidence?: Confidence;
  sources: EventSource[];
}

export interface TimelineSnapshot {
  meta: TimelineMeta;
  lanes: Lane[];
  events: TimelineEvent[];
}

/** Thrown when a write would leave the document invalid; the message is fit for users. */
export class ModelError extends ValidationError {
  override name = 'ModelError';
}

const LANE_COLORS = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#0891b2', '#db2777'];
const EVENT_KINDS: readonly string[] = EventKind.options;
const CONFIDENCES: readonly string[] = Confidence.options;

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

/** Writes the title and lanes of a new timeline in one transaction. */
export function initializeTimeline(
  doc: Y.Doc,
  init: { title: string; lanes?: LaneInputType[] },
): string[] {
  const title = parseOrThrow(Title, init.title);
  let laneIds: string[] = [];
  doc.transact(() => {
    getMetaMap(doc).set('title', title);
    laneIds = (init.lanes ?? []).map((lane) => createLane(doc, lane));
  });
  return laneIds;
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

/** Adds a lane at the end (or at `order`) and returns its id. */
export function createLane(doc: Y.Doc, input: LaneInputType, id = createId()): string {
  const lane = parseOrThrow(LaneInput, input);
  const lanes = getLanesMap(doc);
  const existing = readLanes(doc);
  const order =
    lane.order ?? (existing.length === 0 ? 0 : existing[existing.length - 1]!.order + 1);
  const color = lane.color ?? LANE_COLORS[existing.length % LANE_COLORS.length]!;
  doc.transact(() => {
    lanes.set(id, buildLaneMap({ title: lane.title, order, color }));
  });
  return id;
}

/**
 * The Y.Map layout of a lane. Writes exactly what it is given: callers validate (createLane) or
 * reproduce a stored state as it was (restore).
 */
export function buildLaneMap(lane: Omit<Lane, 'id'>): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  map.set('title', lane.title);
  map.set('order', lane.order);
  map.set('color', lane.color);
  return map;
}

/**
 * The Y.Map layout of an event (see the module comment). Writes exactly what it is given:
 * callers validate (createEvent) or reproduce a stored state as it was (restore).
 */
export function buildEventMap(event: {
  title: string;
  start: string;
  end?: string;
  kind: EventKind;
  lane: string;
  description?: string;
  confidence?: Confidence;
  sources?: readonly EventSource[];
}): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  map.set('title', event.title);
  map.set('start', event.start);
  if (event.end !== undefined) map.set('end', event.end);
  map.set('kind', event.kind);
  map.set('lane', event.lane);
  map.set('description', new Y.Text(event.description ?? ''));
  if (event.confidence !== undefined) map.set('confidence', event.confidence);
  if (event.sources !== undefined) map.set('sources', buildSourcesArray(event.sources));
  return map;
}

/** The Y.Array of source maps an event's `sources` field holds. */
export function buildSourcesArray(sources: readonly EventSource[]): Y.Array<Y.Map<unknown>> {
  const array = new Y.Array<Y.Map<unknown>>();
  array.push(buildSourceMaps(sources));
  return array;
}

/** One Y.Map per source, for inserting into an existing sources array. */
export function buildSourceMaps(sources: readonly EventSource[]): Y.Map<unknown>[] {
  return sources.map((source) => {
    const map = new Y.Map<unknown>();
    map.set('title', source.title);
    if (source.url !== undefined) map.set('url', source.url);
    return map;
  });
}

/** Lanes sorted by `order`, then id (so every client shows the same order). */
export function readLanes(doc: Y.Doc): Lane[] {
  const lanes: Lane[] = [];
  getLanesMap(doc).forEach((map, id) => {
    if (!(map instanceof Y.Map)) return;
    const title = map.get('title');
    const order = map.get('order');
    const color = map.get('color');
    lanes.push({
      id,
      title: typeof title === 'string' ? title : 'Untitled lane',
      order: typeof order === 'number' && Number.isFinite(order) ? order : 0,
      color: typeof color === 'string' && /^#[0-9a-fA-F]{6}$/.test(color) ? color : '#64748b',
    });
  });
  return lanes.sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : 1));
}

/**
 * Adds an event and returns its id. The input is validated as a whole (a range needs an end
 * after its start, the lane must exist) and stored with dates normalized to UTC ISO strings.
 */
export function createEvent(doc: Y.Doc, input: EventInputType, id = createId()): string {
  const event = parseOrThrow(EventInput, input);
  assertLaneExists(doc, event.lane);
  doc.transact(() => {
    getEventsMap(doc).set(id, buildEventMap(event));
  });
  return id;
}

/**
 * Changes some fields of an event. Only fields whose value differs are written, so a concurrent
 * change to another field by someone else is never overwritten. A changed description is applied
 * as a minimal text edit, so concurrent typing merges.
 */
export function updateEvent(doc: Y.Doc, id: string, patch: EventPatchType): void {
  const map = getEventsMap(doc).get(id);
  const current = readEvent(doc, id);
  if (!(map instanceof Y.Map) || current === null) throw new ModelError(`event ${id} not found`);
  const changes = parseOrThrow(EventPatch, patch);
  if ((changes.kind ?? current.kind) === 'point' && typeof changes.end === 'string') {
    throw new ModelError('end: a point event has no end; make it a range first');
  }

  const next = {
    title: changes.title ?? current.title,
    start: changes.start ?? current.start,
    end: changes.end === null ? undefined : (changes.end ?? current.end),
    kind: changes.kind ?? current.kind,
    lane: changes.lane ?? current.lane,
    confidence:
      changes.confidence === null ? undefined : (changes.confidence ?? current.confidence),
  };
  // Switching a point to a range needs an end; give it one day so the bar is visible and editable.
  if (next.kind !== 'point' && next.end === undefined) {
    next.end = new Date(Date.parse(next.start) + 24 * 3600 * 1000).toISOString();
  }
  if (next.kind === 'point') next.end = undefined;
  parseOrThrow(EventInput, { ...next, description: undefined });
  if (next.lane !== current.lane) assertLaneExists(doc, next.lane);

  doc.transact(() => {
    for (const key of ['title', 'start', 'kind', 'lane'] as const) {
      if (map.get(key) !== next[key]) map.set(key, next[key]);
    }
    if (next.end === undefined) {
      if (map.has('end')) map.delete('end');
    } else if (map.get('end') !== next.end) {
      map.set('end', next.end);
    }
    if (next.confidence === undefined) {
      if (map.has('confidence')) map.delete('confidence');
    } else if (map.get('confidence') !== next.confidence) {
      map.set('confidence', next.confidence);
    }
    if (changes.description !== undefined) {
      let text = map.get('description');
      if (!(text instanceof Y.Text)) {
        text = new Y.Text();
        map.set('description', text);
      }
      replaceText(text as Y.Text, changes.description);
    }
  });
}

/** Moves an event in time and/or to another lane (what a drag does). */
export function moveEvent(
  doc: Y.Doc,
  id: string,
  to: { start: string; end?: string; lane?: string },
): void {
  updateEvent(doc, id, { start: to.start, end: to.end, lane: to.lane });
}

/** Deletes an event. Deleting an event that is already gone does nothing. */
export function deleteEvent(doc: Y.Doc, id: string): void {
  getEventsMap(doc).delete(id);
}

/** The description Y.Text of an event, for editors that bind to it directly. */
export function getDescriptionText(doc: Y.Doc, id: string): Y.Text | null {
  const text = getEventsMap(doc).get(id)?.get('description');
  return text instanceof Y.Text ? text : null;
}

/** Reads one event, or null if it is missing or too damaged to show. */
export function readEvent(doc: Y.Doc, id: string): TimelineEvent | null {
  const map = getEventsMap(doc).get(id);
  return map instanceof Y.Map ? toEvent(id, map) : null;
}

/** All readable events, sorted by start then id. */
export function readEvents(doc: Y.Doc): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  getEventsMap(doc).forEach((map, id) => {
    if (!(map instanceof Y.Map)) return;
    const event = toEvent(id, map);
    if (event) events.push(event);
  });
  return events.sort((a, b) =>
    a.start < b.start ? -1 : a.start > b.start ? 1 : a.id < b.id ? -1 : 1,
  );
}

/** Number of readable events (what readEvents returns), without building them. */
export function countEvents(doc: Y.Doc): number {
  let count = 0;
  getEventsMap(doc).forEach((map) => {
    if (map instanceof Y.Map && isReadableStart(map.get('start'))) count++;
  });
  return count;
}

function isReadableStart(start: unknown): start is string {
  return typeof start === 'string' && !Number.isNaN(Date.parse(start));
}

/** The whole timeline as plain data (what the JSON export returns). */
export function readTimeline(doc: Y.Doc): TimelineSnapshot {
  return { meta: readMeta(doc), lanes: readLanes(doc), events: readEvents(doc) };
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

function toEvent(id: string, map: Y.Map<unknown>): TimelineEvent | null {
  const title = map.get('title');
  const start = map.get('start');
  const end = map.get('end');
  const kind = map.get('kind');
  const lane = map.get('lane');
  if (!isReadableStart(start)) return null;
  const validKind =
    typeof kind === 'string' && EVENT_KINDS.includes(kind) ? (kind as EventKind) : 'point';
  const validEnd =
    validKind !== 'point' &&
    typeof end === 'string' &&
    !Number.isNaN(Date.parse(end)) &&
    end >= start
      ? end
      : undefined;
  const description = map.get('description');
  const confidence = map.get('confidence');
  const sources = map.get('sources');
  return {
    id,
    title: typeof title === 'string' ? title : '',
    start,
    ...(validEnd !== undefined ? { end: validEnd } : {}),
    // A range whose end is unreadable is shown as a point rather than hidden.
    kind: validEnd === undefined ? 'point' : validKind,
    lane: typeof lane === 'string' ? lane : '',
    description: description instanceof Y.Text ? description.toString() : '',
    // A value this version does not know is ignored, like an unknown field.
    ...(typeof confidence === 'string' && CONFIDENCES.includes(confidence)
      ? { confidence: confidence as Confidence }
      : {}),
    sources: sources instanceof Y.Array ? readSources(sources) : [],
  };
}

function readSources(array: Y.Array<unknown>): EventSource[] {
  const sources: EventSource[] = [];
  for (const item of array.toArray()) {
    if (!(item instanceof Y.Map)) continue;
    const title = item.get('title');
    const url = item.get('url');
    if (typeof title !== 'string') continue;
    sources.push(typeof url === 'string' ? { title, url } : { title });
  }
  return sources;
}

function assertLaneExists(doc: Y.Doc, laneId: string): void {
  if (!getLanesMap(doc).has(laneId)) throw new ModelError(`lane ${laneId} does not exist`);
}

function parseOrThrow<S extends import('zod').ZodType>(
  schema: S,
  value: unknown,
): import('zod').output<S> {
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
