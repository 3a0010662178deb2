/**
 * Restoring an earlier version of a timeline. A restore is written as one ordinary new change on
 * top of the live document, never by replacing the document or rewinding its history: every
 * connected client receives it like any other edit, the update log keeps the versions in between
 * (so the restore can itself be undone by restoring again), and edits other people make at the
 * same time to things the restore does not touch survive the merge.
 */
import type * as Y from 'yjs';
import { diffEventFields, diffTimelines } from './diff';
import { getEventsMap, getLanesMap, getMetaMap, writeValue } from './doc';
import { buildEventMap, EXTENT_FIELDS, readEvent } from './event';
import type { FieldSpec } from './fieldSpec';
import { EVENT_FIELDS, type EventFieldName } from './fields';
import { buildLaneMap, LANE_FIELDS, type LaneFieldName } from './lane';
import { readTimeline, type TimelineSnapshot } from './model';

/**
 * Makes the document read back as `target` (readTimeline(doc) deep-equals it) by writing only
 * what differs, in a single transaction tagged with `origin` (so an UndoManager or the sync layer
 * can recognise it). If the document already matches, nothing is written and no update is sent.
 *
 * Why only differences: an unchanged event gets no write at all, so a concurrent edit to it by
 * someone else is not overwritten when the two changes merge; a changed event gets writes only
 * for its differing fields, each by the field's own writer (fields.ts): its description gets a
 * minimal text edit, its sources are matched by id and changed in place.
 *
 * Why the Y structures are written directly instead of through createEvent/updateEvent: those
 * writers normalize (trim titles, reformat dates) and refuse values that a snapshot can
 * legitimately hold, because readTimeline shows damaged entries from other clients with defaults
 * (an empty title or lane) that the writers would reject. Normalizing would break the guarantee
 * that the document reads back exactly as the snapshot, and refusing midway would leave a
 * half-restored document. The maps written here have exactly the layout createEvent and
 * createLane build. The target is not re-validated: it is expected to come from readTimeline. A
 * value the reader cannot show (an unparseable start, say) is written as given and then skipped
 * by readers, just as it would be if another client had written it.
 *
 * Known limits, inherent to merging: an event (or lane) that the restore re-creates is a new map,
 * so edits made concurrently to the deleted copy are lost; and an event another client moves into
 * a lane the restore deletes, at the same time, ends up in a lane that no longer exists.
 */
export function restoreTimeline(doc: Y.Doc, target: TimelineSnapshot, origin?: unknown): void {
  const diff = diffTimelines(readTimeline(doc), target);
  if (diff.empty) return;
  const targetEvents = new Map(target.events.map((event) => [event.id, event]));
  const targetLanes = new Map(target.lanes.map((lane) => [lane.id, lane]));

  doc.transact(() => {
    if (diff.title) getMetaMap(doc).set('title', target.meta.title);

    // Lanes the target has come first so that no event is ever written pointing to a lane that
    // is not there yet; lanes it lacks go last, after the events in them were moved or deleted.
    const lanes = getLanesMap(doc);
    for (const lane of diff.lanes.added) lanes.set(lane.id, buildLaneMap(lane));
    for (const { id, changes } of diff.lanes.changed) {
      const map = lanes.get(id)!;
      const wanted = targetLanes.get(id)!;
      for (const { field } of changes) {
        const spec: FieldSpec = LANE_FIELDS[field as LaneFieldName];
        spec.write(map, field, wanted[field as LaneFieldName]);
      }
    }

    const events = getEventsMap(doc);
    for (const event of diff.events.removed) events.delete(event.id);
    for (const event of diff.events.added) events.set(event.id, buildEventMap(event));
    for (const { id, changes } of diff.events.changed) {
      const map = events.get(id)!;
      const wanted = targetEvents.get(id)!;
      for (const { field } of changes) {
        const spec: FieldSpec = EVENT_FIELDS[field as EventFieldName];
        spec.write(map, field, wanted[field as EventFieldName]);
      }
      // The reader derives kind and end from kind, start and end together (a range whose end is
      // unreadable shows as a point), so on a damaged entry fixing only the fields that looked
      // different may not be enough. Then write those three exactly as the target has them.
      const now = readEvent(doc, id);
      if (now === null || diffEventFields(now, wanted).length > 0) {
        for (const field of EXTENT_FIELDS) writeValue(map, field, wanted[field]);
      }
    }

    for (const lane of diff.lanes.removed) lanes.delete(lane.id);
  }, origin);
}
