'use client';
/** The search index of the session's document, created once per document and kept live. */
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import { EventSearchIndex } from '@/lib/search/searchIndex';
import { useTimelineComments } from '../../api/comments';

const NO_SUBSCRIBE = () => () => {};

/**
 * The index and a version number that changes whenever its content does (so results computed
 * from it are recomputed). The timeline's comment bodies are fed in as each event's extra text.
 */
export function useSearchIndex(
  doc: Y.Doc | null,
  timelineId: string,
): {
  index: EventSearchIndex | null;
  version: number;
} {
  const [index, setIndex] = useState<EventSearchIndex | null>(null);
  // The events whose comments are in the index.
  const indexed = useRef(new Set<string>());
  useEffect(() => {
    if (!doc) return;
    // Built at the first search, not on open: a big timeline opens without indexing it.
    const created = new EventSearchIndex(doc, { lazy: true });
    setIndex(created);
    return () => {
      created.destroy();
      indexed.current = new Set();
      setIndex(null);
    };
  }, [doc]);
  const comments = useTimelineComments(timelineId).data;
  useEffect(() => {
    if (!index || !comments) return;
    const bodies = new Map<string, string[]>();
    for (const comment of comments) {
      const list = bodies.get(comment.eventId) ?? [];
      list.push(comment.body);
      bodies.set(comment.eventId, list);
    }
    // Events whose comments all went are cleared; the others get their current text.
    for (const id of indexed.current) if (!bodies.has(id)) index.setExtraText(id, 'comments', '');
    for (const [id, list] of bodies) index.setExtraText(id, 'comments', list.join('\n'));
    indexed.current = new Set(bodies.keys());
  }, [index, comments]);
  const version = useSyncExternalStore(
    index?.subscribe ?? NO_SUBSCRIBE,
    index?.getVersion ?? (() => -1),
    () => -1,
  );
  return { index, version };
}
