'use client';
import dynamic from 'next/dynamic';
import { useEffect } from 'react';
import { ShareTokenProvider } from '../api/shareToken';
import type { PageAccess } from './pageAccess';
import { openEarlySocket } from './session/earlySocket';

export type { PageAccess } from './pageAccess';

// vis-timeline and the websocket provider need a browser; the editor is rendered only there.
const loadEditor = () => import('./TimelineEditor').then((module) => module.TimelineEditor);
const TimelineEditor = dynamic(loadEditor, {
  ssr: false,
  loading: () => <p className="loading page">Loading the timeline…</p>,
});

export function TimelinePage({ timelineId, access }: { timelineId: string; access: PageAccess }) {
  // A first visit opens its collaboration socket while the editor's scripts load.
  useEffect(
    () => openEarlySocket(timelineId, access.shareToken, loadEditor()),
    [timelineId, access.shareToken],
  );
  // API calls of a share-link page carry the link's token.
  return (
    <ShareTokenProvider token={access.shareToken}>
      <TimelineEditor timelineId={timelineId} access={access} />
    </ShareTokenProvider>
  );
}
