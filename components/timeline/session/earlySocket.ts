/**
 * The timeline's websocket, opened by the page's HTML before any of its code has loaded.
 *
 * A timeline's page opens its collaboration connection as soon as its code runs, but that code
 * (React, the editor, vis-timeline) takes half a second to load and start, and a first visit
 * then waits for the whole document (megabytes) to come. `earlySocketScript` is a few lines put
 * inline in the page's HTML: it opens the socket while the code is still loading and, on a first
 * visit (no copy of the timeline in this browser's IndexedDB), asks for the whole document at
 * once — the y-websocket sync step 1 of an empty document — so the answer is there, or on its
 * way, when the code is ready. Every message is kept until then.
 *
 * `EarlyAwareWebSocket` is the WebSocket class the provider (`connection.ts`) is given: its first
 * connection to the same URL adopts the early socket — replays what it saw (open, messages) to
 * the provider's handlers, then passes everything through — and any other connection is a plain
 * WebSocket. The provider's own sync step 1 is dropped when the early one already asked the same
 * (an empty document's): the server would otherwise send the whole document twice. With a copy
 * in this browser the early socket asks nothing: the provider's sync step 1, sent once the copy
 * is loaded, asks only for what the copy lacks.
 *
 * Nothing here decides access: the server authorises the socket as any other (cookie or
 * `?token=`), and a socket refused or closed before it was adopted is not adopted (the provider
 * opens its own and sees the refusal itself). An early socket nobody adopts closes after 30 s.
 */

import * as decoding from 'lib0/decoding';

/** Where the HTML's script leaves the early socket (a property of `window`). */
export const EARLY_SOCKET_KEY = '__chronoboardEarlySocket';

/** The y-websocket message of a sync step 1 with an empty state vector: "send me everything". */
const EMPTY_SYNC_STEP1 = [0, 0, 1, 0] as const;

/** How long an early socket waits to be adopted before it closes (ms). */
const ADOPT_WITHIN_MS = 30_000;

/** What the HTML's script leaves for the page's code. */
export interface EarlySocket {
  url: string;
  ws: WebSocket;
  /** Events seen before adoption, in order. */
  events: Event[];
  /** The early script asked for the whole document (a first visit). */
  sentStep1: boolean;
  adopted: boolean;
}

/** The IndexedDB database that keeps a timeline's document in this browser (`LocalCopy`). */
export const localDatabaseName = (timelineId: string) => `chronoboard:${timelineId}`;

/** `JSON.stringify` safe inside a `<script>` element (no `</script>`, no `<!--`). */
function scriptLiteral(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/**
 * The source of the inline script that opens a timeline's socket early (see the module comment).
 * The values are JSON literals; the URL is built as y-websocket builds it (`<server>/<room>` and
 * the `token` parameter), so that the provider's first socket is the same URL.
 */
export function earlySocketScript(timelineId: string, token: string | null): string {
  return `(function(){try{
var id=${scriptLiteral(timelineId)},token=${scriptLiteral(token)},db=${scriptLiteral(localDatabaseName(timelineId))};
var url=(location.protocol==='https:'?'wss':'ws')+'://'+location.host+'/collab/'+id+(token?'?token='+encodeURIComponent(token):'');
var ws=new WebSocket(url);ws.binaryType='arraybuffer';
var early={url:url,ws:ws,events:[],sentStep1:false,adopted:false};
var idb=window.indexedDB;
var first=idb&&idb.databases?idb.databases().then(function(list){return !list.some(function(d){return d.name===db;});},function(){return false;}):Promise.resolve(false);
ws.onmessage=ws.onclose=ws.onerror=function(e){early.events.push(e);};
ws.onopen=function(e){early.events.push(e);first.then(function(firstVisit){if(firstVisit&&!early.adopted&&ws.readyState===1){ws.send(new Uint8Array(${JSON.stringify(EMPTY_SYNC_STEP1)}));early.sentStep1=true;}});};
setTimeout(function(){if(!early.adopted)ws.close();},${ADOPT_WITHIN_MS});
window[${scriptLiteral(EARLY_SOCKET_KEY)}]=early;
}catch(e){}})();`;
}

function isEmptySyncStep1(data: unknown): boolean {
  if (!(data instanceof Uint8Array) || data.length !== EMPTY_SYNC_STEP1.length) return false;
  return EMPTY_SYNC_STEP1.every((byte, index) => data[index] === byte);
}

type Handler = ((event: Event) => void) | null;

/** The early socket, as the provider sees it: a WebSocket whose past events are replayed. */
class AdoptedSocket {
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSING = 2;
  readonly CLOSED = 3;
  onopen: Handler = null;
  onmessage: Handler = null;
  onclose: Handler = null;
  onerror: Handler = null;
  private dropStep1: boolean;

  constructor(private readonly early: EarlySocket) {
    early.adopted = true;
    this.dropStep1 = early.sentStep1;
    const backlog = early.events.splice(0);
    const forward = (event: Event) => {
      const handler = this[`on${event.type}` as 'onopen' | 'onmessage' | 'onclose' | 'onerror'];
      handler?.call(this, event);
    };
    early.ws.onopen = early.ws.onmessage = early.ws.onclose = early.ws.onerror = forward;
    // The provider sets its handlers right after constructing the socket; no socket event can
    // come before this microtask (they are tasks), so the order is kept.
    queueMicrotask(() => {
      for (const event of backlog) forward(event);
    });
  }

  get readyState(): number {
    return this.early.ws.readyState;
  }
  get url(): string {
    return this.early.ws.url;
  }
  get bufferedAmount(): number {
    return this.early.ws.bufferedAmount;
  }
  get binaryType(): BinaryType {
    return this.early.ws.binaryType;
  }
  set binaryType(type: BinaryType) {
    this.early.ws.binaryType = type;
  }

  send(data: Uint8Array | ArrayBuffer | string): void {
    if (this.dropStep1 && isEmptySyncStep1(data)) {
      this.dropStep1 = false; // asked already, and the answer is on its way
      return;
    }
    this.early.ws.send(data as Uint8Array<ArrayBuffer>);
  }

  close(code?: number, reason?: string): void {
    this.early.ws.close(code, reason);
  }
}

/** The sync step 2 or update a message carries (y-protocols' sync types 1 and 2), else null. */
function syncUpdateOf(data: unknown): { step2: boolean; update: Uint8Array } | null {
  if (!(data instanceof ArrayBuffer)) return null;
  try {
    const decoder = decoding.createDecoder(new Uint8Array(data));
    if (decoding.readVarUint(decoder) !== 0) return null; // not a sync message
    const syncType = decoding.readVarUint(decoder);
    if (syncType !== 1 && syncType !== 2) return null; // a sync step 1
    return { step2: syncType === 1, update: decoding.readVarUint8Array(decoder) };
  } catch {
    return null;
  }
}

/**
 * Calls `onDocument` with the server's answer to the early socket's request for the whole
 * document (a first visit) — every update received until its sync step 2, in order — if one of
 * them is over `bigBytes` (the page applies it in slices), as soon as it is in: often before the page's code has adopted the
 * socket, so that the document can be read elsewhere (a worker) while the code still starts.
 * Watches until that sync step 2 (whatever its size) or the returned function is called.
 */
export function watchEarlyDocument(
  url: string,
  bigBytes: number,
  onDocument: (updates: Uint8Array[]) => void,
): () => void {
  const early = (globalThis as unknown as Record<string, EarlySocket | undefined>)[
    EARLY_SOCKET_KEY
  ];
  if (!early || early.adopted || early.url !== url) return () => {};
  const updates: Uint8Array[] = [];
  let watching = true;
  const stop = () => {
    watching = false;
    early.ws.removeEventListener('message', see);
  };
  const see = (event: Event) => {
    const message = watching ? syncUpdateOf((event as MessageEvent).data) : null;
    if (!message) return;
    updates.push(message.update);
    if (!message.step2) return;
    stop();
    // As big as the page applies in slices (else it is quicker to apply it than to preview it).
    if (early.sentStep1 && updates.some((update) => update.byteLength > bigBytes)) {
      onDocument(updates);
    }
  };
  for (const event of early.events) if (event.type === 'message') see(event);
  if (watching) early.ws.addEventListener('message', see);
  return stop;
}

/** The early socket for `url`, removed from the page, if it is there and still usable. */
function takeEarlySocket(url: string): EarlySocket | null {
  const scope = globalThis as unknown as Record<string, EarlySocket | undefined>;
  const early = scope[EARLY_SOCKET_KEY];
  if (!early || early.adopted || early.url !== url) return null;
  delete scope[EARLY_SOCKET_KEY];
  if (early.ws.readyState !== WebSocket.CONNECTING && early.ws.readyState !== WebSocket.OPEN) {
    early.adopted = true;
    return null; // refused or closed before the page's code came: the provider connects anew
  }
  return early;
}

/**
 * A WebSocket constructor for y-websocket's `WebSocketPolyfill`: adopts the page's early socket
 * when it is for the same URL, else opens a new one.
 */
export const EarlyAwareWebSocket = function EarlyAwareWebSocket(
  url: string,
  protocols?: string | string[],
) {
  const early = takeEarlySocket(url);
  return early ? new AdoptedSocket(early) : new WebSocket(url, protocols);
} as unknown as typeof WebSocket;
