/**
 * The timeline document model: how a timeline lives inside a Y.Doc, and the only functions that
 * read or write it. Browser, server, seed and exports all go through these modules:
 *
 *   doc.ts     the root maps (meta, lanes, events), the title, write helpers, ModelError
 *   fields.ts  the event field table: every event field defined once
 *   event.ts   event schemas, reader and writers, derived from the table
 *   source.ts  an event's sources (stable ids, edited in place) and their field table
 *   lane.ts    lanes and their field table
 *   grading.ts the words of the evidence scales (Admiralty grades, ICD 203 confidence)
 *   corroboration.ts  independent publishers behind an event (derived, not stored)
 *
 * This module re-exports them, so `model` stays the one import for callers, and holds what spans
 * them: a whole new timeline, and the whole timeline as plain data.
 */
import type * as Y from 'yjs';
import { getMetaMap, parseOrThrow, readMeta, type TimelineMeta } from './doc';
import { readEvents, type TimelineEvent } from './event';
import { createLane, type Lane, type LaneInput, readLanes } from './lane';
import { Title } from './values';

export * from './corroboration';
export * from './doc';
export * from './event';
export * from './fields';
export * from './grading';
export * from './lane';
export * from './source';

export interface TimelineSnapshot {
  meta: TimelineMeta;
  lanes: Lane[];
  events: TimelineEvent[];
}

/** Writes the title and lanes of a new timeline in one transaction; returns the lane ids. */
export function initializeTimeline(
  doc: Y.Doc,
  init: { title: string; lanes?: LaneInput[] },
): string[] {
  const title = parseOrThrow(Title, init.title);
  let laneIds: string[] = [];
  doc.transact(() => {
    getMetaMap(doc).set('title', title);
    laneIds = (init.lanes ?? []).map((lane) => createLane(doc, lane));
  });
  return laneIds;
}

/** The whole timeline as plain data (what the JSON export returns). */
export function readTimeline(doc: Y.Doc): TimelineSnapshot {
  return { meta: readMeta(doc), lanes: readLanes(doc), events: readEvents(doc) };
}
