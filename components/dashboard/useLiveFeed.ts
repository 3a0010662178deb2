'use client';
/**
 * The changes this page has seen arrive on the live document, newest first, for the feed. The
 * document as it was when the page went live is the baseline: loading it is not a change.
 */
import { useEffect, useState } from 'react';
import type * as Y from 'yjs';
import { type FeedEntry, liveChanges } from '@/lib/dashboard/liveFeed';
import { readTimeline } from '@/lib/timeline/model';
import type { ConnectionState } from '../timeline/session/connection';

const KEPT = 50;

export function useLiveFeed(
  doc: Y.Doc | null,
  state: ConnectionState,
  onChange: () => void,
): FeedEntry[] {
  const [entries, setEntries] = useState<FeedEntry[]>([]);
  useEffect(() => {
    if (!doc || state !== 'live') return;
    // The sync has been applied by the time the state says live; edits from here on are news.
    let baseline = readTimeline(doc);
    let frame = 0;
    const compare = () => {
      frame = 0;
      const next = readTimeline(doc);
      const changes = liveChanges(baseline, next, new Date());
      baseline = next;
      if (changes.length === 0) return;
      setEntries((current) => [...changes.reverse(), ...current].slice(0, KEPT));
      onChange();
    };
    const schedule = () => {
      if (frame === 0) frame = requestAnimationFrame(compare);
    };
    doc.on('update', schedule);
    return () => {
      doc.off('update', schedule);
      if (frame !== 0) cancelAnimationFrame(frame);
    };
  }, [doc, state, onChange]);
  return entries;
}
