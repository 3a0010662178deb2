'use client';
/** The search index of the session's document, created once per document and kept live. */
import { useEffect, useState, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import { EventSearchIndex } from '@/lib/search/searchIndex';

const NO_SUBSCRIBE = () => () => {};

/**
 * The index and a version number that changes whenever its content does (so results computed
 * from it are recomputed). Comment bodies can be fed with `index.setExtraText(id, 'comments', …)`.
 */
export function useSearchIndex(doc: Y.Doc | null): {
  index: EventSearchIndex | null;
  version: number;
} {
  const [index, setIndex] = useState<EventSearchIndex | null>(null);
  useEffect(() => {
    if (!doc) return;
    const created = new EventSearchIndex(doc);
    setIndex(created);
    return () => {
      created.destroy();
      setIndex(null);
    };
  }, [doc]);
  const version = useSyncExternalStore(
    index?.subscribe ?? NO_SUBSCRIBE,
    index?.getVersion ?? (() => -1),
    () => -1,
  );
  return { index, version };
}
