'use client';
import type { ConnectionState } from './useCollabDoc';

const LABELS: Record<ConnectionState, { text: string; hint: string }> = {
  connecting: { text: 'Connecting…', hint: 'Joining the shared timeline.' },
  live: { text: 'Live', hint: 'Connected: your edits are shared and saved as you make them.' },
  offline: {
    text: 'Offline',
    hint: 'Connection lost. Keep this tab open: edits are sent when the connection returns.',
  },
  'not-found': { text: 'Not found', hint: 'This timeline does not exist.' },
  unavailable: {
    text: 'Server busy',
    hint: 'The server could not load this timeline right now; retrying automatically.',
  },
};

export function ConnectionBadge({ state }: { state: ConnectionState }) {
  const label = LABELS[state];
  return (
    <span
      className={`badge badge-${state}`}
      data-testid="connection-state"
      data-state={state}
      title={label.hint}
    >
      <span className="badge-dot" aria-hidden="true" />
      {label.text}
    </span>
  );
}
