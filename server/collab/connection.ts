/**
 * One websocket connection of the collaboration server, from authorization to close: its limits
 * (message rate, sync-request rate, bytes before authorization and waiting to be handled, unread
 * output), the order of its messages, and its room. A misbehaving connection (text frame,
 * undecodable or unappliable message, too much of anything) is closed on its own; the room and
 * everyone else in it carry on.
 */
import type { IncomingMessage } from 'node:http';
import { type RawData, WebSocket } from 'ws';
import { ID_PATTERN } from '../../lib/ids';
import {
  CLOSE_GRACE_MS,
  CloseCode,
  MAX_CONNECTIONS_PER_CREDENTIAL,
  MAX_PENDING_MESSAGES,
  MAX_PREAUTH_BYTES,
  MAX_QUEUED_BYTES,
  MAX_REJECTED_WRITES,
  MAX_UNSENT_BYTES,
  MESSAGE_RATE,
  PING_INTERVAL_MS,
  SYNC_REQUEST_RATE,
} from '../../lib/limits';
import type { PresenceRole } from '../../lib/presence';
import type { Logger } from '../log';
import {
  type ConnectionCounter,
  closeWithin,
  isSyncRequest,
  startKeepalive,
} from './connectionLimits';
import { StorageBacklogError } from './extensions/persistence';
import { decodeClientMessage } from './protocol';
import type { Room, RoomConnection } from './room';
import type { RoomRegistry } from './rooms';
import type { UpdateGuard } from './updateGuard';
import { createTokenBucket, toUint8Array } from './wire';

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
  /** The role behind the grant, shown to others with this connection's presence. */
  role?: PresenceRole;
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

/** Per-connection limits (see lib/limits.ts for why each has its value); tests lower some. */
export interface ConnectionLimits {
  maxUnsentBytes: number;
  maxPreauthBytes: number;
  maxQueuedBytes: number;
  maxConnectionsPerCredential: number;
  closeGraceMs: number;
  pingIntervalMs: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  maxUnsentBytes: MAX_UNSENT_BYTES,
  maxPreauthBytes: MAX_PREAUTH_BYTES,
  maxQueuedBytes: MAX_QUEUED_BYTES,
  maxConnectionsPerCredential: MAX_CONNECTIONS_PER_CREDENTIAL,
  closeGraceMs: CLOSE_GRACE_MS,
  pingIntervalMs: PING_INTERVAL_MS,
};

/** What a connection needs from the server that accepted it. */
export interface ConnectionServices {
  registry: RoomRegistry;
  authorize: AuthorizeCollab;
  guard: UpdateGuard | null;
  limits: ConnectionLimits;
  logger: Logger;
  /** Each authorized connection's grant, for `closeConnections`. */
  grants: Map<WebSocket, ConnectionGrant>;
  connectionsPerCredential: ConnectionCounter;
}

/**
 * Serves one upgraded websocket on `/collab/<timelineId>`: authorizes it (reading nothing
 * meanwhile), counts it against its credential, joins it to the room and handles its messages in
 * order until it closes.
 */
export async function serveConnection(
  ws: WebSocket,
  request: IncomingMessage,
  timelineId: string,
  context: ConnectionServices,
): Promise<void> {
  const { limits, logger, registry, guard, grants, connectionsPerCredential } = context;
  const closeSoon = (code: number, reason: string) =>
    closeWithin(ws, code, reason, limits.closeGraceMs);
  if (!ID_PATTERN.test(timelineId)) {
    closeSoon(CloseCode.badRoomName, 'path must be /collab/<timelineId>');
    return;
  }
  // Nothing is read while the caller is authorized: what it pushes meanwhile waits in the
  // kernel's buffers (TCP back-pressure), not in ours. See MAX_PREAUTH_BYTES.
  ws.pause();
  let room: Room | null = null;
  let closed = false;
  let closing = false;
  let authorized = false;
  let preauthBytes = 0;
  let queuedBytes = 0;
  let rejectedWrites = 0;
  let credentialKey: string | undefined;
  let expiryTimer: ReturnType<typeof setTimeout> | undefined;
  let chain: Promise<void> = Promise.resolve();
  const bucket = createTokenBucket(MESSAGE_RATE.perSecond, MESSAGE_RATE.burst);
  const syncRequests = createTokenBucket(SYNC_REQUEST_RATE.perSecond, SYNC_REQUEST_RATE.burst);
  // Messages that arrive while the caller is authorized and the room loads are kept (bounded)
  // and handled in order after.
  const early: Uint8Array[] = [];

  const fail = (code: number, reason: string, error?: unknown) => {
    if (closing) return;
    closing = true;
    logger.warn('closing collab connection', { timeline: timelineId, code, reason, error });
    closeSoon(code, reason);
  };

  const connection: RoomConnection & {
    readOnly: boolean;
    actor?: string;
    principal?: string;
    role?: PresenceRole;
  } = {
    readOnly: true,
    send(message) {
      if (closing || ws.readyState !== WebSocket.OPEN) return;
      // A peer that does not read would make the server buffer every answer without end. One
      // message is always let through, so a document larger than the bound can still be sent.
      const unsent = ws.bufferedAmount;
      if (unsent > 0 && unsent + message.byteLength > limits.maxUnsentBytes) {
        fail(CloseCode.slowConsumer, 'too much unread data; reconnect');
        return;
      }
      ws.send(message, (error) => {
        if (error) ws.terminate();
      });
    },
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
    chain = chain.then(async () => {
      try {
        await processMessage(data, receivedAt);
      } finally {
        queuedBytes -= data.byteLength;
      }
    });
  };

  const processMessage = async (data: Uint8Array, receivedAt: number) => {
    if (!room || closing || ws.readyState !== WebSocket.OPEN) return;
    try {
      let message = decodeClientMessage(data);
      if (
        message.type === 'update' &&
        !connection.readOnly &&
        guard &&
        message.update.byteLength >= GUARDED_UPDATE_BYTES
      ) {
        const { empty } = await guard.check(message.update);
        if (closing || ws.readyState !== WebSocket.OPEN) return;
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
    if (closing) return;
    if (!isBinary) {
      fail(CloseCode.unsupportedData, 'text frames are not part of the protocol');
      return;
    }
    if (!bucket.take()) {
      fail(CloseCode.tooManyMessages, 'too many messages per second');
      return;
    }
    const bytes = toUint8Array(data);
    if (isSyncRequest(bytes) && !syncRequests.take()) {
      fail(CloseCode.tooManyMessages, 'too many sync or awareness requests');
      return;
    }
    if (!authorized) preauthBytes += bytes.byteLength;
    queuedBytes += bytes.byteLength;
    if (preauthBytes > limits.maxPreauthBytes) {
      fail(CloseCode.tooManyMessages, 'too much data before authorization');
      return;
    }
    if (queuedBytes > limits.maxQueuedBytes) {
      fail(CloseCode.tooManyMessages, 'too much data waiting to be handled');
      return;
    }
    handleData(bytes);
  });

  const stopKeepalive = startKeepalive(ws, limits.pingIntervalMs);

  ws.on('close', () => {
    closed = true;
    clearTimeout(expiryTimer);
    grants.delete(ws);
    stopKeepalive();
    if (credentialKey) connectionsPerCredential.remove(credentialKey);
    if (room) {
      room.removeConnection(connection);
      registry.release(room);
    }
  });
  ws.on('error', (error) => logger.warn('collab socket error', { timeline: timelineId, error }));

  let access: CollabAccess | CollabRefusal;
  try {
    access = await context.authorize(request, timelineId);
  } catch (error) {
    // Storage down while checking credentials: transient, like a failed load.
    logger.error('authorization failed', { timeline: timelineId, error });
    access = {
      refuse: CloseCode.loadFailed,
      reason: 'access could not be checked; retry shortly',
    };
  }
  if (closed || closing) return;
  if ('refuse' in access) {
    closing = true;
    closeSoon(access.refuse, access.reason);
    return;
  }
  const key = credentialKeyOf(access.grant);
  if (key && !connectionsPerCredential.tryAdd(key, limits.maxConnectionsPerCredential)) {
    fail(CloseCode.tooManyConnections, 'too many open connections for this account or link');
    return;
  }
  credentialKey = key;
  authorized = true;
  connection.readOnly = access.mode !== 'edit';
  connection.actor = access.actor;
  connection.role = access.role;
  connection.principal = access.grant?.userId ? `user:${access.grant.userId}` : undefined;
  grants.set(ws, { ...access.grant, timelineId });
  if (access.expiresAt !== undefined) {
    // setTimeout holds at most 2^31-1 ms (24.8 days); a later expiry is checked again then.
    const closeAtExpiry = () => {
      const left = access.expiresAt! - Date.now();
      if (left > 0) {
        expiryTimer = setTimeout(closeAtExpiry, Math.min(left, 2 ** 31 - 1));
        return;
      }
      fail(
        CloseCode.unauthorized,
        access.grant?.linkId ? 'share link expired' : 'your session expired; sign in again',
      );
    };
    closeAtExpiry();
  }
  ws.resume();

  let acquired: Room | null;
  try {
    acquired = await registry.acquire(timelineId);
  } catch (error) {
    logger.error('could not load timeline; refusing connection', { timeline: timelineId, error });
    fail(CloseCode.loadFailed, 'the timeline could not be loaded; retry shortly');
    return;
  }
  if (!acquired) {
    fail(CloseCode.timelineNotFound, 'timeline not found');
    return;
  }
  if (closed || closing) {
    registry.release(acquired);
    return;
  }
  room = acquired;
  room.addConnection(connection);
  for (const data of early.splice(0)) {
    if (closing || ws.readyState !== WebSocket.OPEN) break;
    handleData(data);
  }
}

/** Which credential a connection counts against: the account, or the share link. */
function credentialKeyOf(grant: ConnectionGrant | undefined): string | undefined {
  if (grant?.userId) return `user:${grant.userId}`;
  if (grant?.linkId) return `link:${grant.linkId}`;
  return undefined;
}
