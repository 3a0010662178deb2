'use client';
/**
 * One editing session of a timeline in this browser. The provider owns the Y.Doc, the websocket
 * provider, the IndexedDB copy, the save tracker, the connection state, this person's presence
 * and the origin of their writes; components below read it through small hooks and write only
 * through `useEditingCommands()` (y-sweet's React package has the same shape).
 */
import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { PresenceUser } from '@/lib/presence';
import type { TimelineSnapshot } from '@/lib/timeline/model';
import type { PageAccess } from '../pageAccess';
import { createFollowStore, type FollowStore } from '../presence/followStore';
import { createEditingCommands, type EditingCommands, type LocalEditOrigin } from './commands';
import { type ConnectionState, useCollabConnection } from './connection';
import type { SaveTracker } from './saveTracker';
import { createSessionUndo, type SessionUndo } from './undo';
import { useDisplayName } from './useDisplayName';
import { useLiveComments } from './useLiveComments';
import { type Person, usePresence } from './usePresence';
import { useTimelineSnapshot } from './useTimelineSnapshot';

export interface EditingSession {
  timelineId: string;
  /** Who opened the page and how (account or share link). */
  access: PageAccess;
  /** Null until the browser copy of the document has been read (the page shows it as it is applied). */
  doc: Y.Doc | null;
  awareness: Awareness | null;
  saveTracker: SaveTracker | null;
  state: ConnectionState;
  /** Why the server refused or ended access, when `state` is `denied`. */
  deniedReason: string | null;
  /** The document's content as plain data; null until loaded. */
  snapshot: TimelineSnapshot | null;
  /**
   * Every event of a big document is being read (in slices, the page stays responsive): the
   * snapshot is still the one from before. The page is not ready for editing until it ends.
   */
  reading: boolean;
  /**
   * The snapshot holds only the events that have arrived so far (a first visit to a big
   * timeline): shown on the axis while the rest arrives, not yet counted or editable.
   */
  partial: boolean;
  /** People in the room, this tab first. */
  people: Person[];
  /** Whom this tab follows on the axis (clicking a colleague's avatar). */
  follow: FollowStore;
  /** What this person announces to others. */
  user: PresenceUser;
  /** The name as typed (share-link visitors edit it in the header). */
  displayName: string;
  setDisplayName(name: string): void;
  /** Every transaction of this person's edits carries this origin (for a per-user undo). */
  origin: LocalEditOrigin;
  commands: EditingCommands;
  /** This person's undo and redo (null until the document has loaded). */
  undo: SessionUndo | null;
}

const EditingSessionContext = createContext<EditingSession | null>(null);

export function EditingSessionProvider({
  timelineId,
  access,
  children,
}: {
  timelineId: string;
  access: PageAccess;
  children: ReactNode;
}) {
  const { name, setName, user } = useDisplayName(access.user?.name ?? null, access.mode);
  const { session, state, deniedReason } = useCollabConnection(timelineId, user, access.shareToken);
  const { snapshot, reading, partial } = useTimelineSnapshot(session?.doc);
  useLiveComments(timelineId, session);
  const people = usePresence(session?.awareness);
  const [follow] = useState(createFollowStore);
  const origin = useMemo<LocalEditOrigin>(() => ({ kind: 'local-edit', timelineId }), [timelineId]);
  const doc = session?.doc ?? null;
  const canEdit = access.mode === 'edit';
  // One undo stack per document: a new document (another timeline, another link) starts empty.
  const [undo, setUndo] = useState<SessionUndo | null>(null);
  useEffect(() => {
    if (!doc) return;
    const created = createSessionUndo(doc, origin);
    setUndo(created);
    return () => {
      created.destroy();
      setUndo(null);
    };
  }, [doc, origin]);
  const commands = useMemo(
    () => createEditingCommands(doc, origin, canEdit, undo),
    [doc, origin, canEdit, undo],
  );
  const value = useMemo<EditingSession>(
    () => ({
      timelineId,
      access,
      doc,
      awareness: session?.awareness ?? null,
      saveTracker: session?.saveTracker ?? null,
      state,
      deniedReason,
      snapshot,
      reading,
      partial,
      people,
      follow,
      user,
      displayName: name,
      setDisplayName: setName,
      origin,
      commands,
      undo,
    }),
    [
      timelineId,
      access,
      doc,
      session,
      state,
      deniedReason,
      snapshot,
      reading,
      partial,
      people,
      follow,
      user,
      name,
      setName,
      origin,
      commands,
      undo,
    ],
  );
  return <EditingSessionContext.Provider value={value}>{children}</EditingSessionContext.Provider>;
}

/** The session of the timeline being edited; only inside an `EditingSessionProvider`. */
export function useEditingSession(): EditingSession {
  const session = useContext(EditingSessionContext);
  if (!session) throw new Error('useEditingSession needs an EditingSessionProvider above it');
  return session;
}

/** The commands that write to the document: the only way the UI changes a timeline. */
export function useEditingCommands(): EditingCommands {
  return useEditingSession().commands;
}
