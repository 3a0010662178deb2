/**
 * What every import format produces: a plan of lanes and events to create, validated with the
 * model's own schemas, plus every row that could not be read and why. A plan is pure data, so a
 * dry run and the real import compute exactly the same thing; `applyImportPlan` (apply.ts) writes
 * it into a document in one transaction.
 */
import { z } from 'zod';
import { MAX_TITLE_LENGTH } from '../limits';
import { type EventFields, EventInput } from '../timeline/event';

/** The formats `POST /api/timelines/<id>/import?format=…` accepts. */
export const ImportFormat = z.enum(['csv', 'json', 'timelinejs']);
export type ImportFormat = z.infer<typeof ImportFormat>;

/**
 * One row that was not imported. `row` is the file's line number for CSV (the header is line 1)
 * and the 1-based position in the file's `events` (or `eras`) list for JSON formats; 0 means the
 * file as a whole. `field` names the column or JSON field at fault.
 */
export interface ImportError {
  row: number;
  field?: string;
  message: string;
}

/** The lane events go to when the file names none: the timeline's first lane, else this one. */
export const DEFAULT_LANE_TITLE = 'Events';

/**
 * One event to create. `event.lane` holds the lane's *title* (matched to the timeline's lanes by
 * name when applied; undefined: the default lane). `id` is the id the file gave the event (kept
 * when it is free, so links between imported events survive).
 */
export interface PlannedEvent {
  row: number;
  id?: string;
  laneTitle?: string;
  event: Omit<EventFields, 'lane'>;
}

/** A lane the file names, with the colour it asks for (our own JSON export carries colours). */
export interface PlannedLane {
  title: string;
  color?: string;
}

export interface ImportPlan {
  lanes: PlannedLane[];
  events: PlannedEvent[];
  /** The file's own description of the timeline (TimelineJS title slide). */
  timelineDescription?: string;
  errors: ImportError[];
}

/** Most rows one import may hold: a 20 MiB file of short rows is about this many. */
export const MAX_IMPORT_EVENTS = 100_000;

/** A plan that holds only a whole-file error. */
export function failedPlan(message: string, field?: string): ImportPlan {
  return { lanes: [], events: [], errors: [{ row: 0, field, message }] };
}

/** Collects lanes and events, validating each event with the model's EventInput schema. */
export class PlanBuilder {
  private readonly lanes = new Map<string, PlannedLane>();
  readonly events: PlannedEvent[] = [];
  readonly errors: ImportError[] = [];
  timelineDescription?: string;

  /** Records a row that is not imported; returns false (the row's outcome) for convenience. */
  addError(row: number, field: string | undefined, message: string): false {
    this.errors.push(field === undefined ? { row, message } : { row, field, message });
    return false;
  }

  /** Names a lane (first spelling and colour win; names compare as lane titles do). */
  addLane(title: string, color?: string): string {
    const clean = title.trim().slice(0, MAX_TITLE_LENGTH);
    const key = clean.toLocaleLowerCase();
    if (!this.lanes.has(key))
      this.lanes.set(key, color ? { title: clean, color } : { title: clean });
    return this.lanes.get(key)!.title;
  }

  /**
   * Validates one event; a failure becomes one error per problem, naming the field through
   * `fieldName` (the file's own name for our field). Returns whether the event was kept.
   */
  addEvent(
    row: number,
    input: Record<string, unknown>,
    options: { id?: string; laneTitle?: string; fieldName?: (field: string) => string } = {},
  ): boolean {
    if (this.events.length >= MAX_IMPORT_EVENTS) {
      if (this.events.length === MAX_IMPORT_EVENTS) {
        this.addError(row, undefined, `a file may hold at most ${MAX_IMPORT_EVENTS} events`);
      }
      return false;
    }
    const laneTitle = options.laneTitle?.trim() ? this.addLane(options.laneTitle) : undefined;
    // The lane is resolved when the plan is applied; any non-empty name passes the schema here.
    const result = EventInput.safeParse({ ...input, lane: laneTitle ?? DEFAULT_LANE_TITLE });
    if (!result.success) {
      for (const issue of result.error.issues) {
        const field = issue.path.length > 0 ? String(issue.path[0]) : undefined;
        const named = field && options.fieldName ? options.fieldName(field) : field;
        this.addError(row, named, issue.message);
      }
      return false;
    }
    const { lane: _lane, ...event } = result.data;
    if (options.id && event.links?.some((link) => link.eventId === options.id)) {
      return this.addError(
        row,
        options.fieldName?.('links') ?? 'links',
        'an event cannot link to itself',
      );
    }
    this.events.push({ row, id: options.id, laneTitle, event });
    return true;
  }

  build(): ImportPlan {
    const plan: ImportPlan = {
      lanes: [...this.lanes.values()],
      events: this.events,
      errors: this.errors,
    };
    if (this.timelineDescription) plan.timelineDescription = this.timelineDescription;
    return plan;
  }
}
