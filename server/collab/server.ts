/**
 * The collaboration websocket: claims HTTP upgrades on `/collab/<timelineId>` and joins each
 * connection to its room. Speaks the standard y-websocket protocol, so an unmodified
 * `WebsocketProvider(serverUrl + '/collab', timelineId, doc)` can connect.
 *
 * A misbehaving connection (text frame, undecodable or unappliable message, too many messages
 * before the room is ready) is closed on its own; the room and everyone else in it carry on.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import type * as Y from 'yjs';
import { ID_PATTERN } from '../../lib/ids';
import {
  CloseCode,
  MAX_CONNECTIONS_PER_IP,
  MAX_FRAME_BYTES,
  MAX_PENDING_MESSAGES,
  MAX_REJECTED_WRITES,
  MESSAGE_RATE,
  PING_INTERVAL_MS,
} from '../../lib/limits';
import type { Logger } from '../log';
import type { TimelineStore } from '../store/types';
import { type DirectConnection, openDirectConnection } from './direct';
import { type Extension, ExtensionRunner } from './extension';
import { StorageBacklogError } from './extensions/persistence';
import { decodeClientMessage } from './protocol';
import type { Room, RoomConnection } from './room';
import { RoomRegistry } from './rooms';
import { createUpdateGuard } from './updateGuard';
import { createTokenBucket, toUint8Array } from './wire';

export const COLLAB_PATH_PREFIX = '/collab/';

/**
 * Updates at least this large are decoded in the update guard's worker first; smaller ones on the
 * main thread (room.ts). y-websocket sends updates in Yjs's V1 format, where every decoding step
 * consumes input bytes or throws, so decoding a small update costs time proportional to its size
 * (crafted V1 updates that claim 2^40 structs fail in under a millisecond; the run-length "bombs"
 * of yjs#687 need the V2 format). Typical edits are a few hundred bytes and skip the worker's round
 * trip, which under CPU contention delayed them by hundreds of milliseconds before persistence.
 * Large updates (first syncs, pastes) get the worker's hard time and memory limit, so no single
 * message can block the event loop for long.
 */
export const GUARDED_UPDATE_BYTES = 64 * 1024;

/** What identifies the credentials a live connection was opened with (for revocation). */
export interface ConnectionGrant {
  userId?: string;
  sessionId?: string;
  tokenId?: string;
  linkId?: string;
  /** The timeline the connection is open on (set by the server, for closing a deleted one). */
  timelineId?: string;
}

/** What a connection may do in a timeline, and on whose credentials. */
export interface CollabAccess {
  mode: 'edit' | 'view';
  grant?: ConnectionGrant;
  /** The account name recorded in the activity log for this connection's edits. */
  actor?: string;
  /** When the credentials stop working (epoch ms): the connection is closed with 4401 then. */
  expiresAt?: number;
}

/** Why a connection is refused: a 44xx close code from lib/limits.ts and a reason. */
export interface CollabRefusal {
  refuse: number;
  reason: string;
}

/**
 * Decides, for an upgrade request (cookie, `?token=`), what the caller may do in a timeline.
 * A refusal closes the connection before any document byte is sent. server/app.ts plugs the
 * access service in here.
 */
export type AuthorizeCollab = (
  request: IncomingMessage,
  timelineId: string,
) => Promise<CollabAccess | CollabRefusal>;

export interface CollabServerOptions {
  store: TimelineStore;
  logger: Logger;
  /** Who may connect; every connection is refused when absent (tests pass their own). */
  authorize?: AuthorizeCollab;
  /** Limits of the off-thread update decoding (see ./updateGuard.ts); false decodes in-thread. */
  updateGuard?: { timeoutMs: number; maxHeapMb: number } | false;
  /** Concurrent connections per IP address (see lib/limits.ts). */
  maxConnectionsPerIp?: number;
  idleMs?: number;
  /**
   * What rooms do besides syncing, in hook order (see ./extension.ts); usually
   * `createDefaultExtensions(...).extensions` from ./extensions.
   */
  extensions: readonly Extension[];
  /** How long shutdown lets extensions retry writes (persistence then spills what is left). */
  shutdownTimeoutMs?: number;
}

/** What the health check reports about the collaboration server. */
export interface CollabHealth {
  rooms: number;
  connections: number;
  unpersistedBytes: number;
  /** Why an extension (persistence) cannot do its job right now, if it cannot. */
  degraded?: string;
}

export interface CollabServer {
  /** Handles the upgrade if its path is ours and returns true; otherwise leaves it alone. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** The live document of a timeline if a room has it loaded (read only). */
  peekDoc(timelineId: string): Y.Doc | null;
  /**
   * Opens a direct connection for server code to a timeline's live document as `actor` (see
   * ./direct.ts); the room stays loaded until `release()`. Throws NotFoundError if it is missing.
   */
  openDirect(timelineId: string, actor: string): Promise<DirectConnection>;
  /** Loaded rooms, open websocket connections, and the extensions' unsaved bytes and state. */
  health(): CollabHealth;
  /** Number of open websocket connections. */
  readonly connectionCount: number;
  /**
   * Closes the open connections whose grant matches (a link was revoked, a session ended, a role
   * changed) and returns how many.
   */
  closeConnections(
    match: (grant: ConnectionGrant) => boolean,
    code: number,
    reason: string,
  ): number;
  /**
   * Ends a deleted timeline's live session: closes its websocket connections (4404, `reason`) and
   * drops its room without writing. Returns how many connections were closed.
   */
  closeTimeline(timelineId: string, reason: string): Promise<number>;
  /** Closes every connection (1001) and persists every room. */
  close(): Promise<void>;
}

/** Creates the collaboration server; mount it with `handleUpgrade` on an HTTP server. */
export function createCollabServer(options: CollabServerOptions): CollabServer {
  const { logger } = options;
  const extensions = new ExtensionRunner(options.extensions, logger);
  const registry = new RoomRegistry(
    options.store,
    { idleMs: options.idleMs ?? 5_000 },
    extensions,
    logger,
  );
  // maxPayload makes ws close oversized frames with 1009 before buffering them.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  const authorize: AuthorizeCollab =
    options.authorize ??
    (async () => ({ refuse: CloseCode.unauthorized, reason: 'no access rules configured' }));
  const grants = new Map<WebSocket, ConnectionGrant>();
  const guard =
    options.updateGuard === false
      ? null
      : createUpdateGuard(options.updateGuard ?? { timeoutMs: 5_000, maxHeapMb: 512 });
  const maxPerIp = options.maxConnectionsPerIp ?? MAX_CONNECTIONS_PER_IP;
  const connectionsPerIp = new Map<string, number>();

  function handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith(COLLAB_PATH_PREFIX)) return false;
    let timelineId: string;
    try {
      timelineId = decodeURIComponent(url.pathname.slice(COLLAB_PATH_PREFIX.length));
    } catch {
      timelineId = '';
    }
    const ip = request.socket.remoteAddress ?? 'unknown';
    const count = connectionsPerIp.get(ip) ?? 0;
    if (count >= maxPerIp) {
      logger.warn('refusing websocket: too many connections from one address', { ip, count });
      socket.end(
        'HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nContent-Length: 0\r\n\r\n',
      );
      return true;
    }
    connectionsPerIp.set(ip, count + 1);
    let counted = true;
    const uncount = () => {
      if (!counted) return;
      counted = false;
      const left = (connectionsPerIp.get(ip) ?? 1) - 1;
      if (left <= 0) connectionsPerIp.delete(ip);
      else connectionsPerIp.set(ip, left);
    };
    socket.once('close', uncount);
    wss.handleUpgrade(request, socket, head, (ws) => {
      ws.once('close', uncount);
      void handleConnection(ws, request, timelineId);
    });
    return true;
  }

  async function handleConnection(
    ws: WebSocket,
    request: IncomingMessage,
    timelineId: string,
  ): Promise<void> {
    if (!ID_PATTERN.test(timelineId)) {
      ws.close(CloseCode.badRoomName, 'path must be /collab/<timelineId>');
      return;
    }
    let room: Room | null = null;
    let closed = false;
    let rejectedWrites = 0;
    let expiryTimer: ReturnType<typeof setTimeout> | undefined;
    let chain: Promise<void> = Promise.resolve();
    const bucket = createTokenBucket(MESSAGE_RATE.perSecond, MESSAGE_RATE.burst);
    // Messages that arrive while the caller is authorized and the room loads are kept (bounded)
    // and handled in order after.
    const early: Uint8Array[] = [];
    const connection: RoomConnection & { readOnly: boolean; actor?: string } = {
      readOnly: true,
      send(message) {
        if (ws.readyState !== WebSocket.OPEN) return;
        ws.send(message, (error) => {
          if (error) ws.terminate();
        });
      },
    };

    const fail = (code: number, reason: string, error?: unknown) => {
      logger.warn('closing collab connection', { timeline: timelineId, code, reason, error });
      ws.close(code, reason);
    };

    const handleData = (data: Uint8Array) => {
      if (!room) {
        if (early.length >= MAX_PENDING_MESSAGES) {
          fail(CloseCode.tooManyMessages, 'too many messages before the document was ready');
          return;
        }
        early.push(data);
        return;
      }
      // Updates are decoded off-thread first, which is asynchronous; the chain keeps every
      // connection's messages in the order they were sent.
      const receivedAt = performance.now();
      chain = chain.then(() => processMessage(data, receivedAt));
    };

    const processMessage = async (data: Uint8Array, receivedAt: number) => {
      if (!room || ws.readyState !== WebSocket.OPEN) return;
      try {
        let message = decodeClientMessage(data);
        if (
          message.type === 'update' &&
          guard &&
          message.update.byteLength >= GUARDED_UPDATE_BYTES
        ) {
          const { empty } = await guard.check(message.update);
          if (ws.readyState !== WebSocket.OPEN) return;
          message = { ...message, empty };
        }
        const result = room.handleMessage(connection, message, receivedAt);
        if (result === 'rejected-write' && ++rejectedWrites >= MAX_REJECTED_WRITES) {
          fail(CloseCode.forbidden, 'this connection is read-only');
        }
      } catch (error) {
        if (error instanceof StorageBacklogError) {
          fail(CloseCode.storageBacklog, 'edits cannot be saved right now; retry shortly', error);
        } else {
          fail(CloseCode.invalidMessage, 'invalid message', error);
        }
      }
    };

    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (!isBinary) {
        fail(CloseCode.unsupportedData, 'text frames are not part of the protocol');
        return;
      }
      if (!bucket.take()) {
        fail(CloseCode.tooManyMessages, 'too many messages per second');
        return;
      }
      handleData(toUint8Array(data));
    });

    let alive = true;
    ws.on('pong', () => {
      alive = true;
    });
    const pinger = setInterval(() => {
      if (!alive) {
        ws.terminate();
        return;
      }
      alive = false;
      ws.ping();
    }, PING_INTERVAL_MS);

    ws.on('close', () => {
      closed = true;
      clearTimeout(expiryTimer);
      grants.delete(ws);
      clearInterval(pinger);
      if (room) {
        room.removeConnection(connection);
        registry.release(room);
      }
    });
    ws.on('error', (error) => logger.warn('collab socket error', { timeline: timelineId, error }));

    let access: CollabAccess | CollabRefusal;
    try {
      access = await authorize(request, timelineId);
    } catch (error) {
      // Storage down while checking credentials: transient, like a failed load.
      logger.error('authorization failed', { timeline: timelineId, error });
      access = {
        refuse: CloseCode.loadFailed,
        reason: 'access could not be checked; retry shortly',
      };
    }
    if (closed) return;
    if ('refuse' in access) {
      // Close reasons are limited to 123 bytes by the websocket protocol.
      ws.close(access.refuse, Buffer.from(access.reason).subarray(0, 123).toString());
      return;
    }
    connection.readOnly = access.mode !== 'edit';
    connection.actor = access.actor;
    grants.set(ws, { ...access.grant, timelineId });
    if (access.expiresAt !== undefined) {
      // setTimeout holds at most 2^31-1 ms (24.8 days); a later expiry is checked again then.
      const closeAtExpiry = () => {
        const left = access.expiresAt! - Date.now();
        if (left > 0) {
          expiryTimer = setTimeout(closeAtExpiry, Math.min(left, 2 ** 31 - 1));
          return;
        }
        ws.close(CloseCode.unauthorized, 'share link expired');
      };
      closeAtExpiry();
    }

    let acquired: Room | null;
    try {
      acquired = await registry.acquire(timelineId);
    } catch (error) {
      logger.error('could not load timeline; refusing connection', { timeline: timelineId, error });
      ws.close(CloseCode.loadFailed, 'the timeline could not be loaded; retry shortly');
      return;
    }
    if (!acquired) {
      ws.close(CloseCode.timelineNotFound, 'timeline not found');
      return;
    }
    if (closed) {
      registry.release(acquired);
      return;
    }
    room = acquired;
    room.addConnection(connection);
    for (const data of early.splice(0)) {
      if (ws.readyState !== WebSocket.OPEN) break;
      handleData(data);
    }
  }

  function closeConnections(
    match: (grant: ConnectionGrant) => boolean,
    code: number,
    reason: string,
  ): number {
    let count = 0;
    for (const [ws, grant] of grants) {
      if (!match(grant)) continue;
      grants.delete(ws);
      ws.close(code, reason);
      count++;
    }
    return count;
  }

  return {
    handleUpgrade,
    peekDoc: (timelineId) => registry.peekDoc(timelineId),
    openDirect: (timelineId, actor) => openDirectConnection(registry, timelineId, actor),
    health() {
      return {
        rooms: registry.loadedRooms.length,
        connections: wss.clients.size,
        ...extensions.health(),
      };
    },
    get connectionCount() {
      return wss.clients.size;
    },
    closeConnections,
    async closeTimeline(timelineId, reason) {
      const count = closeConnections(
        (grant) => grant.timelineId === timelineId,
        CloseCode.timelineNotFound,
        reason,
      );
      await registry.discard(timelineId);
      return count;
    },
    async close() {
      for (const ws of wss.clients) ws.close(CloseCode.serverShutdown, 'server shutting down');
      await registry.closeAll({ timeoutMs: options.shutdownTimeoutMs ?? 10_000 });
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await guard?.close();
    },
  };
}
