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
  MAX_FRAME_BYTES,
  MAX_PENDING_MESSAGES,
  PING_INTERVAL_MS,
} from '../../lib/limits';
import type { Logger } from '../log';
import type { TimelineStore } from '../store/types';
import { DEFAULT_HISTORY_OPTIONS, type HistoryOptions } from './history';
import { DEFAULT_PERSISTENCE_OPTIONS, type PersistenceOptions } from './persistence';
import { decodeClientMessage } from './protocol';
import { type Room, type RoomConnection, StorageBacklogError } from './room';
import { RoomRegistry } from './rooms';

export const COLLAB_PATH_PREFIX = '/collab/';

export interface CollabServerOptions {
  store: TimelineStore;
  logger: Logger;
  idleMs?: number;
  persistence?: Partial<PersistenceOptions>;
  history?: Partial<HistoryOptions>;
  /** Where shutdown saves edits it could not write to the database (see ./spill.ts). */
  spillDir?: string;
  /** How long shutdown keeps retrying writes before spilling them. */
  shutdownTimeoutMs?: number;
}

export interface CollabServer {
  /** Handles the upgrade if its path is ours and returns true; otherwise leaves it alone. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** The live document of a timeline if a room has it loaded. */
  peekDoc(timelineId: string): Y.Doc | null;
  readonly registry: RoomRegistry;
  /** Number of open websocket connections. */
  readonly connectionCount: number;
  /** Closes every connection (1001) and persists every room. */
  close(): Promise<void>;
}

/** Creates the collaboration server; mount it with `handleUpgrade` on an HTTP server. */
export function createCollabServer(options: CollabServerOptions): CollabServer {
  const { logger } = options;
  const registry = new RoomRegistry(
    options.store,
    {
      idleMs: options.idleMs ?? 5_000,
      persistence: { ...DEFAULT_PERSISTENCE_OPTIONS, ...options.persistence },
      history: { ...DEFAULT_HISTORY_OPTIONS, ...options.history },
    },
    logger,
  );
  // maxPayload makes ws close oversized frames with 1009 before buffering them.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  function handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith(COLLAB_PATH_PREFIX)) return false;
    const timelineId = decodeURIComponent(url.pathname.slice(COLLAB_PATH_PREFIX.length));
    wss.handleUpgrade(request, socket, head, (ws) => {
      void handleConnection(ws, timelineId);
    });
    return true;
  }

  async function handleConnection(ws: WebSocket, timelineId: string): Promise<void> {
    if (!ID_PATTERN.test(timelineId)) {
      ws.close(CloseCode.badRoomName, 'path must be /collab/<timelineId>');
      return;
    }
    let room: Room | null = null;
    let closed = false;
    // Messages that arrive while the room loads are kept (bounded) and handled in order after.
    const early: Uint8Array[] = [];
    const connection: RoomConnection = {
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
          fail(CloseCode.tooManyPending, 'too many messages before the document was ready');
          return;
        }
        early.push(data);
        return;
      }
      try {
        room.handleMessage(connection, decodeClientMessage(data));
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
      clearInterval(pinger);
      if (room) {
        room.removeConnection(connection);
        registry.release(room);
      }
    });
    ws.on('error', (error) => logger.warn('collab socket error', { timeline: timelineId, error }));

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

  return {
    handleUpgrade,
    peekDoc: (timelineId) => registry.peekDoc(timelineId),
    registry,
    get connectionCount() {
      return wss.clients.size;
    },
    async close() {
      for (const ws of wss.clients) ws.close(CloseCode.serverShutdown, 'server shutting down');
      await registry.closeAll({
        timeoutMs: options.shutdownTimeoutMs ?? 10_000,
        spillDir: options.spillDir,
      });
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

function toUint8Array(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
