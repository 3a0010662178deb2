'use client';
/**
 * The visible side of per-user undo (session/undo.ts): the toolbar's Undo and Redo buttons, and
 * the toasts — "Event deleted — Undo" after this person deletes something (deleting needs no
 * confirmation because it can be undone), and what an undo could not do because colleagues had
 * changed or deleted the same things since.
 */
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { ToastMessage } from '../ui/Toast';
import { useEditingSession } from './session/EditingSessionProvider';
import {
  describeOutcome,
  type LocalDeletion,
  type SessionUndo,
  type UndoState,
} from './session/undo';

const NO_UNDO: UndoState = { canUndo: false, canRedo: false };
const noSubscription = () => () => {};

/** Whether undo and redo are possible now, re-rendering when that changes. */
export function useUndoState(undo: SessionUndo | null): UndoState {
  return useSyncExternalStore(
    undo ? undo.subscribe : noSubscription,
    () => undo?.getState() ?? NO_UNDO,
    () => NO_UNDO,
  );
}

/** Undo and Redo for the toolbar; disabled, saying why, when there is nothing to undo or redo. */
export function UndoButtons({ disabled }: { disabled: boolean }) {
  const { undo } = useEditingSession();
  const { canUndo, canRedo } = useUndoState(undo);
  const undoable = !disabled && canUndo;
  const redoable = !disabled && canRedo;
  return (
    <span className="undo-buttons">
      {/* The title is on a wrapper: disabled buttons get no pointer events in some browsers. */}
      <span title={undoable ? 'Undo your last change (Ctrl+Z / ⌘Z)' : 'Nothing to undo'}>
        <button type="button" onClick={() => undo?.undo()} disabled={!undoable}>
          ↶ Undo
        </button>
      </span>
      <span title={redoable ? 'Redo (Ctrl+Shift+Z / ⌘⇧Z, Ctrl+Y)' : 'Nothing to redo'}>
        <button type="button" onClick={() => undo?.redo()} disabled={!redoable}>
          ↷ Redo
        </button>
      </span>
    </span>
  );
}

function describeDeletion(deletion: LocalDeletion): string {
  const events = deletion.eventIds.length;
  const eventText = events === 1 ? 'Event' : `${events} events`;
  if (deletion.laneIds.length === 0) return `${eventText} deleted`;
  const laneText = deletion.laneIds.length === 1 ? 'Lane' : `${deletion.laneIds.length} lanes`;
  return events === 0
    ? `${laneText} deleted`
    : `${laneText} and ${eventText.toLowerCase()} deleted`;
}

/**
 * The toast of the undo: offers Undo after this person deletes, and says what an undo could not
 * do. `onRestored` gets the ids of events an Undo from the toast brought back (to select them).
 */
export function useUndoToast(undo: SessionUndo | null, onRestored: (eventIds: string[]) => void) {
  const [toast, setToast] = useState<ToastMessage | null>(null);
  const dismiss = useCallback(
    (id: number) => setToast((current) => (current?.id === id ? null : current)),
    [],
  );
  useEffect(() => {
    if (!undo) return;
    let nextId = 1;
    const show = (text: string, action?: ToastMessage['action']) =>
      setToast({ id: nextId++, text, action });
    const stopDeletions = undo.onLocalDeletion((deletion) => {
      // The step the toast's Undo reverts: only while it is still the newest one.
      const stack = undo.manager.undoStack;
      const step = stack[stack.length - 1];
      show(describeDeletion(deletion), {
        label: 'Undo',
        run: () => {
          if (stack[stack.length - 1] !== step) return;
          const outcome = undo.undo();
          if (outcome.kind === 'done') onRestored(deletion.eventIds);
        },
      });
    });
    const stopOutcomes = undo.onOutcome((outcome, action) => {
      const text = describeOutcome(outcome, action);
      if (text) show(text);
      else setToast(null);
    });
    // A newer step makes the "Undo" of an older deletion misleading: take it away.
    const dropStale = () => setToast((current) => (current?.action ? null : current));
    undo.manager.on('stack-item-added', dropStale);
    return () => {
      stopDeletions();
      stopOutcomes();
      undo.manager.off('stack-item-added', dropStale);
      setToast(null);
    };
  }, [undo, onRestored]);
  return { toast, dismiss };
}
