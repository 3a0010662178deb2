/**
 * What changed between two snapshots of a timeline: the basis for a version-history view ("what
 * would restoring this version undo?") and for restoreTimeline, which applies exactly these
 * differences so that it writes nothing a reader would not see change.
 *
 * Pure data in, pure data out: snapshots come from readTimeline or from storage, so this module
 * needs no Y.Doc and can run on the server, in the browser or in a test.
 */
import type { EventSource, Lane, TimelineEvent, TimelineSnapshot } from './model';

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

/** The event fields a person can edit, in the order a diff lists them. */
export const EVENT_FIELDS = [
  'title',
  'start',
  'end',
  'kind',
  'lane',
  'description',
  'confidence',
  'sources',
] as const;
export type EventField = (typeof EVENT_FIELDS)[number];

/** The lane fields a person can edit, in the order a diff lists them. */
export const LANE_FIELDS = ['title', 'order', 'color'] as const;
export type LaneField = (typeof LANE_FIELDS)[number];

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
  const changes: FieldChange[] = [];
  for (const field of EVENT_FIELDS) {
    if (field === 'sources') {
      // Snapshots loaded from storage may lack the array; the reader shows that as no sources.
      const beforeSources = before.sources ?? [];
      const afterSources = after.sources ?? [];
      if (serializeSources(beforeSources) !== serializeSources(afterSources)) {
        changes.push({ field, before: beforeSources, after: afterSources });
      }
    } else if (field === 'description') {
      // Same reason: a missing description reads as an empty one.
      const beforeText = before.description ?? '';
      const afterText = after.description ?? '';
      if (beforeText !== afterText) changes.push({ field, before: beforeText, after: afterText });
    } else if (before[field] !== after[field]) {
      changes.push({ field, before: before[field], after: after[field] });
    }
  }
  return changes;
}

/** The fields that differ between two versions of one lane. */
export function diffLaneFields(before: Lane, after: Lane): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of LANE_FIELDS) {
    if (before[field] !== after[field]) {
      changes.push({ field, before: before[field], after: after[field] });
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
  if (a.start !== b.start) return a.start < b.start ? -1 : 1;
  return compareIds(a.id, b.id);
}

/** Same order as readLanes. */
function compareLanes(a: Lane, b: Lane): number {
  return a.order - b.order || compareIds(a.id, b.id);
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A canonical string for a list of sources. Built field by field rather than with
 * JSON.stringify(sources) so that key order (a snapshot parsed from stored JSON may list `url`
 * before `title`) and an explicit `url: undefined` do not count as a change.
 */
function serializeSources(sources: readonly EventSource[]): string {
  return JSON.stringify(sources.map((source) => [source.title, source.url ?? null]));
}
