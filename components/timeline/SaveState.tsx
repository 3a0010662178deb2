'use client';
/**
 * The connection badge together with the save state of this tab's edits: "Live · saved",
 * "Live · saving…", or "Offline — 2 changes not yet saved". `data-unsaved` is the number of
 * local edits the server has not yet confirmed as committed to its database.
 */
import { ConnectionBadge } from './ConnectionBadge';
import type { ConnectionState } from './session/connection';
import type { SaveTracker } from './session/saveTracker';
import { useUnsavedCount } from './session/useUnsavedCount';

export type SaveStatus = 'saved' | 'saving' | 'unsaved';

export function describeSaveState(
  state: ConnectionState,
  unsaved: number,
): { status: SaveStatus; text: string | null; hint: string } {
  const changes = `${unsaved} ${unsaved === 1 ? 'change' : 'changes'}`;
  if (unsaved === 0) {
    return {
      status: 'saved',
      text: state === 'live' ? '· saved' : state === 'offline' ? '— all changes saved' : null,
      hint: 'Every change made here is saved on the server.',
    };
  }
  if (state === 'live') {
    return {
      status: 'saving',
      text: '· saving…',
      hint: `Saving ${changes} on the server.`,
    };
  }
  return {
    status: 'unsaved',
    text: `— ${changes} not yet saved`,
    hint: `${changes} made here are kept in this browser and saved on the server when the connection returns.`,
  };
}

export function SaveState({
  state,
  tracker,
}: {
  state: ConnectionState;
  tracker: SaveTracker | undefined;
}) {
  const unsaved = useUnsavedCount(tracker);
  const { status, text, hint } = describeSaveState(state, unsaved);
  return (
    <span
      data-testid="save-state"
      data-unsaved={unsaved}
      data-save={status}
      title={hint}
      style={{ display: 'inline-flex', alignItems: 'center', gap: 6, whiteSpace: 'nowrap' }}
    >
      <ConnectionBadge state={state} />
      {text && (
        <span
          className="save-text"
          style={{
            fontSize: 13,
            color: status === 'unsaved' ? 'var(--danger)' : 'var(--muted)',
            fontWeight: status === 'unsaved' ? 600 : undefined,
          }}
        >
          {` ${text}`}
        </span>
      )}
    </span>
  );
}
