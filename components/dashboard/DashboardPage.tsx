'use client';
import { ShareTokenProvider } from '../api/shareToken';
import type { PageAccess } from '../timeline/pageAccess';
import { useEarlyCollabConnection } from '../timeline/session/connection';
import { BrowserOnly } from '../ui/BrowserOnly';
import { Dashboard } from './Dashboard';
import './dashboard.css';

export function DashboardPage({
  timelineId,
  access,
  wall,
}: {
  timelineId: string;
  access: PageAccess;
  wall: boolean;
}) {
  // The document starts travelling while the dashboard's code loads; the dashboard takes it.
  useEarlyCollabConnection(timelineId, access.shareToken);
  return (
    <ShareTokenProvider token={access.shareToken}>
      {/* The dashboard reads the live document over the websocket: drawn in the browser only. */}
      <BrowserOnly fallback={<p className="loading page">Loading the dashboard…</p>}>
        <Dashboard timelineId={timelineId} access={access} wall={wall} />
      </BrowserOnly>
    </ShareTokenProvider>
  );
}
