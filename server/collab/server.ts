/**
 * The collaboration websocket: claims HTTP upgrades on `/collab/<timelineId>` and joins each
 * connection to its room. Speaks the standard y-websocket protocol, so an unmodified
 * `WebsocketProvider(serverUrl + '/collab', timelineId, doc)` can connect.
 *
 * Here: upgrades, connections per address, the server-wide parts (rooms, extensions with the
 * awareness guard first, the update guard) and revocation. Each connection's own life and limits
 * are in ./connection.ts.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type * as Y from 'yjs';
import { CloseCode, MAX_CONNECTIONS_PER_IP, MAX_FRAME_BYTES } from '../../lib/limits';
import type { Notice } from '../../lib/noticeMessage';
import { createClientAddressResolver } from '../clientAddress';
import type { Logger } from '../log';
import type { TimelineStore } from '../store/types';
import {
  type AuthorizeCollab,
  CollabSocket,
  type ConnectionGrant,
  type ConnectionLimits,
  type ConnectionServices,
  DEFAULT_CONNECTION_LIMITS,
  serveConnection,
} from './connection';
import { closeWithin, createConnectionCounter, startKeepalive } from './connectionLimits';
import { type DirectConnection, openDirectConnection } from './direct';
import { type Extension, ExtensionRunner } from './extension';
import { countPresence, createAwarenessGuard } from './extensions/awarenessGuard';
import { encodeNotice } from './protocol';
import { RoomRegistry } from './rooms';
import { createUpdateGuard } from './updateGuard';

export type {
  AuthorizeCollab,
  CollabAccess,
  CollabRefusal,
  ConnectionGrant,
  ConnectionLimits,
} from './connection';
export { DEFAULT_CONNECTION_LIMITS, GUARDED_UPDATE_BYTES } from './connection';

export const COLLAB_PATH_PREFIX = '/collab/';

export interface CollabServerOptions {
  store: TimelineStore;
  logger: Logger;
  /** Who may connect; every connection is refused when absent (tests pass their own). */
  authorize?: AuthorizeCollab;
  /** Limits of the off-thread update decoding (see ./updateGuard.ts); false decodes in-thread. */
  updateGuard?: { timeoutMs: number; maxHeapMb: number } | false;
  /** Concurrent connections per IP address (see lib/limits.ts). */
  maxConnectionsPerIp?: number;
  /**
   * The client address of an upgrade request, the same function HTTP uses (../clientAddress.ts),
   * so behind a proxy connections are counted per the address the proxy reports. Default: the
   * socket's peer.
   */
  clientAddressOf?: (request: IncomingMessage) => string;
  /** Overrides of the per-connection limits (tests). */
  limits?: Partial<ConnectionLimits>;
  idleMs?: number;
  /** See `DEFER_LOAD_MS` (./rooms.ts); 0 applies a room's stored rows as soon as they are read. */
  deferLoadMs?: number;
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
  /**
   * Awareness states and awareness metadata entries over all rooms: both stay within a few per
   * connection whatever clients send (./extensions/awarenessGuard.ts).
   */
  presence: { states: number; meta: number };
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
  /**
   * Tells this instance's connections to a timeline that subscribed to notices that something
   * outside the document changed (lib/noticeMessage.ts); returns how many were told. A timeline
   * nobody has open here is skipped (nothing is loaded for it).
   */
  sendNotice(timelineId: string, notice: Notice): number;
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
  // The awareness guard is not optional: it is what keeps presence per connection and bounds the
  // awareness metadata (./extensions/awarenessGuard.ts).
  const extensions = new ExtensionRunner([createAwarenessGuard(), ...options.extensions], logger);
  const registry = new RoomRegistry(
    options.store,
    { idleMs: options.idleMs ?? 5_000, deferLoadMs: options.deferLoadMs },
    extensions,
    logger,
  );
  // maxPayload makes ws close oversized frames with 1009 before buffering them. No
  // permessage-deflate (ws's default for servers, as the reference relay): a zlib context per
  // socket would cost every idle connection. Sockets are CollabSockets: their state is fields.
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    perMessageDeflate: false,
    WebSocket: CollabSocket,
  });
  const sockets = wss.clients as Set<CollabSocket>;

  const authorize: AuthorizeCollab =
    options.authorize ??
    (async () => ({ refuse: CloseCode.unauthorized, reason: 'no access rules configured' }));
  const guard =
    options.updateGuard === false
      ? null
      : createUpdateGuard(options.updateGuard ?? { timeoutMs: 5_000, maxHeapMb: 512 });
  const limits = { ...DEFAULT_CONNECTION_LIMITS, ...options.limits };
  const maxPerIp = options.maxConnectionsPerIp ?? MAX_CONNECTIONS_PER_IP;
  const clientAddressOf =
    options.clientAddressOf ?? createClientAddressResolver({ trustProxy: false });
  const connectionsPerIp = createConnectionCounter();
  // One object shared by every connection.
  const services: ConnectionServices = {
    registry,
    authorize,
    guard,
    limits,
    logger,
    connectionsPerAddress: connectionsPerIp,
    connectionsPerCredential: createConnectionCounter(),
  };
  // One timer pings every socket (./connectionLimits.ts).
  const stopKeepalive = startKeepalive(sockets, limits.pingIntervalMs);

  function handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith(COLLAB_PATH_PREFIX)) return false;
    let timelineId: string;
    try {
      timelineId = decodeURIComponent(url.pathname.slice(COLLAB_PATH_PREFIX.length));
    } catch {
      timelineId = '';
    }
    const ip = clientAddressOf(request);
    if (!connectionsPerIp.tryAdd(ip, maxPerIp)) {
      logger.warn('refusing websocket: too many connections from one address', { ip });
      socket.end(
        'HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nContent-Length: 0\r\n\r\n',
      );
      return true;
    }
    const untilUpgraded = countUntilUpgraded(socket, () => connectionsPerIp.remove(ip));
    wss.handleUpgrade(request, socket, head, (ws) => {
      // From here the connection gives the address back when it closes.
      if (!untilUpgraded()) {
        ws.terminate();
        return;
      }
      void serveConnection(ws as CollabSocket, request, timelineId, ip, services);
    });
    return true;
  }

  function closeConnections(
    match: (grant: ConnectionGrant) => boolean,
    code: number,
    reason: string,
  ): number {
    let count = 0;
    for (const ws of sockets) {
      const connection = ws.connection;
      if (!connection?.grant || !match(connection.grant)) continue;
      connection.grant = null;
      closeWithin(ws, code, reason, limits.closeGraceMs);
      count++;
    }
    return count;
  }

  return {
    handleUpgrade,
    peekDoc: (timelineId) => registry.peekDoc(timelineId),
    openDirect: (timelineId, actor) => openDirectConnection(registry, timelineId, actor),
    health() {
      const presence = { states: 0, meta: 0 };
      for (const room of registry.loadedRooms) {
        const counts = countPresence(room);
        presence.states += counts.states;
        presence.meta += counts.meta;
      }
      return {
        rooms: registry.loadedRooms.length,
        connections: wss.clients.size,
        presence,
        ...extensions.health(),
      };
    },
    get connectionCount() {
      return wss.clients.size;
    },
    sendNotice(timelineId, notice) {
      return registry.peekRoom(timelineId)?.sendNotice(encodeNotice(notice)) ?? 0;
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
      stopKeepalive();
      for (const ws of wss.clients) ws.close(CloseCode.serverShutdown, 'server shutting down');
      await registry.closeAll({ timeoutMs: options.shutdownTimeoutMs ?? 10_000 });
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await guard?.close();
    },
  };
}

/**
 * Gives the address count back if the socket closes during the handshake. The returned function
 * hands it over to the connection once upgraded: it removes the listener (nothing per connection
 * stays on the raw socket, and nothing here holds the request) and is false if the socket closed
 * meanwhile (the count is then already given back).
 */
function countUntilUpgraded(socket: Duplex, uncount: () => void): () => boolean {
  let counted = true;
  const onClose = () => {
    counted = false;
    uncount();
  };
  socket.once('close', onClose);
  return () => {
    socket.removeListener('close', onClose);
    return counted;
  };
}
