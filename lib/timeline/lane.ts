/**
 * Lanes of a timeline: horizontal groups events are drawn in. Each lane is a Y.Map in the
 * `lanes` root map with one entry per field of LANE_FIELDS; the Lane type, LaneInput, the reader
 * and the diff are derived from the table.
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { HEX_COLOR, NEUTRAL_COLOR, pickColor } from '../colors';
import { createId } from '../ids';
import { getEventsMap, getLanesMap, ModelError, parseOrThrow, writeValue } from './doc';
import {
  buildMap,
  defineField,
  inputShapeOf,
  namesOf,
  type RecordOf,
  readFields,
} from './fieldSpec';
import { Color, Title } from './values';

/** The lane fields, in the order the diff lists them. */
export const LANE_FIELDS = {
  title: defineField({
    label: 'Title',
    input: Title,
    fallback: 'Untitled lane',
    read: (map) => {
      const title = map.get('title');
      return typeof title === 'string' ? title : undefined;
    },
  }),
  order: defineField({
    label: 'Position',
    // Optional in the input: a new lane goes after the last one.
    input: z.number().finite().optional(),
    fallback: 0,
    read: (map) => {
      const order = map.get('order');
      return typeof order === 'number' && Number.isFinite(order) ? order : undefined;
    },
  }),
  color: defineField({
    label: 'Colour',
    // Optional in the input: a new lane takes the next palette colour.
    input: Color.optional(),
    fallback: NEUTRAL_COLOR,
    read: (map) => {
      const color = map.get('color');
      return typeof color === 'string' && HEX_COLOR.test(color) ? color : undefined;
    },
  }),
};

export type LaneFieldName = keyof typeof LANE_FIELDS;
export const LANE_FIELD_NAMES = namesOf(LANE_FIELDS);

export type Lane = { id: string } & RecordOf<typeof LANE_FIELDS>;

export const LaneInput = z.object(inputShapeOf(LANE_FIELDS));
export type LaneInput = z.input<typeof LaneInput>;

/** Adds a lane at the end (or at `order`) and returns its id. */
export function createLane(doc: Y.Doc, input: LaneInput, id = createId()): string {
  const lane = parseOrThrow(LaneInput, input);
  const lanes = getLanesMap(doc);
  const existing = readLanes(doc);
  assertTitleFree(existing, lane.title);
  const order =
    lane.order ?? (existing.length === 0 ? 0 : existing[existing.length - 1]!.order + 1);
  const color = lane.color ?? pickColor(existing.length);
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
  return buildMap(LANE_FIELDS, lane);
}

/** Lanes sorted by `order`, then id (so every client shows the same order). */
export function readLanes(doc: Y.Doc): Lane[] {
  const lanes: Lane[] = [];
  getLanesMap(doc).forEach((map, id) => {
    if (!(map instanceof Y.Map)) return;
    lanes.push({ id, ...readFields(LANE_FIELDS, map) } as Lane);
  });
  return lanes.sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : 1));
}

/** What a lane's rename or recolour may change. */
export const LanePatch = z
  .object({ title: LANE_FIELDS.title.input, color: Color })
  .partial()
  .strict();
export type LanePatch = z.input<typeof LanePatch>;

/**
 * Renames and/or recolours a lane. Names are unique within a timeline, ignoring case and the
 * spaces around them, so two lanes never read the same in the timeline or the lane picker.
 */
export function updateLane(doc: Y.Doc, id: string, patch: LanePatch): void {
  const change = parseOrThrow(LanePatch, patch);
  const map = requireLaneMap(doc, id);
  if (change.title !== undefined) {
    assertTitleFree(
      readLanes(doc).filter((lane) => lane.id !== id),
      change.title,
    );
  }
  // Only the fields given: writeValue deletes an entry for `undefined`.
  doc.transact(() => {
    if (change.title !== undefined) writeValue(map, 'title', change.title);
    if (change.color !== undefined) writeValue(map, 'color', change.color);
  });
}

/**
 * Moves a lane to position `index` (0 = first) of the current order and renumbers the lanes'
 * `order` 0, 1, 2, …, writing only those that change.
 */
export function moveLane(doc: Y.Doc, id: string, index: number): void {
  requireLaneMap(doc, id);
  const lanes = readLanes(doc);
  const from = lanes.findIndex((lane) => lane.id === id);
  const [moved] = lanes.splice(from, 1);
  const to = Math.max(0, Math.min(lanes.length, Math.trunc(index)));
  lanes.splice(to, 0, moved!);
  const maps = getLanesMap(doc);
  doc.transact(() => {
    lanes.forEach((lane, order) => {
      const map = maps.get(lane.id);
      if (map instanceof Y.Map) writeValue(map, 'order', order);
    });
  });
}

/** What happens to a deleted lane's events: moved to another lane, or deleted with it. */
export type LaneEventsChoice = { moveTo: string } | { deleteEvents: true };

/**
 * Deletes a lane. Its events move to `moveTo` (which must be another existing lane) or are
 * deleted with it, in the same transaction, so nobody ever sees an event in a missing lane.
 * Deleting a lane that is already gone does nothing.
 */
export function deleteLane(doc: Y.Doc, id: string, choice: LaneEventsChoice): void {
  const lanes = getLanesMap(doc);
  if (!lanes.has(id)) return;
  if ('moveTo' in choice) {
    if (choice.moveTo === id) throw new ModelError('move the events to another lane');
    if (!(lanes.get(choice.moveTo) instanceof Y.Map)) {
      throw new ModelError(`lane ${choice.moveTo} does not exist`);
    }
  }
  const events = getEventsMap(doc);
  doc.transact(() => {
    for (const [eventId, map] of [...events.entries()]) {
      if (!(map instanceof Y.Map) || map.get('lane') !== id) continue;
      if ('moveTo' in choice) writeValue(map, 'lane', choice.moveTo);
      else events.delete(eventId);
    }
    lanes.delete(id);
  });
}

/** The number of events in each lane (lane id → count). */
export function countEventsByLane(doc: Y.Doc): Map<string, number> {
  const counts = new Map<string, number>();
  getEventsMap(doc).forEach((map) => {
    if (!(map instanceof Y.Map)) return;
    const lane = map.get('lane');
    if (typeof lane === 'string') counts.set(lane, (counts.get(lane) ?? 0) + 1);
  });
  return counts;
}

/** Whether two lane names count as the same (what uniqueness compares). */
export function isSameLaneTitle(a: string, b: string): boolean {
  return a.trim().toLocaleLowerCase() === b.trim().toLocaleLowerCase();
}

function assertTitleFree(others: Lane[], title: string): void {
  if (others.some((lane) => isSameLaneTitle(lane.title, title))) {
    throw new ModelError(`a lane named “${title.trim()}” already exists`);
  }
}

function requireLaneMap(doc: Y.Doc, id: string): Y.Map<unknown> {
  const map = getLanesMap(doc).get(id);
  if (!(map instanceof Y.Map)) throw new ModelError(`lane ${id} does not exist`);
  return map;
}
