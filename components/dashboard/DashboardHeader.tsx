'use client';
/**
 * The dashboard's header: title, live state, who is looking, the way to the timeline, and the
 * Export dialog (the editor's; its "current filter" here is the period selected in the histogram).
 */
import Link from 'next/link';
import { useState } from 'react';
import { timelinePath } from '@/lib/timelinePaths';
import { UserMenu } from '../access/UserMenu';
import { type CurrentExportFilter, ExportDialog } from '../export/ExportDialog';
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
  period = null,
}: {
  timelineId: string;
  title: string;
  access: PageAccess;
  state: ConnectionState;
  wall: boolean;
  onWall(): void;
  /** The period selected in the histogram (ms since the epoch, end exclusive) and its events. */
  period?: { start: number; end: number; shown: number; total: number } | null;
}) {
  const viewOnly = access.mode === 'view';
  const [exportOpen, setExportOpen] = useState(false);
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
          <button
            type="button"
            onClick={() => setExportOpen(true)}
            aria-haspopup="dialog"
            data-testid="export-button"
          >
            Export…
          </button>
          <button type="button" onClick={onWall} data-testid="wall-button">
            Wall screen
          </button>
          {access.user && <UserMenu user={access.user} />}
        </>
      )}
      {exportOpen && !wall && (
        <ExportDialog
          timelineId={timelineId}
          title={title}
          currentFilter={periodFilter(period)}
          onClose={() => setExportOpen(false)}
        />
      )}
    </header>
  );
}

/** The selected period as the Export dialog's current filter (the export's `from`/`to`). */
function periodFilter(
  period: { start: number; end: number; shown: number; total: number } | null,
): CurrentExportFilter | null {
  if (!period) return null;
  const query = new URLSearchParams({
    from: new Date(period.start).toISOString(),
    // The period's end is exclusive; the export's `to` is not.
    to: new Date(period.end - 1).toISOString(),
  });
  return {
    query: query.toString(),
    shown: period.shown,
    total: period.total,
    label: 'The selected period',
  };
}
