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

/** Interval of websocket pings; a connection that misses one pong is closed. */
export const PING_INTERVAL_MS = 30_000;

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
  /** Too many messages: before the room finished loading, or above MESSAGE_RATE. */
  tooManyMessages: 4429,
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
