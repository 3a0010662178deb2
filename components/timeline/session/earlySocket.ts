'use client';
/**
 * The collaboration socket of a first visit, opened before the editor's code has loaded.
 *
 * On a first visit (no copy of the timeline in this browser) there is nothing to wait for before
 * asking the server for the document, yet the editor's scripts (vis-timeline, Yjs, CodeMirror)
 * still have to load, run and render, which takes a few hundred milliseconds. `TimelinePage`
 * calls `openEarlySocket` as soon as it is hydrated: the socket opens while the editor's scripts
 * load, and once they have arrived it sends the sync step 1 of an empty document ("send me
 * everything"), so the server loads and sends the document while the editor renders and opens
 * its (empty) browser copy. Not before the scripts have arrived: the same server sends both,
 * and encoding a big answer (a second at 100,000 events) held the scripts up. The editor's `WebsocketProvider` then claims that socket
 * (`EarlyClaimingWebSocket`, its `WebSocketPolyfill`): the messages received meanwhile are
 * handed to it in order, and its own first sync step 1, identical, is not sent twice.
 *
 * No Yjs here: this module is part of the page's first scripts and must stay small.
 */

/** The IndexedDB database that keeps a timeline's document in this browser. */
export const localDatabaseName = (timelineId: string) => `chronoboard:${timelineId}`;

/**
 * Whether this browser has a database by that name: false only when it surely has none (a
 * browser without `indexedDB.databases()` answers null, "maybe").
 */
export async function localCopyExists(name: string): Promise<boolean | null> {
  try {
    if (typeof indexedDB === 'undefined' || typeof indexedDB.databases !== 'function') return null;
    const databases = await indexedDB.databases();
    return databases.some((database) => database.name === name);
  } catch {
    return null; // storage disabled (private mode, policy): y-indexeddb fails alike
  }
}

/** Where the collaboration socket of a timeline connects (what y-websocket's `url` gives). */
export function collabServerUrl(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${window.location.host}/collab`;
}

/** y-websocket's `provider.url` for these options: server URL, room, `?token=` when given. */
export function collabSocketUrl(timelineId: string, token: string | null): string {
  const query = token ? `?token=${encodeURIComponent(token)}` : '';
  return `${collabServerUrl()}/${timelineId}${query}`;
}

/**
 * The sync step 1 of an empty document: message type sync (0), step 1 (0), and the state vector
 * as a length-prefixed byte array holding zero clients ([1, 0]). A unit test checks it against
 * y-protocols' own encoding.
 */
export const EMPTY_SYNC_STEP_1 = new Uint8Array([0, 0, 1, 0]);

/** An early socket not claimed by then is closed (the editor failed to load, or left). */
const UNCLAIMED_CLOSE_MS = 60_000;

interface EarlySocket {
  url: string;
  socket: WebSocket;
  /** What happened before the provider took the socket over, in order. */
  events: Event[];
  record: (event: Event) => void;
  /** Whether the empty document's sync step 1 went out on it. */
  stepOneSent: boolean;
  timer: ReturnType<typeof setTimeout>;
}

let early: EarlySocket | null = null;

/**
 * Opens the collaboration socket of `timelineId` ahead of the editor when this browser keeps no
 * copy of it. Does nothing otherwise (the copy is loaded first, then the editor connects).
 */
export function openEarlySocket(
  timelineId: string,
  token: string | null,
  editorLoaded: Promise<unknown>,
): void {
  const url = collabSocketUrl(timelineId, token);
  if (early?.url === url || typeof WebSocket === 'undefined') return;
  void localCopyExists(localDatabaseName(timelineId)).then((exists) => {
    if (exists !== false || early !== null) return;
    let socket: WebSocket;
    try {
      socket = new WebSocket(url);
    } catch {
      return; // the editor connects by itself
    }
    socket.binaryType = 'arraybuffer';
    const entry: EarlySocket = {
      url,
      socket,
      events: [],
      record: (event) => entry.events.push(event),
      stepOneSent: false,
      timer: setTimeout(() => {
        if (early === entry) early = null;
        socket.close();
      }, UNCLAIMED_CLOSE_MS),
    };
    // The request for the document goes out once the socket is open and the editor's scripts
    // have arrived: the same server sends both, and the big answer would hold the scripts up.
    let opened = false;
    let loaded = false;
    const askForEverything = () => {
      // Once claimed, the provider sends its own step 1.
      if (!opened || !loaded || early !== entry || entry.stepOneSent) return;
      socket.send(EMPTY_SYNC_STEP_1);
      entry.stepOneSent = true;
    };
    socket.addEventListener('open', () => {
      opened = true;
      askForEverything();
    });
    editorLoaded.then(
      () => {
        loaded = true;
        askForEverything();
      },
      () => {}, // the page shows the failure; the unclaimed socket closes in time
    );
    for (const type of ['open', 'message', 'error', 'close']) {
      socket.addEventListener(type, entry.record);
    }
    early = entry;
  });
}

function sameBytes(data: unknown, expected: Uint8Array): boolean {
  if (!(data instanceof Uint8Array) || data.byteLength !== expected.byteLength) return false;
  return data.every((byte, i) => byte === expected[i]);
}

type Handlers = Pick<WebSocket, 'onopen' | 'onmessage' | 'onerror' | 'onclose'>;

/**
 * Hands the early socket for `url` over (once), or null when there is none to take: none was
 * opened, it is for another address, or it already closed. The caller sets its handlers on it
 * synchronously; what happened before is replayed to them right after (a microtask).
 */
function claimEarlySocket(url: string): WebSocket | null {
  const entry = early;
  if (!entry || entry.url !== url) return null;
  early = null;
  clearTimeout(entry.timer);
  const { socket } = entry;
  for (const type of ['open', 'message', 'error', 'close']) {
    socket.removeEventListener(type, entry.record);
  }
  if (socket.readyState === WebSocket.CLOSING || socket.readyState === WebSocket.CLOSED) {
    return null;
  }
  // The provider sends the step 1 of its document on open: when it is the empty document's,
  // already sent on this socket, it is not sent again (the server would send everything twice).
  const send = socket.send.bind(socket);
  let skipStepOne = true;
  socket.send = (data) => {
    if (skipStepOne && entry.stepOneSent && sameBytes(data, EMPTY_SYNC_STEP_1)) {
      skipStepOne = false;
      return;
    }
    send(data);
  };
  if (!entry.stepOneSent) {
    // Still connecting: the provider's own step 1 goes out when it opens.
    skipStepOne = false;
  }
  queueMicrotask(() => {
    const handlers = socket as Handlers;
    for (const event of entry.events) {
      if (event.type === 'open') handlers.onopen?.call(socket, event);
      else if (event.type === 'message') handlers.onmessage?.call(socket, event as MessageEvent);
      else if (event.type === 'error') handlers.onerror?.call(socket, event);
      else if (event.type === 'close') handlers.onclose?.call(socket, event as CloseEvent);
    }
    skipStepOne = false;
  });
  return socket;
}

/**
 * y-websocket's `WebSocketPolyfill`: takes the early socket when there is one for this address,
 * else opens a new one.
 */
export const EarlyClaimingWebSocket = function EarlyClaimingWebSocket(
  url: string,
  protocols?: string | string[],
): WebSocket {
  return claimEarlySocket(url) ?? new WebSocket(url, protocols);
} as unknown as typeof WebSocket;
