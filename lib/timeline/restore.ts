/**
 * Restoring an earlier version of a timeline. A restore is written as one ordinary new change on
 * top of the live document, never by replacing the document or rewinding its history: every
 * connected client receives it like any other edit, the update log keeps the versions in between
 * (so the restore can itself be undone by restoring again), and edits other people make at the
 * same time to things the restore does not touch survive the merge.
 */
import * as Y from 'yjs';
import { diffEventFields, diffTimelines, type EventField } from './diff';
import {
  buildEventMap,
  buildLaneMap,
  buildSourceMaps,
  buildSourcesArray,
  getEventsMap,
  getLanesMap,
  getMetaMap,
  type Lane,
  readEvent,
  readTimeline,
  replaceText,
  type TimelineEvent,
  type TimelineSnapshot,
} from './model';

/**
 * Makes the document read back as `target` (readTimeline(doc) deep-equals it) by writing only
 * what differs, in a single transaction tagged with `origin` (so an UndoManager or the sync layer
 * can recognise it). If the document already matches, nothing is written and no update is sent.
 *
 * Why only differences: an unchanged event gets no write at all, so a concurrent edit to it by
 * someone else is not overwritten when the two changes merge; a changed event gets writes only
 * for its differing fields, and its description gets a minimal text edit.
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
      for (const { field } of changes) writeValue(map, field, wanted[field as keyof Lane]);
    }

    const events = getEventsMap(doc);
    for (const event of diff.events.removed) events.delete(event.id);
    for (const event of diff.events.added) events.set(event.id, buildEventMap(event));
    for (const { id, changes } of diff.events.changed) {
      const map = events.get(id)!;
      const wanted = targetEvents.get(id)!;
      for (const { field } of changes) writeEventField(map, field as EventField, wanted);
      // The reader derives kind and end from kind, start and end together (a range whose end is
      // unreadable shows as a point), so on a damaged entry fixing only the fields that looked
      // different may not be enough. Then write those three exactly as the target has them.
      const now = readEvent(doc, id);
      if (now === null || diffEventFields(now, wanted).length > 0) {
        for (const field of ['start', 'end', 'kind'] as const)
          writeValue(map, field, wanted[field]);
      }
    }

    for (const lane of diff.lanes.removed) lanes.delete(lane.id);
  }, origin);
}

/** Writes one event field, touching the document only if the stored value differs. */
function writeEventField(map: Y.Map<unknown>, field: EventField, event: TimelineEvent): void {
  if (field === 'description') {
    const text = map.get('description');
    // Editing the existing Y.Text, not replacing it, keeps concurrent typing elsewhere in it.
    if (text instanceof Y.Text) replaceText(text, event.description ?? '');
    else map.set('description', new Y.Text(event.description ?? ''));
  } else if (field === 'sources') {
    const sources = map.get('sources');
    // Filling the existing array rather than setting a new one keeps sources that another client
    // appends concurrently; a new array would win over theirs and drop them.
    if (sources instanceof Y.Array) {
      if (sources.length > 0) sources.delete(0, sources.length);
      const maps = buildSourceMaps(event.sources ?? []);
      if (maps.length > 0) sources.push(maps);
    } else {
      map.set('sources', buildSourcesArray(event.sources ?? []));
    }
  } else {
    writeValue(map, field, event[field]);
  }
}

/** Sets (or, for `undefined`, deletes) a map entry unless it already holds exactly that value. */
function writeValue(map: Y.Map<unknown>, key: string, value: unknown): void {
  if (value === undefined) {
    if (map.has(key)) map.delete(key);
  } else if (map.get(key) !== value) {
    // Yjs records a set even when the value is equal, which would override concurrent edits.
    map.set(key, value);
  }
}
