'use client';
/**
 * When this viewer last opened the dashboard, and recording this visit: on the server for an
 * account, in this browser's localStorage for a share-link visitor (who has no account).
 */
import { useEffect, useState } from 'react';
import { useRecordedVisit } from '../api/dashboard';

export const visitStorageKey = (timelineId: string) => `chronoboard:dashboard-visit:${timelineId}`;

export interface LastVisit {
  /** False until the previous visit is known. */
  ready: boolean;
  /** The previous visit (ISO), null for a first visit. */
  previous: string | null;
  /** Where it is remembered. */
  storedIn: 'account' | 'browser';
  error: string | null;
}

export function useLastVisit(timelineId: string, hasAccount: boolean): LastVisit {
  const recorded = useRecordedVisit(timelineId, hasAccount);
  const browser = useBrowserVisit(timelineId, !hasAccount);
  if (!hasAccount) return browser;
  return {
    ready: recorded.isSuccess || recorded.isError,
    previous: recorded.data?.previousVisitAt ?? null,
    storedIn: 'account',
    error: recorded.error?.message ?? null,
  };
}

function useBrowserVisit(timelineId: string, enabled: boolean): LastVisit {
  // Read once when the page opens; the visit recorded now is what the next one compares with.
  const [previous] = useState<string | null>(() =>
    enabled ? readStoredVisit(visitStorageKey(timelineId)) : null,
  );
  useEffect(() => {
    if (!enabled) return;
    try {
      window.localStorage.setItem(visitStorageKey(timelineId), new Date().toISOString());
    } catch {
      // storage disabled: every visit is a first one
    }
  }, [timelineId, enabled]);
  return { ready: true, previous, storedIn: 'browser', error: null };
}

function readStoredVisit(key: string): string | null {
  try {
    const value = window.localStorage.getItem(key);
    return value && !Number.isNaN(Date.parse(value)) ? value : null;
  } catch {
    return null;
  }
}
