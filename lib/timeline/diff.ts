/**
 * What changed between two snapshots of a timeline: the basis for a version-history view ("what
 * would restoring this version undo?") and for restoreTimeline, which applies exactly these
 * differences so that it writes nothing a reader would not see change.
 *
 * Pure data in, pure data out: snapshots come from readTimeline or from storage, so this module
 * needs no Y.Doc and can run on the server, in the browser or in a test.
 */

import type { FieldSpec } from './fieldSpec';
import { EVENT_FIELDS, type EventFieldName } from './fields';
import { LANE_FIELDS, type Lane, type LaneFieldName } from './lane';
import type { TimelineEvent, TimelineSnapshot } from './model';
import { compareDates } from './values';

/** One field of an event or lane whose value differs; `undefined` means the field is absent. */
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** An event or lane present on both sides with at least one differing field. */
export interface ChangedItem {
  id: string;
  /** The title after the change, since that is the name people will recognise it by now. */
  title: string;
  changes: FieldChange[];
}

/**
 * Every difference between two snapshots, grouped so a UI can show "3 events added, 1 lane
 * renamed" without walking the snapshots again. Lists are sorted the way the timeline shows them
 * (events by start then id, lanes by order then id), so two clients render the same diff.
 */
export interface TimelineDiff {
  /** Present only when the timeline title differs. */
  title?: { before: string; after: string };
  events: {
    /** In `after` but not in `before` (matched by id). */
    added: TimelineEvent[];
    /** In `before` but not in `after`. */
    removed: TimelineEvent[];
    changed: ChangedItem[];
  };
  lanes: {
    added: Lane[];
    removed: Lane[];
    changed: ChangedItem[];
  };
  /** True when nothing differs. */
  empty: boolean;
}

/** An event field a diff can report; the table in fields.ts lists them in diff order. */
export type EventField = EventFieldName;

/** A lane field a diff can report (lane.ts). */
export type LaneField = LaneFieldName;

/**
 * Compares two snapshots. Items are matched by id, not by title or position, because ids are what
 * survive renames, moves and concurrent edits; an event deleted and re-created with a new id is
 * therefore reported as removed plus added.
 */
export function diffTimelines(before: TimelineSnapshot, after: TimelineSnapshot): TimelineDiff {
  const diff: TimelineDiff = {
    events: diffCollections(before.events, after.events, diffEventFields, compareEvents),
    lanes: diffCollections(before.lanes, after.lanes, diffLaneFields, compareLanes),
    empty: false,
  };
  if (before.meta.title !== after.meta.title) {
    diff.title = { before: before.meta.title, after: after.meta.title };
  }
  diff.empty =
    diff.title === undefined &&
    diff.events.added.length === 0 &&
    diff.events.removed.length === 0 &&
    diff.events.changed.length === 0 &&
    diff.lanes.added.length === 0 &&
    diff.lanes.removed.length === 0 &&
    diff.lanes.changed.length === 0;
  return diff;
}

/**
 * The fields that differ between two versions of one event. Exported so restoreTimeline decides
 * "is this event already right?" by exactly the rule the diff view shows.
 */
export function diffEventFields(before: TimelineEvent, after: TimelineEvent): FieldChange[] {
  return compareFields(EVENT_FIELDS, before, after);
}

/** The fields that differ between two versions of one lane. */
export function diffLaneFields(before: Lane, after: Lane): FieldChange[] {
  return compareFields(LANE_FIELDS, before, after);
}

/**
 * Compares field by field with each field's own `equals`. Text and list fields that a snapshot
 * from storage may lack are reported as their reader shows them (empty), scalars as they are.
 */
function compareFields(
  table: Record<string, FieldSpec>,
  before: object,
  after: object,
): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const [field, spec] of Object.entries(table)) {
    const shown = (record: object) => {
      const value = (record as Record<string, unknown>)[field];
      return spec.storage === 'scalar' ? value : (value ?? spec.fallback);
    };
    if (!spec.equals(shown(before), shown(after))) {
      changes.push({ field, before: shown(before), after: shown(after) });
    }
  }
  return changes;
}

function diffCollections<T extends { id: string; title: string }>(
  before: readonly T[],
  after: readonly T[],
  diffFields: (before: T, after: T) => FieldChange[],
  compare: (a: T, b: T) => number,
): { added: T[]; removed: T[]; changed: ChangedItem[] } {
  const beforeById = new Map(before.map((item) => [item.id, item]));
  const afterById = new Map(after.map((item) => [item.id, item]));
  const added: T[] = [];
  const removed: T[] = [];
  const changed: { item: T; entry: ChangedItem }[] = [];
  for (const item of afterById.values()) {
    const previous = beforeById.get(item.id);
    if (previous === undefined) {
      added.push(item);
      continue;
    }
    const changes = diffFields(previous, item);
    if (changes.length > 0)
      changed.push({ item, entry: { id: item.id, title: item.title, changes } });
  }
  for (const item of beforeById.values()) {
    if (!afterById.has(item.id)) removed.push(item);
  }
  // Changed items sort by their new position, which is where the timeline now shows them.
  changed.sort((a, b) => compare(a.item, b.item));
  return {
    added: added.sort(compare),
    removed: removed.sort(compare),
    changed: changed.map(({ entry }) => entry),
  };
}

/** Same order as readEvents, so a diff lists events in the order the timeline shows them. */
function compareEvents(a: TimelineEvent, b: TimelineEvent): number {
  if (a.start !== b.start) return compareDates(a.start, b.start) || (a.start < b.start ? -1 : 1);
  return compareIds(a.id, b.id);
}

/** Same order as readLanes. */
function compareLanes(a: Lane, b: Lane): number {
  return a.order - b.order || compareIds(a.id, b.id);
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
