'use client';
/**
 * Joins a timeline's shared document over the y-websocket protocol and exposes it to React:
 * the Y.Doc, the awareness (presence), the connection state and a snapshot of the content that
 * changes whenever the document does.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CloseCode } from '@/lib/limits';
import { readTimeline, type TimelineSnapshot } from '@/lib/timeline/model';

export type ConnectionState = 'connecting' | 'live' | 'offline' | 'not-found' | 'unavailable';

export interface CollabSession {
  doc: Y.Doc;
  awareness: Awareness;
  provider: WebsocketProvider;
}

/** Opens the collaboration session for a timeline for as long as the component is mounted. */
export function useCollabSession(timelineId: string, user: { name: string; color: string }) {
  const [session, setSession] = useState<CollabSession | null>(null);
  const [state, setState] = useState<ConnectionState>('connecting');

  useEffect(() => {
    const doc = new Y.Doc();
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const provider = new WebsocketProvider(
      `${scheme}://${window.location.host}/collab`,
      timelineId,
      doc,
      {
        maxBackoffTime: 5_000,
      },
    );
    let everLive = false;
    let lastCloseCode: number | undefined;
    const refresh = () => {
      if (lastCloseCode === CloseCode.timelineNotFound) {
        setState('not-found');
      } else if (provider.wsconnected && provider.synced) {
        everLive = true;
        lastCloseCode = undefined;
        setState('live');
      } else if (lastCloseCode === CloseCode.loadFailed) {
        setState('unavailable');
      } else if (provider.wsconnected || (!everLive && provider.wsconnecting)) {
        setState('connecting');
      } else {
        setState('offline');
      }
    };
    provider.on('status', refresh);
    provider.on('sync', refresh);
    provider.on('connection-close', (event: CloseEvent | null) => {
      lastCloseCode = event?.code;
      // A timeline that does not exist will not appear by retrying.
      if (lastCloseCode === CloseCode.timelineNotFound) provider.disconnect();
      refresh();
    });
    setSession({ doc, awareness: provider.awareness, provider });
    return () => {
      provider.destroy();
      doc.destroy();
      setSession(null);
    };
  }, [timelineId]);

  useEffect(() => {
    session?.awareness.setLocalStateField('user', user);
  }, [session, user]);

  return { session, state };
}

/** The document's content as plain data, recomputed when the document changes. */
export function useTimelineSnapshot(doc: Y.Doc | undefined): TimelineSnapshot | null {
  const [store] = useState(() => createSnapshotStore());
  useEffect(() => store.attach(doc), [store, doc]);
  return useSyncExternalStore(store.subscribe, store.get, () => null);
}

function createSnapshotStore() {
  let snapshot: TimelineSnapshot | null = null;
  const listeners = new Set<() => void>();
  const emit = () => {
    for (const listener of listeners) listener();
  };
  return {
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get: () => snapshot,
    attach(doc: Y.Doc | undefined) {
      if (!doc) return;
      let frame = 0;
      const refresh = () => {
        frame = 0;
        snapshot = readTimeline(doc);
        emit();
      };
      // Bursts of remote updates are folded into one re-read per animation frame.
      const schedule = () => {
        if (frame === 0) frame = requestAnimationFrame(refresh);
      };
      refresh();
      doc.on('update', schedule);
      return () => {
        doc.off('update', schedule);
        if (frame !== 0) cancelAnimationFrame(frame);
      };
    },
  };
}

/** People currently in the room, from awareness (including this tab, marked `self`). */
export function usePresence(awareness: Awareness | undefined) {
  const [people, setPeople] = useState<
    { clientId: number; name: string; color: string; self: boolean }[]
  >([]);
  useEffect(() => {
    if (!awareness) return;
    const refresh = () => {
      const list: { clientId: number; name: string; color: string; self: boolean }[] = [];
      awareness.getStates().forEach((state, clientId) => {
        const user = (state as { user?: { name?: unknown; color?: unknown } }).user;
        if (!user || typeof user.name !== 'string') return;
        list.push({
          clientId,
          name: user.name.slice(0, 60),
          color:
            typeof user.color === 'string' && /^#[0-9a-f]{6}$/i.test(user.color)
              ? user.color
              : '#64748b',
          self: clientId === awareness.clientID,
        });
      });
      setPeople(
        list.sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name)),
      );
    };
    refresh();
    awareness.on('change', refresh);
    return () => awareness.off('change', refresh);
  }, [awareness]);
  return people;
}
