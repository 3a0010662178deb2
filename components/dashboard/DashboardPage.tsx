'use client';
import dynamic from 'next/dynamic';
import { ShareTokenProvider } from '../api/shareToken';
import type { PageAccess } from '../timeline/pageAccess';
import { useEarlyCollabConnection } from '../timeline/session/connection';
import './dashboard.css';

// The dashboard reads the live document over the websocket: it is rendered in the browser only.
const Dashboard = dynamic(() => import('./Dashboard').then((module) => module.Dashboard), {
  ssr: false,
  loading: () => <p className="loading page">Loading the dashboard…</p>,
});

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
      <Dashboard timelineId={timelineId} access={access} wall={wall} />
    </ShareTokenProvider>
  );
}
