'use client';
import type { ConnectionState } from './session/connection';

const LABELS: Record<ConnectionState, { text: string; hint: string }> = {
  connecting: { text: 'Connecting…', hint: 'Joining the shared timeline.' },
  live: { text: 'Live', hint: 'Connected: your edits are shared and saved as you make them.' },
  offline: {
    text: 'Offline',
    hint: 'Connection lost. Your edits are kept in this browser, also across a reload, and sent when the connection returns.',
  },
  'not-found': { text: 'Not found', hint: 'This timeline does not exist.' },
  denied: {
    text: 'No access',
    hint: 'The server ended access to this timeline (signed out, link revoked or role changed).',
  },
  unavailable: {
    text: 'Server busy',
    hint: 'The server cannot load or save this timeline right now; your edits are kept in this browser and sent when it can. Retrying automatically.',
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
