/**
 * Writes an import plan into a timeline document in one transaction, so collaborators receive it
 * as one change (one undo step) and nobody sees half an import. Lanes are matched by name to the
 * timeline's lanes (ignoring case, as lane names are unique that way) and created when missing.
 */
import type * as Y from 'yjs';
import { createId } from '../ids';
import { getEventsMap, getMetaMap, writeValue } from '../timeline/doc';
import { buildEventMap } from '../timeline/event';
import { createLane, isSameLaneTitle, readLanes } from '../timeline/lane';
import { DEFAULT_LANE_TITLE, type ImportPlan } from './plan';

/** How many lanes and events an import creates (or, for a dry run, would create). */
export interface ImportCounts {
  events: number;
  lanes: number;
}

/** The lanes a plan would create in `doc`, by title, in order. */
function lanesToCreate(doc: Y.Doc, plan: ImportPlan): { title: string; color?: string }[] {
  const existing = readLanes(doc);
  const wanted = [...plan.lanes];
  if (existing.length === 0 && plan.events.some((event) => event.laneTitle === undefined)) {
    if (!wanted.some((lane) => isSameLaneTitle(lane.title, DEFAULT_LANE_TITLE))) {
      wanted.unshift({ title: DEFAULT_LANE_TITLE });
    }
  }
  const used = new Set(
    plan.events.map((event) => (event.laneTitle ?? DEFAULT_LANE_TITLE).toLocaleLowerCase()),
  );
  return wanted.filter(
    (lane) =>
      !existing.some((other) => isSameLaneTitle(other.title, lane.title)) &&
      // A lane the file lists but no imported event uses is still created for our own JSON
      // (round trip), but never the default lane when nothing goes there.
      (lane.title !== DEFAULT_LANE_TITLE || used.has(DEFAULT_LANE_TITLE.toLocaleLowerCase())),
  );
}

/** What applying `plan` to `doc` would create, without writing anything. */
export function countImportPlan(doc: Y.Doc, plan: ImportPlan): ImportCounts {
  return { events: plan.events.length, lanes: lanesToCreate(doc, plan).length };
}

/**
 * Applies `plan` to `doc` in one transaction (joining the caller's, if any) and returns what it
 * created. Event ids from the file are kept when free, else replaced, and links between imported
 * events follow the replacement. The timeline's description is set from the file only when the
 * timeline has none.
 */
export function applyImportPlan(doc: Y.Doc, plan: ImportPlan): ImportCounts {
  const counts = countImportPlan(doc, plan);
  doc.transact(() => {
    for (const lane of lanesToCreate(doc, plan)) createLane(doc, lane);
    const lanes = readLanes(doc);
    const laneId = (title: string | undefined) =>
      title === undefined
        ? lanes[0]!.id
        : lanes.find((lane) => isSameLaneTitle(lane.title, title))!.id;

    const events = getEventsMap(doc);
    const ids = new Map<string, string>();
    const taken = new Set<string>();
    const newIds = plan.events.map((planned) => {
      const wanted = planned.id;
      const id = wanted && !events.has(wanted) && !taken.has(wanted) ? wanted : createId();
      taken.add(id);
      if (wanted) ids.set(wanted, id);
      return id;
    });
    plan.events.forEach((planned, index) => {
      const id = newIds[index]!;
      const event = { ...planned.event, lane: laneId(planned.laneTitle) };
      if (event.links) {
        // Links between imported events follow their new ids; a link that would now point at its
        // own event (the file reused an id) is dropped, as the model allows no self-links.
        event.links = event.links
          .map((link) => ({ ...link, eventId: ids.get(link.eventId) ?? link.eventId }))
          .filter((link) => link.eventId !== id);
      }
      // The plan was validated with the model's EventInput (plan.ts) and the lane exists, so the
      // event is written as createEvent would, without validating 10,000 rows a second time.
      events.set(id, buildEventMap(event));
    });
    const meta = getMetaMap(doc);
    if (plan.timelineDescription && !meta.get('description')) {
      writeValue(meta, 'description', plan.timelineDescription);
    }
  });
  return counts;
}
