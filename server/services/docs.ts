import * as Y from 'yjs';
import { NotFoundError } from '../../lib/errors';
import type { CollabServer } from '../collab/server';
import type { TimelineStore } from '../store/types';

/** The actor of direct connections that only read (never named in the activity log). */
const SERVER_READER = 'Chronoboard';

/**
 * Runs `read` on a timeline's document: the live one when a room has it open (so edits made over
 * the websocket a moment ago are included), otherwise a temporary copy loaded from the store.
 * `read` may be async; it must not keep the document: a temporary copy is destroyed once `read`
 * has settled.
 */
export async function readTimelineDoc<T>(
  deps: { store: TimelineStore; collab: CollabServer },
  timelineId: string,
  read: (doc: Y.Doc) => T | Promise<T>,
): Promise<T> {
  if (deps.collab.peekDoc(timelineId)) {
    // Held through a direct connection, so the room cannot unload while an async `read` runs.
    const direct = await deps.collab.openDirect(timelineId, SERVER_READER);
    try {
      return await read(direct.doc);
    } finally {
      direct.release();
    }
  }
  const stored = await deps.store.loadDoc(timelineId);
  if (!stored) throw new NotFoundError(`timeline ${timelineId} not found`);
  const doc = docFromUpdates(stored.updates);
  try {
    return await read(doc);
  } finally {
    doc.destroy();
  }
}

/** A new document holding `updates`. */
export function docFromUpdates(updates: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  Y.transact(doc, () => {
    for (const update of updates) Y.applyUpdate(doc, update);
  });
  return doc;
}
