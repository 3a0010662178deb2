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
import {
  YSyncConfig,
  yRemoteSelections,
  yRemoteSelectionsTheme,
  ySync,
  ySyncFacet,
} from 'y-codemirror.next';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { LocalEditOrigin } from './commands';

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
 * person's caret and draw the others'). No undo history: CodeMirror's own would undo colleagues'
 * words too; a per-user undo belongs to the session.
 */
export function bindDescriptionText(
  text: Y.Text,
  awareness: Awareness | null,
  timelineId: string,
): Extension[] {
  const origin = new DescriptionEditOrigin(text, awareness, timelineId);
  const extensions: Extension[] = [ySyncFacet.of(origin), ySync];
  if (awareness) extensions.push(yRemoteSelectionsTheme, yRemoteSelections);
  return extensions;
}

/**
 * Withdraws this person's caret from the awareness (the editor lost focus or closed), so others
 * do not see a caret left behind: y-codemirror moves the caret but never takes it away.
 */
export function withdrawCaret(awareness: Awareness): void {
  const state = awareness.getLocalState() as { cursor?: unknown } | null;
  if (state?.cursor) awareness.setLocalStateField('cursor', null);
}
