/**
 * Events of a timeline: the schemas, the reader and the writers, all derived from the event field
 * table (fields.ts). Every field of an event is its own entry of the event's Y.Map, so two people
 * changing different fields of the same event both keep their change. Readers ignore fields they
 * do not know and skip entries too damaged to show (written by some other client), so the model
 * can grow without breaking older readers.
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { createId } from '../ids';
import { getEventsMap, getLanesMap, ModelError, parseOrThrow } from './doc';
import { buildMap, type FieldSpec, inputShapeOf, patchShapeOf, readFields } from './fieldSpec';
import { EVENT_FIELDS, type EventFieldName, type TimelineEvent } from './fields';
import type { SourceData } from './source';
import { compareDates, type EventKind, type Precision } from './values';

export type { TimelineEvent } from './fields';

/** The fields whose values are read together: a point has no end, a range needs a valid one. */
export const EXTENT_FIELDS = ['start', 'end', 'kind'] as const;

/** An uncertain date's bounds: earliest ≤ date ≤ latest (names as in the field table). */
const BOUNDS = [
  { date: 'start', earliest: 'startEarliest', latest: 'startLatest' },
  { date: 'end', earliest: 'endEarliest', latest: 'endLatest' },
] as const;

type BoundedDates = Partial<
  Record<'start' | 'end' | (typeof BOUNDS)[number]['earliest' | 'latest'], string>
>;

/** The bound fields that do not enclose their date (an end bound needs an end). */
function misplacedBounds(event: BoundedDates): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  for (const { date, earliest, latest } of BOUNDS) {
    const value = event[date];
    const low = event[earliest];
    const high = event[latest];
    if (value === undefined) {
      for (const field of [earliest, latest]) {
        if (event[field] !== undefined)
          problems.push({
            field,
            message: `a bound needs ${date === 'end' ? 'an end' : 'a start'}`,
          });
      }
      continue;
    }
    if (low !== undefined && compareDates(low, value) > 0) {
      problems.push({ field: earliest, message: `must not be after ${date}` });
    }
    if (high !== undefined && compareDates(high, value) < 0) {
      problems.push({ field: latest, message: `must not be before ${date}` });
    }
  }
  return problems;
}

function checkEventShape(
  event: { kind?: EventKind; start?: string; end?: string } & BoundedDates,
  ctx: z.RefinementCtx,
): void {
  for (const { field, message } of misplacedBounds(event)) {
    ctx.addIssue({ code: 'custom', path: [field], message });
  }
  if (event.kind === 'point' && event.end !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['end'], message: 'a point event has no end' });
  }
  if ((event.kind === 'range' || event.kind === 'background') && event.end === undefined) {
    ctx.addIssue({ code: 'custom', path: ['end'], message: `a ${event.kind} event needs an end` });
  }
  if (
    event.start !== undefined &&
    event.end !== undefined &&
    compareDates(event.end, event.start) < 0
  ) {
    ctx.addIssue({ code: 'custom', path: ['end'], message: 'end must not be before start' });
  }
}

/** A complete new event, as written by the UI, the REST API or the seed. */
export const EventInput = z.object(inputShapeOf(EVENT_FIELDS)).superRefine(checkEventShape);
export type EventInput = z.input<typeof EventInput>;
export type EventFields = z.output<typeof EventInput>;

/**
 * A change to some fields of an event. `end: null` removes the end (turning a range into a point
 * needs `{ kind: 'point', end: null }`). The resulting event is re-validated as a whole.
 */
export const EventPatch = z.object(patchShapeOf(EVENT_FIELDS));
export type EventPatch = z.input<typeof EventPatch>;

const FIELD_LIST = Object.entries(EVENT_FIELDS) as [EventFieldName, FieldSpec][];

/**
 * The Y.Map layout of an event: one entry per field, written by the field's writer. Writes
 * exactly what it is given: callers validate (createEvent) or reproduce a stored state (restore).
 */
export function buildEventMap(
  event: Partial<Omit<TimelineEvent, 'id' | 'sources'>> & { sources?: readonly SourceData[] },
): Y.Map<unknown> {
  return buildMap(EVENT_FIELDS, event);
}

/**
 * Adds an event and returns its id. The input is validated as a whole (a range needs an end
 * after its start, the lane must exist) and stored with dates normalized to UTC ISO strings.
 */
export function createEvent(doc: Y.Doc, input: EventInput, id = createId()): string {
  const event = parseOrThrow(EventInput, input);
  assertLaneExists(doc, event.lane);
  assertNoSelfLink(id, event.links);
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
export function updateEvent(doc: Y.Doc, id: string, patch: EventPatch): void {
  const map = getEventsMap(doc).get(id);
  const current = readEvent(doc, id);
  if (!(map instanceof Y.Map) || current === null) throw new ModelError(`event ${id} not found`);
  const changes = parseOrThrow(EventPatch, patch) as Record<string, unknown>;
  if ((changes.kind ?? current.kind) === 'point') {
    for (const name of ['end', 'endEarliest', 'endLatest']) {
      if (typeof changes[name] === 'string') {
        throw new ModelError(`${name}: a point event has no end; make it a range first`);
      }
    }
  }

  // The event as it will be: a patched value (null clears), else the current one.
  const next: Record<string, unknown> = { ...current };
  for (const [name, value] of Object.entries(changes)) {
    if (value !== undefined) next[name] = value === null ? undefined : value;
  }
  // Switching a point to a range needs an end; give it one day so the bar is visible and editable.
  if (next.kind !== 'point' && next.end === undefined) {
    next.end = new Date(Date.parse(next.start as string) + 24 * 3600 * 1000).toISOString();
  }
  if (next.kind === 'point') {
    next.end = undefined;
    // A point has no end, so no bounds on it either.
    next.endEarliest = undefined;
    next.endLatest = undefined;
  }
  assertNoSelfLink(id, changes.links as TimelineEvent['links']);
  // Scalar fields are validated together (their rules tie them); text and lists were validated
  // by the patch schema and are not re-read into the check, so a long stored text never blocks
  // an unrelated edit.
  const scalars = Object.fromEntries(
    FIELD_LIST.filter(([, spec]) => spec.storage === 'scalar').map(([name]) => [name, next[name]]),
  );
  parseOrThrow(EventInput, scalars);
  if (next.lane !== current.lane) assertLaneExists(doc, next.lane as string);

  doc.transact(() => {
    for (const [name, spec] of FIELD_LIST) {
      if (spec.patch === null) continue;
      // Scalars are rewritten from `next` (derived values such as a new end included); the
      // writer skips unchanged ones. Other storage is written only when the patch names it.
      if (spec.storage === 'scalar' || changes[name] !== undefined) {
        spec.write(map, name, next[name]);
      }
    }
  });
}

/** Moves an event in time and/or to another lane (what a drag does). */
export function moveEvent(
  doc: Y.Doc,
  id: string,
  to: { start: string; end?: string; lane?: string },
): void {
  const current = readEvent(doc, id);
  if (current === null) throw new ModelError(`event ${id} not found`);
  // A drag moves the uncertain extent with the event: its bounds shift by the same amount.
  const startShift = Date.parse(to.start) - Date.parse(current.start);
  const endShift =
    to.end !== undefined && current.end !== undefined
      ? Date.parse(to.end) - Date.parse(current.end)
      : startShift;
  const shift = (value: string | undefined, by: number) =>
    value === undefined || by === 0 || Number.isNaN(by)
      ? undefined
      : new Date(Date.parse(value) + by).toISOString();
  updateEvent(doc, id, {
    start: to.start,
    end: to.end,
    lane: to.lane,
    startEarliest: shift(current.startEarliest, startShift),
    startLatest: shift(current.startLatest, startShift),
    endEarliest: shift(current.endEarliest, endShift),
    endLatest: shift(current.endLatest, endShift),
  });
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
  return map instanceof Y.Map ? readEventMap(id, map) : null;
}

/** All readable events, sorted by start then id. */
export function readEvents(doc: Y.Doc): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  getEventsMap(doc).forEach((map, id) => {
    if (!(map instanceof Y.Map)) return;
    const event = readEventMap(id, map);
    if (event) events.push(event);
  });
  return events.sort((a, b) => compareDates(a.start, b.start) || (a.id < b.id ? -1 : 1));
}

/** Whether an entry of the events map is a readable event (one readEvents returns). */
export function isReadableEvent(map: unknown): boolean {
  return map instanceof Y.Map && EVENT_FIELDS.start.read(map) !== undefined;
}

/** Number of readable events (what readEvents returns), without building them. */
export function countEvents(doc: Y.Doc): number {
  let count = 0;
  getEventsMap(doc).forEach((map) => {
    if (isReadableEvent(map)) count++;
  });
  return count;
}

/**
 * Reads an event map with the field table, then applies the rules that tie fields together: a
 * range or band whose end is unreadable or before its start is shown as a point rather than
 * hidden, and a point never shows an end.
 */
export function readEventMap(id: string, map: Y.Map<unknown>): TimelineEvent | null {
  const fields = readFields(EVENT_FIELDS, map);
  if (fields === null) return null;
  const event = { id, ...fields } as TimelineEvent;
  const validEnd =
    event.kind !== 'point' && event.end !== undefined && compareDates(event.end, event.start) >= 0;
  if (!validEnd) {
    delete event.end;
    event.kind = 'point';
  }
  // Concurrent edits (one person moves the start, another sets its bounds) can leave bounds that
  // no longer enclose their date: they are not shown rather than shown wrong.
  for (const { field } of misplacedBounds(event)) delete event[field as keyof BoundedDates];
  // A link to itself is meaningless (writers refuse it); some other client may have written one.
  if (event.links) {
    const links = event.links.filter((link) => link.eventId !== id);
    if (links.length > 0) event.links = links;
    else delete event.links;
  }
  return event;
}

/**
 * How precisely an event's dates are known: its stored precision, else `day` when its start (and
 * end) are at midnight UTC, else `time`.
 */
export function precisionOf(event: Pick<TimelineEvent, 'precision' | 'start' | 'end'>): Precision {
  if (event.precision) return event.precision;
  const atMidnight = (iso: string | undefined) =>
    iso === undefined || iso.endsWith('T00:00:00.000Z');
  return atMidnight(event.start) && atMidnight(event.end) ? 'day' : 'time';
}

function assertNoSelfLink(id: string, links: readonly { eventId: string }[] | undefined): void {
  if (links?.some((link) => link.eventId === id)) {
    throw new ModelError('links: an event cannot link to itself');
  }
}

function assertLaneExists(doc: Y.Doc, laneId: string): void {
  if (!getLanesMap(doc).has(laneId)) throw new ModelError(`lane ${laneId} does not exist`);
}
