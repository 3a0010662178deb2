/**
 * Lanes of a timeline: horizontal groups events are drawn in. Each lane is a Y.Map in the
 * `lanes` root map with one entry per field of LANE_FIELDS; the Lane type, LaneInput, the reader
 * and the diff are derived from the table.
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { HEX_COLOR, NEUTRAL_COLOR, pickColor } from '../colors';
import { createId } from '../ids';
import { getLanesMap, parseOrThrow } from './doc';
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
