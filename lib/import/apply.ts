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

/** How lane titles compare (isSameLaneTitle), as a key: a plan's 100,000 events share a few. */
function laneKey(title: string): string {
  return title.trim().toLocaleLowerCase();
}

/** The lanes a plan would create in `doc`, by title, in order. */
function lanesToCreate(doc: Y.Doc, plan: ImportPlan): { title: string; color?: string }[] {
  const existing = readLanes(doc);
  const wanted = [...plan.lanes];
  // The distinct lane titles the events use (undefined: the default lane), each keyed once.
  const titles = new Set(plan.events.map((event) => event.laneTitle));
  if (existing.length === 0 && titles.has(undefined)) {
    if (!wanted.some((lane) => isSameLaneTitle(lane.title, DEFAULT_LANE_TITLE))) {
      wanted.unshift({ title: DEFAULT_LANE_TITLE });
    }
  }
  const used = new Set([...titles].map((title) => laneKey(title ?? DEFAULT_LANE_TITLE)));
  return wanted.filter(
    (lane) =>
      !existing.some((other) => isSameLaneTitle(other.title, lane.title)) &&
      // A lane the file lists but no imported event uses is still created for our own JSON
      // (round trip), but never the default lane when nothing goes there.
      (lane.title !== DEFAULT_LANE_TITLE || used.has(laneKey(DEFAULT_LANE_TITLE))),
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
  const create = lanesToCreate(doc, plan);
  const counts = { events: plan.events.length, lanes: create.length };
  doc.transact(() => {
    for (const lane of create) createLane(doc, lane);
    // The first lane (in order) with each title; a title is looked up once, not once per event.
    const lanes = readLanes(doc);
    const byKey = new Map<string, string>();
    for (const lane of lanes)
      if (!byKey.has(laneKey(lane.title))) byKey.set(laneKey(lane.title), lane.id);
    const resolved = new Map<string | undefined, string>();
    const laneId = (title: string | undefined) => {
      let id = resolved.get(title);
      if (id === undefined) {
        id = title === undefined ? lanes[0]!.id : byKey.get(laneKey(title))!;
        resolved.set(title, id);
      }
      return id;
    };

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
