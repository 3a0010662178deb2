/**
 * The editing commands of one session: every write the UI makes to the timeline document.
 *
 * Each runs the document model's function inside `doc.transact(…, origin)`. The model opens its
 * own transactions, but nested ones join the outer transaction, so every change this person
 * makes carries the session's origin — which is what a `Y.UndoManager` with
 * `trackedOrigins: new Set([origin])` needs to undo only their own edits (session/undo.ts). Each
 * command is one undo step, except consecutive writes to the same fields (typing) which merge.
 * Typing in a description is the one write that is not a command: see descriptionBinding.ts.
 */
import type * as Y from 'yjs';
import { applyImportPlan, type ImportCounts } from '@/lib/import/apply';
import type { ImportPlan } from '@/lib/import/plan';
import type { LaneEventsChoice } from '@/lib/timeline/lane';
import * as model from '@/lib/timeline/model';
import type { EventInput, EventPatch, LaneInput, LanePatch } from '@/lib/timeline/schemas';
import type { SourceInput, SourcePatch } from '@/lib/timeline/source';

/** Marks the local person's transactions; one object per session, compared by identity. */
export interface LocalEditOrigin {
  readonly kind: 'local-edit';
  readonly timelineId: string;
}

export interface EditingCommands {
  /** Adds an event and returns its id. */
  createEvent(input: EventInput): string;
  /** Changes some fields of an event (only those that differ are written). */
  updateEvent(id: string, patch: EventPatch): void;
  /** Moves an event in time and/or to another lane: what a drag does. */
  moveEvent(id: string, to: { start: string; end?: string; lane?: string }): void;
  /** Deletes an event; deleting one that is already gone does nothing. */
  deleteEvent(id: string): void;
  /** Replaces an event's description as a minimal text edit, so concurrent typing merges. */
  replaceDescription(id: string, description: string): void;
  /** Adds a lane at the end and returns its id. */
  createLane(input: LaneInput): string;
  /** Renames and/or recolours a lane (names are unique, ignoring case). */
  updateLane(id: string, patch: LanePatch): void;
  /** Moves a lane to position `index` of the lane order. */
  moveLane(id: string, index: number): void;
  /** Deletes a lane, moving its events to another lane or deleting them. */
  deleteLane(id: string, choice: LaneEventsChoice): void;
  /** Renames the timeline. */
  setTitle(title: string): void;
  /** Adds a source at the end of an event's sources and returns its id. */
  addSource(eventId: string, input: SourceInput): string;
  /** Changes some fields of one source in place (others' edits to other fields survive). */
  updateSource(eventId: string, sourceId: string, patch: SourcePatch): void;
  /** Removes one source. */
  removeSource(eventId: string, sourceId: string): void;
  /**
   * Runs several commands as one transaction and one undo step (an import, say): `action` gets
   * commands that write inside it. A throw inside leaves what was written before it.
   */
  batch<T>(action: (commands: EditingCommands) => T): T;
  /** Moves one source to position `index` among the event's sources. */
  moveSource(eventId: string, sourceId: string, index: number): void;
  /**
   * Writes an import plan (lib/import) in one transaction: one change for collaborators and one
   * undo step for this person, so Ctrl+Z takes the whole import back.
   */
  importPlan(plan: ImportPlan): ImportCounts;
}

/**
 * Where one undo step begins and ends (session/undo.ts). A write with a `mergeKey` (typing in one
 * field: same command, same target, same fields) merges with the previous write of the same key
 * made within the capture time; a write without one is always a step of its own.
 */
export interface UndoSteps {
  beginStep(mergeKey?: string): void;
  endStep(mergeKey?: string): void;
}

/** Why a command was refused before it reached the document; shown to the person as is. */
const NOT_LOADED = 'The timeline is not loaded yet.';
const READ_ONLY = 'This view is read-only.';

/**
 * Builds the commands over `doc` (null while the browser copy loads). With `canEdit` false every
 * command throws: the server would drop the update anyway, and the page must not show a change
 * that will never be saved. Errors are `ModelError`s, whose message is fit for users.
 */
export function createEditingCommands(
  doc: Y.Doc | null,
  origin: LocalEditOrigin,
  canEdit: boolean,
  steps: UndoSteps | null = null,
): EditingCommands {
  // Inside a batch, writes join its transaction and its one undo step.
  let batching = false;
  const write = <T>(action: (doc: Y.Doc) => T, mergeKey?: string): T => {
    if (!doc) throw new model.ModelError(NOT_LOADED);
    if (!canEdit) throw new model.ModelError(READ_ONLY);
    if (batching) return action(doc);
    let result: T | undefined;
    steps?.beginStep(mergeKey);
    try {
      doc.transact(() => {
        result = action(doc);
      }, origin);
    } finally {
      steps?.endStep(mergeKey);
    }
    return result as T;
  };
  const commands: EditingCommands = {
    createEvent: (input) => write((d) => model.createEvent(d, input)),
    // Typing a title (or a source's field) writes once per keystroke: one step per field.
    updateEvent: (id, patch) =>
      write((d) => model.updateEvent(d, id, patch), mergeKeyOf('event', id, patch)),
    moveEvent: (id, to) => write((d) => model.moveEvent(d, id, to)),
    deleteEvent: (id) => write((d) => model.deleteEvent(d, id)),
    replaceDescription: (id, description) =>
      write((d) => model.updateEvent(d, id, { description }), `description:${id}`),
    createLane: (input) => write((d) => model.createLane(d, input)),
    updateLane: (id, patch) =>
      write((d) => model.updateLane(d, id, patch), mergeKeyOf('lane', id, patch)),
    moveLane: (id, index) => write((d) => model.moveLane(d, id, index)),
    deleteLane: (id, choice) => write((d) => model.deleteLane(d, id, choice)),
    setTitle: (title) => write((d) => model.setTimelineTitle(d, title), 'timeline-title'),
    addSource: (eventId, input) => write((d) => model.addSource(d, eventId, input)),
    updateSource: (eventId, sourceId, patch) =>
      write(
        (d) => model.updateSource(d, eventId, sourceId, patch),
        mergeKeyOf(`source:${eventId}`, sourceId, patch),
      ),
    removeSource: (eventId, sourceId) => write((d) => model.removeSource(d, eventId, sourceId)),
    batch: (action) =>
      write(() => {
        batching = true;
        try {
          return action(commands);
        } finally {
          batching = false;
        }
      }),
    moveSource: (eventId, sourceId, index) =>
      write((d) => model.moveSource(d, eventId, sourceId, index)),
    importPlan: (plan) => write((d) => applyImportPlan(d, plan)),
  };
  return commands;
}

/** `kind:id:field,field`: writes to the same fields of the same thing merge while typing. */
function mergeKeyOf(kind: string, id: string, patch: object): string {
  return `${kind}:${id}:${Object.keys(patch).sort().join(',')}`;
}
