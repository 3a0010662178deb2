'use client';
import dynamic from 'next/dynamic';
import { ShareTokenProvider } from '../api/shareToken';
import type { PageAccess } from './pageAccess';
import { useEarlyCollabConnection } from './session/connection';

export type { PageAccess } from './pageAccess';

// vis-timeline and the websocket provider need a browser; the editor is rendered only there.
const TimelineEditor = dynamic(
  () => import('./TimelineEditor').then((module) => module.TimelineEditor),
  {
    ssr: false,
    loading: () => <p className="loading page">Loading the timeline…</p>,
  },
);

export function TimelinePage({ timelineId, access }: { timelineId: string; access: PageAccess }) {
  // The document starts travelling while the editor's code loads; the editor takes the connection.
  useEarlyCollabConnection(timelineId, access.shareToken);
  // API calls of a share-link page carry the link's token.
  return (
    <ShareTokenProvider token={access.shareToken}>
      <TimelineEditor timelineId={timelineId} access={access} />
    </ShareTokenProvider>
  );
}
