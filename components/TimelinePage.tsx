'use client';
import dynamic from 'next/dynamic';
import type { UserSummary } from '@/lib/access';
import { setShareToken } from './api';

// vis-timeline and the websocket provider need a browser; the editor is rendered only there.
const TimelineEditor = dynamic(
  () => import('./TimelineEditor').then((module) => module.TimelineEditor),
  {
    ssr: false,
    loading: () => <p className="loading page">Loading the timeline…</p>,
  },
);

/** How the page was opened: by an account (its role decides the mode) or by a share link. */
export interface PageAccess {
  mode: 'edit' | 'view';
  /** The share-link token from the URL; null for accounts. */
  shareToken: string | null;
  user: UserSummary | null;
}

export function TimelinePage({ timelineId, access }: { timelineId: string; access: PageAccess }) {
  // Before any query runs: API calls of a share-link page carry the link's token.
  setShareToken(access.shareToken);
  return <TimelineEditor timelineId={timelineId} access={access} />;
}
