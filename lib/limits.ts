/**
 * Limits and websocket close codes shared by the collaboration server and its clients.
 * Each limit says why it has the value it has.
 */

/**
 * Largest websocket frame the collaboration server accepts. The first sync of a
 * 100,000-event timeline is about 8–9 MB, so 16 MiB leaves room while still refusing
 * frames that would let one client make the server buffer arbitrary amounts of memory.
 * Larger frames are closed by the websocket layer with code 1009 (message too big).
 */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

/** Messages a connection may send before its room has finished loading from storage. */
export const MAX_PENDING_MESSAGES = 256;

/**
 * Messages per second a connection may send, as a token bucket: fast typing and pointer presence
 * stay well under 100/s, and a reconnect sends a handful; a client far above that is broken or
 * hostile and is closed (4429) so it cannot monopolise the room's event loop.
 */
export const MESSAGE_RATE = { perSecond: 200, burst: 1_000 } as const;

/**
 * Concurrent websocket connections from one IP address. Generous for offices behind one NAT,
 * small enough that one host cannot exhaust the server's sockets. Over it, the upgrade is answered
 * with HTTP 429. Overridable with MAX_CONNECTIONS_PER_IP.
 */
export const MAX_CONNECTIONS_PER_IP = 128;

/** Largest awareness (presence) update: a name, a colour, a selection and a pointer fit in far less. */
export const MAX_AWARENESS_BYTES = 32 * 1024;

/**
 * Non-empty writes a read-only connection may attempt before it is closed (4403). They are never
 * applied; a few are tolerated because a viewer's first sync can carry stale local edits.
 */
export const MAX_REJECTED_WRITES = 3;

/**
 * Unpersisted bytes a room may hold while the database is unreachable. Edits keep flowing between
 * clients through the server during an outage; past this bound the room refuses further edits
 * (close code 4507) so the server's memory stays bounded. Refused clients keep their edits and
 * re-send them when they reconnect, so nothing is lost. 64 MiB is hours of heavy typing.
 */
export const MAX_UNPERSISTED_BYTES = 64 * 1024 * 1024;

/**
 * Interval of websocket pings; a connection that misses one pong is closed. Only a pong that
 * echoes the payload of the last ping counts: unsolicited pongs (which any client may send at
 * will) do not keep a dead connection alive.
 */
export const PING_INTERVAL_MS = 30_000;

/**
 * Requests that make the server send the whole document (sync step 1) or every presence state
 * (awareness query), as a token bucket separate from MESSAGE_RATE. A well-behaved client sends one
 * sync step 1 per connection and rarely queries awareness; each answer can be megabytes, so a
 * burst of them is how a client that never reads makes the server buffer hundreds of MiB. Over it,
 * the connection is closed (4429).
 */
export const SYNC_REQUEST_RATE = { perSecond: 1, burst: 10 } as const;

/**
 * Bytes the server may have queued for a connection that the peer has not read yet (ws's
 * `bufferedAmount`). A first sync of a 100,000-event timeline is 8–9 MB, so 32 MiB fits a few of
 * them in flight for a slow link; above it the peer is not reading (or is far too slow to keep
 * up), and the connection is closed (4413) instead of buffering without end.
 */
export const MAX_UNSENT_BYTES = 32 * 1024 * 1024;

/**
 * Bytes a connection may send before it is authorized. A y-websocket client sends a sync step 1
 * and one awareness update on open, a few hundred bytes; anything beyond this bound before the
 * server knows who is calling is closed (4429). The socket is also paused while the authorizer
 * runs, so the kernel's buffers (not ours) absorb what a client pushes meanwhile.
 */
export const MAX_PREAUTH_BYTES = 64 * 1024;

/**
 * Bytes received from an authorized connection and not yet handled: messages waiting for the
 * room to load or for the update guard's worker. A first sync step 2 of a large timeline is up to
 * MAX_FRAME_BYTES; twice that leaves room for the edits that follow it. Above it the connection is
 * closed (4429): it sends faster than its updates can be decoded.
 */
export const MAX_QUEUED_BYTES = 2 * MAX_FRAME_BYTES;

/**
 * How long a refused or misbehaving connection gets to answer the server's close frame before its
 * socket is destroyed. ws waits 30 s by default, which a hostile client can use to hold sockets
 * (and their buffers) open; a real client answers within a round trip.
 */
export const CLOSE_GRACE_MS = 1_000;

/**
 * Awareness client ids one connection may own. A y-websocket client announces one id (its
 * document's client id); a few more cover a client that had to pick a new one. Ids beyond it, and
 * null states for ids the connection does not own, are dropped before y-protocols sees them, so
 * they cannot grow the awareness metadata that y-protocols keeps for every id it has seen.
 */
export const MAX_AWARENESS_CLIENTS_PER_CONNECTION = 4;

/**
 * Concurrent websocket connections per account (all its sessions and API tokens) or per share
 * link, counted after authorization. A person rarely has more than a few tabs; a link forwarded
 * to a team is shared by everyone who got it, so the bound is generous. Above it the new
 * connection is refused (4428).
 */
export const MAX_CONNECTIONS_PER_CREDENTIAL = 64;

/** Longest event or timeline title accepted over REST (documents may hold anything). */
export const MAX_TITLE_LENGTH = 500;

/** Close codes sent by the collaboration server (4000–4999 are free for applications). */
export const CloseCode = {
  /** Normal shutdown of the server; clients reconnect. */
  serverShutdown: 1001,
  /** Text frames are not part of the y-websocket protocol. */
  unsupportedData: 1003,
  /** A binary message could not be decoded or applied. */
  invalidMessage: 1007,
  /** Frame larger than MAX_FRAME_BYTES (sent by the ws library). */
  messageTooBig: 1009,
  /** The path does not name a timeline (`/collab/<timelineId>`). */
  badRoomName: 4400,
  /** The timeline does not exist. */
  timelineNotFound: 4404,
  /**
   * No credentials, or they are invalid: unknown, expired or revoked token, ended session, removed
   * account. Also sent to live connections when their link is revoked or their session ends.
   */
  unauthorized: 4401,
  /**
   * Valid credentials that do not reach this timeline (a share link for another one), or a
   * read-only connection that kept sending edits.
   */
  forbidden: 4403,
  /**
   * The caller's role changed while connected (e.g. editor → viewer); reconnecting picks up the
   * new access. Chronoboard's client reconnects on this code; it is the one 44xx code that is not
   * final.
   */
  accessChanged: 4409,
  /**
   * Too many messages or bytes: above MESSAGE_RATE or SYNC_REQUEST_RATE, more than
   * MAX_PENDING_MESSAGES before the room finished loading, more than MAX_PREAUTH_BYTES before
   * authorization or more than MAX_QUEUED_BYTES waiting to be handled.
   */
  tooManyMessages: 4429,
  /**
   * The server holds more than MAX_UNSENT_BYTES that the client has not read: it is not reading
   * (or is far too slow). Reconnecting starts afresh.
   */
  slowConsumer: 4413,
  /** The account or share link already has MAX_CONNECTIONS_PER_CREDENTIAL open connections. */
  tooManyConnections: 4428,
  /**
   * The database has been unreachable long enough that the room holds MAX_UNPERSISTED_BYTES of
   * unsaved edits; it accepts no more until they are written. The client keeps its edits and
   * re-sends them on reconnect.
   */
  storageBacklog: 4507,
  /**
   * The stored document could not be loaded (database unreachable, corrupt row).
   * The room is not opened, so an empty document can never overwrite stored state;
   * clients should retry later (y-websocket's provider reconnects with backoff).
   */
  loadFailed: 4503,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/**
 * Largest JSON body a REST route reads (413 above it). Every body the API takes is a few fields;
 * 256 KiB leaves room for long descriptions while a public route (sign-in, setup) cannot be made to
 * buffer megabytes from anyone who reaches the port. Imports have their own limit.
 */
export const MAX_JSON_BODY_BYTES = 256 * 1024;

/**
 * Largest file the import route reads (413 above it), only for editors. 20 MiB is about 100,000
 * spreadsheet rows of short events, which becomes a document update small enough to relay to
 * every connected client in one message (MAX_UNSENT_BYTES); larger sets belong in several files.
 */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

/**
 * Default (and minimum spacing) of automatic snapshots, overridable with AUTO_SNAPSHOT_MS: a
 * snapshot some minutes after activity starts is a useful point to go back to, while one per
 * change or per reconnect would bury the useful points (a first session once produced 16
 * identical automatic snapshots in 6 minutes). No automatic snapshot is taken less than this long
 * after the previous automatic one, nor when nothing changed since the newest snapshot.
 */
export const AUTO_SNAPSHOT_MS = 10 * 60_000;

/**
 * Thinning of automatic snapshots, run after each one: every automatic snapshot of the last
 * `keepAllMs` is kept; older ones are reduced to the newest of each UTC day. Named and
 * pre-restore snapshots are never thinned (people chose them, or a restore needs its undo).
 * One run deletes at most `maxDeletes` rows so it stays a short transaction; the next run takes
 * the rest.
 */
export const SNAPSHOT_THINNING = {
  keepAllMs: 24 * 60 * 60_000,
  scanLimit: 500,
  maxDeletes: 200,
} as const;

/**
 * Named snapshots one person may create per minute (429 above it). A person labelling versions
 * by hand stays far below; a script looping on the endpoint would otherwise fill the database
 * with full copies of the document.
 */
export const NAMED_SNAPSHOT_RATE = { limit: 10, windowMs: 60_000 } as const;

/** Snapshots per page of the history list (`?limit=` may ask for up to MAX_SNAPSHOT_PAGE). */
export const SNAPSHOT_PAGE_SIZE = 50;
export const MAX_SNAPSHOT_PAGE = 200;
