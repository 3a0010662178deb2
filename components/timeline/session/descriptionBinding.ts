/**
 * The one write path that is not a command: typing in an event's description. The description
 * is a `Y.Text` edited keystroke by keystroke by CodeMirror through y-codemirror.next, which maps
 * every caret through remote changes and shows the others' carets from the awareness `cursor`
 * field (relative positions, so they stay between the same characters while others type).
 *
 * Its transactions carry a `DescriptionEditOrigin`, which is both y-codemirror's sync config (the
 * binding tells its own changes from remote ones by that identity) and a `LocalEditOrigin` of this
 * session: the save tracker counts them as local changes, and a per-user `Y.UndoManager` tracks
 * them with `trackedOrigins: new Set([origin, DescriptionEditOrigin])`.
 */
import type { Extension } from '@codemirror/state';
import { keymap } from '@codemirror/view';
import { YSyncConfig, yCollab, ySyncFacet } from 'y-codemirror.next';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { LocalEditOrigin } from './commands';
import type { SessionUndo } from './undo';

/** The origin of this person's typing in one description editor. */
export class DescriptionEditOrigin extends YSyncConfig implements LocalEditOrigin {
  readonly kind = 'local-edit' as const;
  constructor(
    text: Y.Text,
    awareness: Awareness | null,
    readonly timelineId: string,
  ) {
    super(text, awareness);
  }
}

/**
 * The CodeMirror extensions that bind an editor to `text` (and, with an awareness, publish this
 * person's caret and draw the others').
 *
 * Undo: not CodeMirror's own history, which would undo colleagues' words too, but the session's
 * one stack (session/undo.ts). y-codemirror's `yCollab` with the `undoManager` option adds this
 * editor's origin to the session's Y.UndoManager while the editor is open (so typing joins the
 * stack), puts the caret back where it was on undo, and maps the browser's historyUndo/Redo
 * input events to it. Its `ySyncFacet` is overridden by ours (a facet keeps its last value) so
 * the transactions carry a `DescriptionEditOrigin`. The keys are those of y-codemirror's
 * `yUndoManagerKeymap` (Mod-z, Mod-y, Mod-Shift-z), bound to the session's undo rather than to
 * the manager directly so the page hears what an undo could not do.
 */
export function bindDescriptionText(
  text: Y.Text,
  awareness: Awareness | null,
  timelineId: string,
  undo: SessionUndo | null,
): Extension[] {
  const origin = new DescriptionEditOrigin(text, awareness, timelineId);
  const extensions: Extension[] = [
    yCollab(text, awareness, { undoManager: undo?.manager ?? false }),
    ySyncFacet.of(origin),
  ];
  if (undo) {
    extensions.push(
      keymap.of([
        { key: 'Mod-z', run: runAndKeep(() => undo.undo()), preventDefault: true },
        {
          key: 'Mod-y',
          mac: 'Mod-Shift-z',
          run: runAndKeep(() => undo.redo()),
          preventDefault: true,
        },
        { key: 'Mod-Shift-z', run: runAndKeep(() => undo.redo()), preventDefault: true },
      ]),
    );
  }
  return extensions;
}

/** A CodeMirror command that always claims the key (even when there was nothing to undo). */
function runAndKeep(action: () => void): () => boolean {
  return () => {
    action();
    return true;
  };
}

/**
 * Withdraws this person's caret from the awareness (the editor lost focus or closed), so others
 * do not see a caret left behind: y-codemirror moves the caret but never takes it away.
 */
export function withdrawCaret(awareness: Awareness): void {
  const state = awareness.getLocalState() as { cursor?: unknown } | null;
  if (state?.cursor) awareness.setLocalStateField('cursor', null);
}
