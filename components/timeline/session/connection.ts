'use client';
/**
 * Joins a timeline's shared document over the y-websocket protocol: the Y.Doc, the awareness
 * (presence), the connection state and the tracker of local edits the server has not yet
 * confirmed as saved. Used only by the `EditingSessionProvider`.
 *
 * The document is also kept in the browser's IndexedDB (`chronoboard:<timelineId>`), so edits
 * made offline survive a reload and are sent with the first sync once the connection returns.
 */
import * as decoding from 'lib0/decoding';
import { useEffect, useState } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CloseCode } from '@/lib/limits';
import {
  encodeNoticeSubscribe,
  NOTICE_MESSAGE_TYPE,
  type Notice,
  readNotice,
} from '@/lib/noticeMessage';
import type { PresenceUser } from '@/lib/presence';
import { getEventsMap } from '@/lib/timeline/doc';
import { streamSlices } from '@/lib/timeline/updateSlices';
import { EarlyAwareWebSocket, localDatabaseName, watchEarlyDocument } from './earlySocket';
import { LocalCopy } from './localCopy';
import { canPreview, previewInWorker } from './preview';
import { encodePersistedQuery, PERSISTED_MESSAGE_TYPE, SaveTracker } from './saveTracker';
import { applyServerSlice, beginSlicedApply, yieldToPage } from './slicedApply';

const RETRIED_CODES = new Set<number>([
  CloseCode.tooManyMessages,
  CloseCode.slowConsumer,
  CloseCode.tooManyConnections,
]);

export type ConnectionState =
  | 'connecting'
  | 'live'
  | 'offline'
  | 'not-found'
  | 'unavailable'
  /** The server refused or ended access (4401/4403): signed out, link revoked, no rights. */
  | 'denied';

export interface CollabSession {
  doc: Y.Doc;
  awareness: Awareness;
  provider: WebsocketProvider;
  /** Local edits not yet confirmed as committed by the server. */
  saveTracker: SaveTracker;
  /**
   * Listens to the server's notices of changes outside the document (lib/noticeMessage.ts);
   * `'resync'` after every (re)connection, when notices may have been missed. Returns the
   * function that stops listening.
   */
  onNotice(listener: NoticeListener): () => void;
}

export type NoticeListener = (notice: Notice | 'resync') => void;

/** y-websocket's message type of the sync protocol (y-protocols/sync messages). */
const MESSAGE_SYNC = 0;
/** A document update bigger than this (bytes) is applied in slices, one task each. */
const SLICED_APPLY_ABOVE = 256 * 1024;
/** Size of one slice (bytes): some tens of milliseconds of Yjs work on a quiet machine. */
const SLICE_BYTES = 192 * 1024;

/**
 * Makes the provider apply a big update from the server (the whole document on the first visit:
 * megabytes at 100,000 events, seconds of work) in slices, yielding to the page between them,
 * instead of in one task that freezes it. Updates that arrive meanwhile wait their turn, and the
 * provider counts as synced only once the server's whole first answer (sync step 2) is applied.
 * Returns the function that stops a sliced application under way (the session ends).
 */
function applyBigUpdatesInSlices(
  provider: WebsocketProvider,
  doc: Y.Doc,
  onDocumentArriving: (update: Uint8Array) => void,
): () => void {
  const applyNow = provider.messageHandlers[MESSAGE_SYNC]!;
  let queue: Promise<void> = Promise.resolve();
  let waiting = 0;
  let stopped = false;
  provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, _provider, emitSynced, type) => {
    const peek = decoding.clone(decoder);
    const syncType = decoding.readVarUint(peek);
    if (syncType === syncProtocol.messageYjsSyncStep1) {
      applyNow(encoder, decoder, provider, emitSynced, type);
      return;
    }
    const update = decoding.readVarUint8Array(peek);
    // Small updates go straight in, unless a sliced one is still being applied (order kept).
    if (update.byteLength <= SLICED_APPLY_ABOVE && waiting === 0) {
      applyNow(encoder, decoder, provider, emitSynced, type);
      return;
    }
    decoder.pos = peek.pos; // read here; nothing to answer
    const socket = provider.ws;
    // A first visit: no events yet, nothing else arriving.
    if (waiting === 0 && getEventsMap(doc).size === 0) onDocumentArriving(update);
    const applying = beginSlicedApply(doc, update.byteLength);
    waiting++;
    queue = queue.then(async () => {
      try {
        for (const slice of streamSlices(update, SLICE_BYTES)) {
          if (stopped) return;
          try {
            applyServerSlice(doc, slice, provider);
          } catch (error) {
            console.error('Caught error while handling a Yjs update', error);
          }
          applying.applied(slice.byteLength);
          await yieldToPage();
        }
      } finally {
        waiting--;
        applying.end();
        // The server's first answer is complete: synced, if still on the connection it came on.
        const current = !stopped && provider.ws === socket && provider.wsconnected;
        if (current && emitSynced && syncType === syncProtocol.messageYjsSyncStep2) {
          if (!provider.synced) provider.synced = true;
        }
      }
    });
  };
  return () => {
    stopped = true;
  };
}

/** How long the browser copy may take to load before the page connects without it. */
const LOCAL_COPY_TIMEOUT_MS = 3_000;

/** The localStorage key remembering how many edits were unsaved when the page was left. */
export const unsavedStorageKey = (timelineId: string) => `chronoboard:unsaved:${timelineId}`;

function readUnsaved(timelineId: string): number {
  try {
    const value = Number(window.localStorage.getItem(unsavedStorageKey(timelineId)) ?? 0);
    return Number.isSafeInteger(value) && value > 0 ? value : 0;
  } catch {
    return 0; // storage disabled
  }
}

function writeUnsaved(timelineId: string, unsaved: number): void {
  try {
    if (unsaved > 0) window.localStorage.setItem(unsavedStorageKey(timelineId), String(unsaved));
    else window.localStorage.removeItem(unsavedStorageKey(timelineId));
  } catch {
    // storage disabled or full: the count is only lost across a reload
  }
}

/** What a page shows of its connection: the session once the browser copy is in, the state. */
export interface ConnectionView {
  session: CollabSession | null;
  state: ConnectionState;
  /** Why access was refused or ended, as the server said it (close reason). */
  deniedReason: string | null;
}

const CONNECTING: ConnectionView = { session: null, state: 'connecting', deniedReason: null };

/** One open connection to a timeline's room, until `close()`. */
interface CollabConnection {
  view(): ConnectionView;
  /** Calls `listener` whenever `view()` changes; returns the function that stops it. */
  subscribe(listener: () => void): () => void;
  close(): void;
}

/**
 * Opens the collaboration session for a timeline: the Y.Doc, its browser copy, the websocket
 * provider (connected once the copy has loaded), the save tracker and the notices.
 * `token` is a share-link token (sent as `?token=`); without it the session cookie is used.
 */
function openCollabConnection(timelineId: string, token: string | null): CollabConnection {
  let cancelled = false;
  let view = CONNECTING;
  const viewers = new Set<() => void>();
  const change = (next: Partial<ConnectionView>) => {
    if (cancelled) return;
    view = { ...view, ...next };
    for (const viewer of [...viewers]) viewer();
  };
  const doc = new Y.Doc();
  const local = new LocalCopy(localDatabaseName(timelineId), doc);
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  // Not connected yet: the browser copy is loaded first, so edits kept from an earlier session
  // are part of the first sync.
  const provider = new WebsocketProvider(
    `${scheme}://${window.location.host}/collab`,
    timelineId,
    doc,
    {
      connect: false,
      maxBackoffTime: 5_000,
      // Every tab syncs through the server. y-websocket's cross-tab channel would also send the
      // whole document to the other tabs on every (re)connection: 0.8 s of encoding and 23 MB
      // posted at 100,000 events.
      disableBc: true,
      // The first socket may be the one the page's HTML opened before this code loaded.
      WebSocketPolyfill: EarlyAwareWebSocket,
      params: token ? { token } : {},
      // 44xx codes are permanent for y-websocket, except the limits that pass with time (too
      // many messages, unread output on a slow link, too many tabs): retry later.
      shouldReconnect: (event: CloseEvent) =>
        RETRIED_CODES.has(event.code) || !(event.code >= 4400 && event.code < 4500),
    },
  );

  // A first visit to a big timeline: a worker reads a first view of the document while this
  // thread starts the page and applies it — from the page's early socket as soon as the document
  // is in (often before this code has taken the socket), else when the provider gets it.
  let previewing = false;
  let stopPreview = () => {};
  const preview = (updates: Uint8Array[]) => {
    if (previewing) return;
    previewing = true;
    stopPreview = previewInWorker(doc, updates);
  };
  // Without a preview (no Worker, no spare core) nothing is watched, gathered or encoded for it.
  const previews = canPreview();
  const stopWatchingEarly = previews
    ? watchEarlyDocument(provider.url, SLICED_APPLY_ABOVE, preview)
    : () => {};
  const stopSlicing = applyBigUpdatesInSlices(provider, doc, (update) => {
    if (previews) preview([Y.encodeStateAsUpdate(doc), update]);
  });

  const saveTracker = new SaveTracker({
    carriedOver: readUnsaved(timelineId),
    onChange: (unsaved) => writeUnsaved(timelineId, unsaved),
    sendQuery: (token) => {
      const ws = provider.ws;
      if (!provider.wsconnected || !ws || ws.readyState !== WebSocket.OPEN) return false;
      ws.send(encodePersistedQuery(token));
      return true;
    },
  });
  provider.messageHandlers[PERSISTED_MESSAGE_TYPE] = (_encoder, decoder) => {
    saveTracker.ack(decoding.readVarUint(decoder));
  };
  const noticeListeners = new Set<NoticeListener>();
  const emitNotice = (notice: Notice | 'resync') => {
    for (const listener of [...noticeListeners]) listener(notice);
  };
  provider.messageHandlers[NOTICE_MESSAGE_TYPE] = (_encoder, decoder) => {
    const notice = readNotice(decoder);
    if (notice) emitNotice(notice);
  };
  // Notices are opt-in per connection: ask on every connection, and refetch what may have
  // changed while there was none.
  const subscribeToNotices = ({ status }: { status: string }) => {
    if (status !== 'connected' || !provider.ws) return;
    provider.ws.send(encodeNoticeSubscribe());
    emitNotice('resync');
  };
  provider.on('status', subscribeToNotices);
  const onNotice = (listener: NoticeListener) => {
    noticeListeners.add(listener);
    return () => {
      noticeListeners.delete(listener);
    };
  };
  // Updates from the server (or another tab) come with the provider as origin, those loaded
  // from IndexedDB with the persistence: everything else is a local edit.
  const handleUpdate = (_update: Uint8Array, origin: unknown) => {
    if (origin !== provider && origin !== local) saveTracker.localChange();
  };
  doc.on('update', handleUpdate);
  const handleBeforeUnload = (event: BeforeUnloadEvent) => {
    if (saveTracker.unsaved > 0) event.preventDefault();
  };
  window.addEventListener('beforeunload', handleBeforeUnload);

  let everLive = false;
  let hasLocalCopy = false;
  let attemptFailed = false;
  let lastCloseCode: number | undefined;
  const refresh = () => {
    if (lastCloseCode === CloseCode.timelineNotFound) {
      change({ state: 'not-found' });
    } else if (lastCloseCode === CloseCode.unauthorized || lastCloseCode === CloseCode.forbidden) {
      change({ state: 'denied' });
    } else if (provider.wsconnected && provider.synced) {
      everLive = true;
      lastCloseCode = undefined;
      change({ state: 'live' });
    } else if (
      lastCloseCode === CloseCode.loadFailed ||
      lastCloseCode === CloseCode.storageBacklog
    ) {
      change({ state: 'unavailable' });
    } else if (
      provider.wsconnected ||
      // With a copy of the timeline in this browser, a failed attempt means offline: the content
      // is there to read and edit. Without one, keep showing that it is loading.
      (!everLive && !(hasLocalCopy && attemptFailed) && provider.wsconnecting)
    ) {
      change({ state: 'connecting' });
    } else {
      change({ state: 'offline' });
    }
  };
  provider.on('status', refresh);
  provider.on('sync', (synced: boolean) => {
    // By the time the server's sync step 2 is read, the client's own step 2 (carrying every edit
    // the server lacked) has been sent on this connection: ask for it to be confirmed.
    if (synced && provider.wsconnected) saveTracker.synced();
    else saveTracker.disconnected();
    refresh();
  });
  provider.on('connection-close', (event: CloseEvent | null) => {
    saveTracker.disconnected();
    lastCloseCode = event?.code;
    attemptFailed = true;
    // 4404 (no such timeline), 4401 and 4403 (no access) are final: shouldReconnect above stops
    // the provider. (Calling provider.disconnect() here would re-enter this handler with a null
    // event and lose the code.)
    if (lastCloseCode === CloseCode.unauthorized || lastCloseCode === CloseCode.forbidden) {
      change({ deniedReason: event?.reason || 'access to this timeline ended' });
    }
    // The person's role changed: the page is rendered for a role, so load it again.
    if (lastCloseCode === CloseCode.accessChanged) window.location.reload();
    refresh();
  });

  const session: CollabSession = {
    doc,
    awareness: provider.awareness,
    provider,
    saveTracker,
    onNotice,
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  // A database that does not open or answer in time (blocked, broken) is done without; one that
  // has answered is waited for while its copy is applied (seconds at 100,000 events). The page
  // has the document as soon as the copy is read, so it shows the copy while it is applied.
  const localCopyLoaded = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, LOCAL_COPY_TIMEOUT_MS);
    void local.whenRead.then(() => {
      clearTimeout(timer);
      change({ session });
      return local.whenSynced.then(() => resolve());
    });
  });
  void localCopyLoaded.then(() => {
    clearTimeout(timer);
    if (cancelled) return;
    hasLocalCopy = doc.store.clients.size > 0;
    change({ session });
    provider.connect();
  });

  return {
    view: () => view,
    subscribe(viewer) {
      viewers.add(viewer);
      return () => viewers.delete(viewer);
    },
    close() {
      cancelled = true;
      viewers.clear();
      clearTimeout(timer);
      window.removeEventListener('beforeunload', handleBeforeUnload);
      doc.off('update', handleUpdate);
      provider.off('status', subscribeToNotices);
      noticeListeners.clear();
      saveTracker.destroy();
      stopSlicing();
      stopWatchingEarly();
      stopPreview();
      provider.destroy();
      void local.destroy();
      doc.destroy();
    },
  };
}

/** Connections a page opened before the component that uses them was loaded, by timeline. */
const early = new Map<
  string,
  { connection: CollabConnection; expiry: ReturnType<typeof setTimeout> }
>();
/** An early connection nobody took within this long (ms) is closed. */
const EARLY_CONNECTION_TTL_MS = 30_000;
const earlyKey = (timelineId: string, token: string | null) => `${timelineId}\n${token ?? ''}`;

/**
 * Opens a timeline's connection now, for the `useCollabConnection` that mounts next with the same
 * timeline and token: a page calls it as soon as it runs, so that the document travels while the
 * editor's code (vis-timeline, the panels) is still loading. Returns the function that closes it
 * unless it was taken (the page left first).
 */
function openCollabConnectionEarly(timelineId: string, token: string | null): () => void {
  const key = earlyKey(timelineId, token);
  let entry = early.get(key);
  if (!entry) {
    const connection = openCollabConnection(timelineId, token);
    entry = {
      connection,
      expiry: setTimeout(() => dropEarly(key, connection), EARLY_CONNECTION_TTL_MS),
    };
    early.set(key, entry);
  }
  const { connection } = entry;
  return () => dropEarly(key, connection);
}

/** `openCollabConnectionEarly` for as long as the page is mounted. */
export function useEarlyCollabConnection(timelineId: string, token: string | null): void {
  useEffect(() => openCollabConnectionEarly(timelineId, token), [timelineId, token]);
}

/** Closes the early connection under `key` if it is still `connection` and nobody took it. */
function dropEarly(key: string, connection: CollabConnection): void {
  if (early.get(key)?.connection === connection) takeEarly(key)?.close();
}

/** The early connection under `key`, removed from the waiting ones; null if there is none. */
function takeEarly(key: string): CollabConnection | null {
  const entry = early.get(key);
  if (!entry) return null;
  clearTimeout(entry.expiry);
  early.delete(key);
  return entry.connection;
}

/**
 * The collaboration session of a timeline for as long as the component is mounted: the one the
 * page opened early (`openCollabConnectionEarly`) if there is one, else a new one.
 */
export function useCollabConnection(
  timelineId: string,
  user: PresenceUser,
  token: string | null = null,
): ConnectionView {
  const [view, setView] = useState<ConnectionView>(CONNECTING);

  useEffect(() => {
    const connection =
      takeEarly(earlyKey(timelineId, token)) ?? openCollabConnection(timelineId, token);
    const show = () => setView(connection.view());
    const stop = connection.subscribe(show);
    show();
    return () => {
      stop();
      connection.close();
      setView(CONNECTING);
    };
  }, [timelineId, token]);

  const { session } = view;
  useEffect(() => {
    // The shape others read is `PresenceState` (lib/presence.ts).
    session?.awareness.setLocalStateField('user', user);
  }, [session, user]);

  return view;
}
