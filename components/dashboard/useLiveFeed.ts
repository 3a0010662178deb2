'use client';
/**
 * The changes this page has seen arrive on the live document, newest first, for the feed, each
 * named at once from the room's presence (lib/dashboard/liveAuthors.ts). The document as it was
 * when the page went live is the baseline: loading it is not a change.
 */
import { useEffect, useState } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { AuthorNames, touchedEventIds, writersOf } from '@/lib/dashboard/liveAuthors';
import { type FeedEntry, LiveEventBaseline } from '@/lib/dashboard/liveFeed';
import { getEventsMap } from '@/lib/timeline/model';
import type { ConnectionState } from '../timeline/session/connection';

const KEPT = 50;

export function useLiveFeed(
  doc: Y.Doc | null,
  awareness: Awareness | null,
  state: ConnectionState,
  onChange: () => void,
): FeedEntry[] {
  const [entries, setEntries] = useState<FeedEntry[]>([]);
  useEffect(() => {
    if (!doc || state !== 'live') return;
    const events = getEventsMap(doc);
    const names = new AuthorNames();
    const learnNames = () => {
      if (awareness) names.learn(awareness.getStates());
    };
    learnNames();
    awareness?.on('change', learnNames);
    // Event id → the clients who wrote to it since the last comparison.
    const writers = new Map<string, Set<number>>();
    // Every event a change touched since the last comparison (only those are read again).
    const touched = new Set<string>();
    const recordChange = (transaction: Y.Transaction) => {
      const ids = touchedEventIds(transaction, events);
      for (const id of ids) touched.add(id);
      const clients = writersOf(transaction);
      if (clients.length === 0) return;
      for (const id of ids) {
        const set = writers.get(id) ?? new Set<number>();
        for (const client of clients) set.add(client);
        writers.set(id, set);
      }
    };
    // The sync has been applied by the time the state says live; edits from here on are news.
    const baseline = new LiveEventBaseline(doc);
    let frame = 0;
    const compare = () => {
      frame = 0;
      // An edit can arrive in the same frame as its writer's first presence: read it now.
      learnNames();
      const changes = baseline.changes(touched, new Date(), (id) =>
        names.nameOf(writers.get(id) ?? []),
      );
      touched.clear();
      writers.clear();
      if (changes.length === 0) return;
      setEntries((current) => [...changes.reverse(), ...current].slice(0, KEPT));
      onChange();
    };
    const schedule = () => {
      if (frame === 0) frame = requestAnimationFrame(compare);
    };
    doc.on('afterTransaction', recordChange);
    doc.on('update', schedule);
    return () => {
      awareness?.off('change', learnNames);
      doc.off('afterTransaction', recordChange);
      doc.off('update', schedule);
      if (frame !== 0) cancelAnimationFrame(frame);
    };
  }, [doc, awareness, state, onChange]);
  return entries;
}
