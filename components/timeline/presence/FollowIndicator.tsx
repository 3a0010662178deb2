'use client';
import './presence.css';
import { useEditingSession } from '../session/EditingSessionProvider';
import { useFollowTarget } from './followStore';

/** "Following Ana — Stop", over the axis while this tab follows a colleague's view. */
export function FollowIndicator() {
  const { follow } = useEditingSession();
  const target = useFollowTarget(follow);
  if (!target) return null;
  return (
    <div
      className="cb-follow-indicator"
      role="status"
      data-testid="follow-indicator"
      style={{ borderColor: target.color }}
    >
      <span className="cb-follow-dot" style={{ background: target.color }} aria-hidden="true" />
      Following {target.name}
      <button type="button" onClick={() => follow.stop()}>
        Stop
      </button>
    </div>
  );
}
