'use client';
/**
 * Wires the keyboard shortcuts (keyboard.ts) to the timeline page: one keydown listener on the
 * document for as long as the page is open, reading the page's latest state through a ref.
 */
import { type RefObject, useEffect, useRef } from 'react';
import { focusSearch } from './filters/searchFocus';
import { decideShortcut, findNeighbourEvent, type ShortcutAction } from './keyboard';
import type { SessionUndo } from './session/undo';
import type { TimelineViewHandle } from './TimelineView';

export interface TimelineKeys {
  /** Edit access, the document loaded and the live version shown (not a replay). */
  canEdit: boolean;
  events: readonly { id: string; start: string }[];
  selectedId: string | null;
  panelOpen: boolean;
  view: RefObject<TimelineViewHandle | null>;
  undo: SessionUndo | null;
  select(id: string | null): void;
  setPanelOpen(open: boolean): void;
  addEvent(): void;
  deleteEvent(id: string): void;
  showHelp(): void;
  /** Esc with no event selected: close the other side panels. */
  closeSidePanels(): void;
}

/** Runs the shortcut; false when it had nothing to act on (the key then keeps its default). */
function runShortcut(action: ShortcutAction, keys: TimelineKeys): boolean {
  const { selectedId } = keys;
  switch (action) {
    case 'new-event':
      keys.addEvent();
      return true;
    case 'delete':
      if (!selectedId || !keys.events.some((e) => e.id === selectedId)) return false;
      keys.deleteEvent(selectedId);
      return true;
    case 'previous':
    case 'next': {
      const centre = keys.view.current?.pickAddDate() ?? new Date();
      const id = findNeighbourEvent(keys.events, selectedId, action, centre);
      if (!id) return false;
      keys.select(id);
      // Keep it in view at the same zoom (no-op when it is already visible).
      keys.view.current?.reveal(id);
      return true;
    }
    case 'open-panel':
      if (!selectedId || keys.panelOpen) return false;
      keys.setPanelOpen(true);
      return true;
    case 'close-panel':
      if (selectedId && keys.panelOpen) keys.setPanelOpen(false);
      else if (selectedId) keys.select(null);
      else keys.closeSidePanels();
      return true;
    case 'focus-search':
      return focusSearch();
    case 'help':
      keys.showHelp();
      return true;
    case 'undo':
      keys.undo?.undo();
      return true;
    case 'redo':
      keys.undo?.redo();
      return true;
  }
}

export function useTimelineKeys(keys: TimelineKeys): void {
  const latest = useRef(keys);
  latest.current = keys;
  useEffect(() => {
    const handleKeyDown = (event: KeyboardEvent) => {
      const action = decideShortcut(event, { canEdit: latest.current.canEdit });
      if (action && runShortcut(action, latest.current)) event.preventDefault();
    };
    document.addEventListener('keydown', handleKeyDown);
    return () => document.removeEventListener('keydown', handleKeyDown);
  }, []);
}

/**
 * Focuses the open event panel's title with its text selected, so typing replaces "New event".
 * Called once the panel shows the new event.
 */
export function focusPanelTitle(): void {
  const input = document.querySelector<HTMLInputElement>(
    '[data-testid="event-panel"] input[name="title"]',
  );
  input?.focus();
  input?.select();
}
