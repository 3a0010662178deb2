'use client';
/**
 * The dashboard joins the timeline's room through the same editing session as the editor, always
 * in view mode: it has no commands that write, and the server drops anything a view connection
 * sends (viewers and view links are read-only by role; editors looking at the dashboard get a
 * read-only session too).
 */
import { useMemo } from 'react';
import type { PageAccess } from '../timeline/pageAccess';
import { EditingSessionProvider } from '../timeline/session/EditingSessionProvider';
import { DashboardScreen } from './DashboardScreen';

export function Dashboard({
  timelineId,
  access,
  wall,
}: {
  timelineId: string;
  access: PageAccess;
  wall: boolean;
}) {
  const viewAccess = useMemo<PageAccess>(() => ({ ...access, mode: 'view' }), [access]);
  return (
    <EditingSessionProvider timelineId={timelineId} access={viewAccess}>
      <DashboardScreen timelineId={timelineId} access={access} initialWall={wall} />
    </EditingSessionProvider>
  );
}
