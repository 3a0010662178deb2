'use client';
import { ShareTokenProvider } from '../api/shareToken';
import { BrowserOnly } from '../ui/BrowserOnly';
import type { PageAccess } from './pageAccess';
import { useEarlyCollabConnection } from './session/connection';
import { TimelineEditor } from './TimelineEditor';

export type { PageAccess } from './pageAccess';

export function TimelinePage({ timelineId, access }: { timelineId: string; access: PageAccess }) {
  // The document starts travelling while the editor's code loads; the editor takes the connection.
  useEarlyCollabConnection(timelineId, access.shareToken);
  // API calls of a share-link page carry the link's token.
  return (
    <ShareTokenProvider token={access.shareToken}>
      {/* vis-timeline and the websocket provider need a browser: the editor is drawn only there. */}
      <BrowserOnly fallback={<p className="loading page">Loading the timeline…</p>}>
        <TimelineEditor timelineId={timelineId} access={access} />
      </BrowserOnly>
    </ShareTokenProvider>
  );
}
