/**
 * Per-user undo and redo for one editing session: a `Y.UndoManager` over the document's root
 * maps (events, lanes, meta) that tracks only this person's transactions — the session's
 * `LocalEditOrigin` (every command) and, added by each description editor while it is open,
 * that editor's `DescriptionEditOrigin` (typing). Colleagues' changes arrive with the websocket
 * provider as origin and are never on this stack.
 *
 * Semantics (Yjs's, chosen deliberately and tested in tests/unit/undo.test.ts):
 * - A colleague's later change wins. Undoing your edit of a field a colleague has changed since
 *   leaves their value (the step is used up); your other changes in that step are undone.
 * - Undoing an edit of an event a colleague has deleted since does nothing. Yjs then goes on to
 *   the step before (it pops steps until one changes something); `undo()` reports how many steps
 *   were skipped so the page can say so, or that nothing could be undone.
 * - Undoing your delete brings the event back under the same id, with its description, sources,
 *   tags and links (a new Y.Map: anything that holds the event must hold its id, not the map).
 * - A restore of a version arrives like a colleague's edit: undo never reverts it.
 *
 * Steps: edits within `CAPTURE_MS` of each other merge into one step (typing). Discrete actions
 * (a drag, a panel field commit, a delete, a lane deletion, an import) are each one step: the
 * commands call `beginStep`/`endStep` around them (commands.ts). A change of origin (from the
 * panel's fields to the description editor) also starts a new step.
 */
import * as Y from 'yjs';
import { getEventsMap, getLanesMap, getMetaMap } from '@/lib/timeline/doc';
import type { LocalEditOrigin, UndoSteps } from './commands';

/** Edits closer together than this merge into one step (Yjs's default). */
export const CAPTURE_MS = 500;

/** What an undo or redo did. */
export type UndoOutcome =
  /** The stack was empty. */
  | { kind: 'empty' }
  /** A step was undone (or redone); `skipped` steps before it could not be and were dropped. */
  | { kind: 'done'; skipped: number }
  /** Every step left on the stack had been overwritten or deleted by others: they were dropped. */
  | { kind: 'nothing'; skipped: number };

/** What this person's local commands deleted in one transaction (not undo/redo). */
export interface LocalDeletion {
  eventIds: string[];
  laneIds: string[];
}

export interface UndoState {
  canUndo: boolean;
  canRedo: boolean;
}

export interface SessionUndo extends UndoSteps {
  /** The Y.UndoManager itself, for the description editor's binding (one stack, not two). */
  readonly manager: Y.UndoManager;
  undo(): UndoOutcome;
  redo(): UndoOutcome;
  /** Forgets every step (the document was replaced, or this person restored a version). */
  clear(): void;
  getState(): UndoState;
  /** Called whenever the stacks change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** Called with the outcome of every undo and redo, whoever asked (toolbar, keys, editor). */
  onOutcome(listener: (outcome: UndoOutcome, action: 'undo' | 'redo') => void): () => void;
  /** Called when this person's own command deleted events or lanes (to offer Undo). */
  onLocalDeletion(listener: (deletion: LocalDeletion) => void): () => void;
  destroy(): void;
}

/**
 * Builds the undo of one session over `doc`. `origin` is the session's command origin; other
 * origins of this person (description editors) are added with `manager.addTrackedOrigin`.
 */
export function createSessionUndo(doc: Y.Doc, origin: LocalEditOrigin): SessionUndo {
  const events = getEventsMap(doc);
  const lanes = getLanesMap(doc);
  const manager = new Y.UndoManager([events, lanes, getMetaMap(doc)], {
    trackedOrigins: new Set([origin]),
    captureTimeout: CAPTURE_MS,
  });
  const listeners = new Set<() => void>();
  const outcomeListeners = new Set<(outcome: UndoOutcome, action: 'undo' | 'redo') => void>();
  const deletionListeners = new Set<(deletion: LocalDeletion) => void>();
  let state: UndoState = { canUndo: false, canRedo: false };
  let lastMergeKey: string | undefined;
  let lastOrigin: unknown;

  const refresh = () => {
    const next = { canUndo: manager.canUndo(), canRedo: manager.canRedo() };
    if (next.canUndo === state.canUndo && next.canRedo === state.canRedo) return;
    state = next;
    for (const listener of listeners) listener();
  };
  for (const name of ['stack-item-added', 'stack-item-popped', 'stack-cleared'] as const) {
    manager.on(name, refresh);
  }

  // Typing in the panel and then in the description (another origin) are two steps, even
  // within CAPTURE_MS of each other. Runs before the manager sees the transaction.
  const handleBeforeTransaction = (transaction: Y.Transaction) => {
    const tracked = manager.trackedOrigins.has(transaction.origin);
    if (!tracked) return;
    if (transaction.origin !== lastOrigin) {
      manager.stopCapturing();
      lastMergeKey = undefined;
    }
    lastOrigin = transaction.origin;
  };
  doc.on('beforeTransaction', handleBeforeTransaction);

  // Deletions made by this person's commands (not by undo, not by colleagues), to offer Undo.
  const handleAfterTransaction = (transaction: Y.Transaction) => {
    if (transaction.origin !== origin || deletionListeners.size === 0) return;
    const deletion: LocalDeletion = {
      eventIds: deletedKeys(transaction, events),
      laneIds: deletedKeys(transaction, lanes),
    };
    if (deletion.eventIds.length === 0 && deletion.laneIds.length === 0) return;
    for (const listener of deletionListeners) listener(deletion);
  };
  doc.on('afterTransaction', handleAfterTransaction);

  const run = (action: 'undo' | 'redo'): UndoOutcome => {
    const stack = action === 'undo' ? manager.undoStack : manager.redoStack;
    const before = stack.length;
    if (before === 0) return report({ kind: 'empty' }, action);
    // What is typed next must not merge into the step this undo leaves on top.
    manager.stopCapturing();
    lastMergeKey = undefined;
    const item = action === 'undo' ? manager.undo() : manager.redo();
    const popped = before - stack.length;
    const outcome: UndoOutcome = item
      ? { kind: 'done', skipped: popped - 1 }
      : { kind: 'nothing', skipped: popped };
    // Dropped steps change the stacks without a stack-item event.
    refresh();
    return report(outcome, action);
  };
  const report = (outcome: UndoOutcome, action: 'undo' | 'redo'): UndoOutcome => {
    for (const listener of outcomeListeners) listener(outcome, action);
    return outcome;
  };

  return {
    manager,
    beginStep(mergeKey) {
      // Consecutive writes with the same key (typing one field) merge within CAPTURE_MS.
      if (mergeKey === undefined || mergeKey !== lastMergeKey) manager.stopCapturing();
      lastMergeKey = mergeKey;
    },
    endStep(mergeKey) {
      if (mergeKey === undefined) manager.stopCapturing();
    },
    undo: () => run('undo'),
    redo: () => run('redo'),
    clear() {
      manager.clear();
      lastMergeKey = undefined;
      refresh();
    },
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onOutcome(listener) {
      outcomeListeners.add(listener);
      return () => outcomeListeners.delete(listener);
    },
    onLocalDeletion(listener) {
      deletionListeners.add(listener);
      return () => deletionListeners.delete(listener);
    },
    destroy() {
      doc.off('beforeTransaction', handleBeforeTransaction);
      doc.off('afterTransaction', handleAfterTransaction);
      listeners.clear();
      outcomeListeners.clear();
      deletionListeners.clear();
      manager.destroy();
    },
  };
}

/** The message for an undo or redo that did not simply do one step; null when it did. */
export function describeOutcome(outcome: UndoOutcome, action: 'undo' | 'redo'): string | null {
  const verb = action === 'undo' ? 'undone' : 'redone';
  if (outcome.kind === 'empty') return `Nothing to ${action}.`;
  if (outcome.kind === 'nothing') {
    return `Nothing was ${verb}: others have changed or deleted what you changed since.`;
  }
  if (outcome.skipped === 0) return null;
  const steps = outcome.skipped === 1 ? 'change' : `${outcome.skipped} changes`;
  return `Your last ${steps} could not be ${verb} (others have changed or deleted it since); ${verb} the one before.`;
}

/** Keys of `map` whose entry this transaction deleted (and did not set again). */
function deletedKeys(transaction: Y.Transaction, map: Y.Map<Y.Map<unknown>>): string[] {
  const keys: string[] = [];
  const target: unknown = map;
  for (const [type, changed] of transaction.changed) {
    if (type !== target) continue;
    for (const key of changed) {
      if (key !== null && !map.has(key)) keys.push(key);
    }
  }
  return keys;
}
