/**
 * The timeline page's keyboard shortcuts: one table (what the "?" dialog lists) and one decision
 * function, pure so it is tested without a browser (tests/unit/keyboard.test.ts). The page wires
 * the actions in useTimelineKeys.ts.
 *
 * Shortcuts never fire while the person is typing — in an input, a textarea, a select or an
 * editable element (the description's CodeMirror, which handles its own Ctrl+Z on the same undo
 * stack) — nor inside a modal dialog. Esc is the exception: from a field it still closes the
 * panel, unless the field used it first (a refused title puts the stored one back).
 */

export type ShortcutAction =
  | 'new-event'
  | 'delete'
  | 'previous'
  | 'next'
  | 'open-panel'
  | 'close-panel'
  | 'focus-search'
  | 'help'
  | 'undo'
  | 'redo';

export interface Shortcut {
  action: ShortcutAction;
  /** The keys as the dialog shows them; alternatives are separate entries. */
  keys: readonly string[];
  description: string;
  /** Changes the timeline: not offered to read-only visitors or during a replay. */
  edits: boolean;
  /** Listed but not working yet, with the reason shown beside it. */
  later?: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  {
    action: 'new-event',
    keys: ['N'],
    description: 'New event at the centre of the view',
    edits: true,
  },
  {
    action: 'delete',
    keys: ['Delete', 'Backspace'],
    description: 'Delete the selected event',
    edits: true,
  },
  {
    action: 'previous',
    keys: ['←'],
    description: 'Select the previous event in time',
    edits: false,
  },
  { action: 'next', keys: ['→'], description: 'Select the next event in time', edits: false },
  {
    action: 'open-panel',
    keys: ['Enter'],
    description: "Open the selected event's panel",
    edits: false,
  },
  {
    action: 'close-panel',
    keys: ['Esc'],
    description: 'Close the panel, then clear the selection',
    edits: false,
  },
  { action: 'undo', keys: ['Ctrl+Z', '⌘Z'], description: 'Undo your last change', edits: true },
  { action: 'redo', keys: ['Ctrl+Shift+Z', '⌘⇧Z', 'Ctrl+Y'], description: 'Redo', edits: true },
  {
    action: 'focus-search',
    keys: ['/'],
    description: 'Focus the search box',
    edits: false,
  },
  { action: 'help', keys: ['?'], description: 'Show these shortcuts', edits: false },
];

/** The parts of a KeyboardEvent the decision reads. */
export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  defaultPrevented: boolean;
  target: unknown;
}

/** The parts of a DOM element the decision reads (duck-typed: no DOM in unit tests). */
interface ElementLike {
  tagName?: string;
  type?: string;
  isContentEditable?: boolean;
  closest?(selector: string): unknown;
}

const NOT_TYPED_INPUTS = new Set(['button', 'checkbox', 'radio', 'submit', 'reset', 'image']);

/** Whether keys pressed on `target` are typing (so a shortcut must not take them). */
export function isTypingTarget(target: unknown): boolean {
  if (!target || typeof target !== 'object') return false;
  const element = target as ElementLike;
  const tag = element.tagName?.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') return !NOT_TYPED_INPUTS.has((element.type ?? 'text').toLowerCase());
  if (element.isContentEditable) return true;
  return Boolean(element.closest?.('[contenteditable]:not([contenteditable="false"])'));
}

/** Buttons and links act on Enter themselves. */
function isActivatable(target: unknown): boolean {
  if (!target || typeof target !== 'object') return false;
  const element = target as ElementLike;
  return Boolean(element.closest?.('button, a[href], summary, [role="button"]'));
}

function isInsideDialog(target: unknown): boolean {
  if (!target || typeof target !== 'object') return false;
  return Boolean((target as ElementLike).closest?.('dialog[open], [role="dialog"]'));
}

/** The action a key press asks for, whatever the context. */
export function matchShortcut(event: KeyLike): ShortcutAction | null {
  const mod = event.ctrlKey || event.metaKey;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  if (mod && !event.altKey) {
    if (key === 'z') return event.shiftKey ? 'redo' : 'undo';
    if (key === 'y' && event.ctrlKey && !event.shiftKey) return 'redo';
    return null;
  }
  if (event.altKey || mod) return null;
  switch (key) {
    case 'n':
      return 'new-event';
    case 'Delete':
    case 'Backspace':
      return 'delete';
    case 'ArrowLeft':
      return event.shiftKey ? null : 'previous';
    case 'ArrowRight':
      return event.shiftKey ? null : 'next';
    case 'Enter':
      return 'open-panel';
    case 'Escape':
      return 'close-panel';
    case '/':
      return 'focus-search';
    case '?':
      return 'help';
    default:
      return null;
  }
}

/**
 * The action to run for a key press on the timeline page, or null to leave the key alone:
 * typing, a modal dialog, a key already handled, or an editing shortcut for someone who cannot
 * edit (read-only visitors keep navigation and "?").
 */
export function decideShortcut(
  event: KeyLike,
  context: { canEdit: boolean },
): ShortcutAction | null {
  if (event.defaultPrevented) return null;
  const action = matchShortcut(event);
  if (!action) return null;
  if (isInsideDialog(event.target)) return null;
  if (action !== 'close-panel' && isTypingTarget(event.target)) return null;
  if (action === 'open-panel' && isActivatable(event.target)) return null;
  const shortcut = SHORTCUTS.find((s) => s.action === action);
  if (shortcut?.edits && !context.canEdit) return null;
  return action;
}

interface Dated {
  id: string;
  start: string;
}

/**
 * The event before or after `selectedId` in time (start, then id: the order of the table). With
 * nothing selected (or the selection gone), the first event from the centre of the view in that
 * direction. Null when there is none that way.
 */
export function findNeighbourEvent(
  events: readonly Dated[],
  selectedId: string | null,
  direction: 'previous' | 'next',
  centre: Date,
): string | null {
  const sorted = [...events].sort((a, b) =>
    a.start < b.start ? -1 : a.start > b.start ? 1 : a.id < b.id ? -1 : 1,
  );
  if (sorted.length === 0) return null;
  const index = selectedId ? sorted.findIndex((e) => e.id === selectedId) : -1;
  if (index >= 0) {
    const next = sorted[direction === 'next' ? index + 1 : index - 1];
    return next?.id ?? null;
  }
  const at = centre.getTime();
  if (direction === 'next') {
    return (sorted.find((e) => Date.parse(e.start) >= at) ?? sorted[sorted.length - 1])?.id ?? null;
  }
  const before = sorted.filter((e) => Date.parse(e.start) <= at);
  return (before[before.length - 1] ?? sorted[0])?.id ?? null;
}
