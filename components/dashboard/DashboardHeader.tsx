'use client';
/** The dashboard's header: title, live state, who is looking, the way to the timeline. */
import Link from 'next/link';
import { timelinePath } from '@/lib/timelinePaths';
import { UserMenu } from '../access/UserMenu';
import { ConnectionBadge } from '../timeline/ConnectionBadge';
import type { PageAccess } from '../timeline/pageAccess';
import type { ConnectionState } from '../timeline/session/connection';

export function DashboardHeader({
  timelineId,
  title,
  access,
  state,
  wall,
  onWall,
}: {
  timelineId: string;
  title: string;
  access: PageAccess;
  state: ConnectionState;
  wall: boolean;
  onWall(): void;
}) {
  const viewOnly = access.mode === 'view';
  return (
    <header className="dash-header">
      {access.user && !wall && (
        <Link href="/" className="back-link" aria-label="All timelines">
          ← Timelines
        </Link>
      )}
      <h1 className="dash-title" data-testid="timeline-title">
        <span className="dash-kicker">Dashboard</span>
        {title}
      </h1>
      <ConnectionBadge state={state} />
      {!wall && (
        <>
          <span className="read-only-note" data-testid="read-only">
            <span className="chip chip-view">View only</span>
            {access.shareToken
              ? 'Opened with a view link'
              : viewOnly
                ? `Your role is ${access.user?.role ?? 'viewer'}`
                : 'The dashboard is read-only'}
            : changes appear live.
          </span>
          <span className="toolbar-spacer" />
          <Link
            className="button primary-link"
            href={timelinePath(timelineId, 'timeline', access.shareToken)}
            data-testid="open-timeline"
          >
            {viewOnly ? 'Open the timeline (read-only)' : 'Open the editor'}
          </Link>
          <button type="button" onClick={onWall} data-testid="wall-button">
            Wall screen
          </button>
          {access.user && <UserMenu user={access.user} />}
        </>
      )}
    </header>
  );
}
