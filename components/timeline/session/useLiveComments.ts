'use client';
/**
 * Keeps the comment queries of a timeline live: a server notice that an event's comments changed
 * refetches that event's thread list and the counts; a (re)connection refetches them all, since
 * notices sent while disconnected were missed.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { commentKeys } from '@/components/api/comments';
import type { CollabSession } from './connection';

export function useLiveComments(timelineId: string, session: CollabSession | null): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!session) return;
    return session.onNotice((notice) => {
      if (notice === 'resync') {
        void queryClient.invalidateQueries({ queryKey: commentKeys.all(timelineId) });
        return;
      }
      void queryClient.invalidateQueries({ queryKey: commentKeys.counts(timelineId) });
      void queryClient.invalidateQueries({ queryKey: commentKeys.timeline(timelineId) });
      void queryClient.invalidateQueries({
        queryKey: commentKeys.event(timelineId, notice.eventId),
      });
    });
  }, [session, timelineId, queryClient]);
}
