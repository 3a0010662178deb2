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
import type { StoredDoc } from '../store/types';
import {
  type ConnectionCounter,
  closeWithin,
  isSyncRequest,
  KeepaliveSocket,
  watchPongs,
} from './connectionLimits';
import { StorageBacklogError } from './extensions/persistence';
import {
  decodeClientMessage,
  encodeSyncStep2Update,
  encodeUpdate,
  isEmptyStateVector,
  MessageType,
} from './protocol';
import type { Room, RoomConnection } from './room';
import type { RoomRegistry } from './rooms';
import type { UpdateGuard } from './updateGuard';
import { toUint8Array } from './wire';

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

/** What a connection needs from the server that accepted it (one object for all of them). */
export interface ConnectionServices {
  registry: RoomRegistry;
  authorize: AuthorizeCollab;
  guard: UpdateGuard | null;
  limits: ConnectionLimits;
  logger: Logger;
  /** Open connections per client address (counted by the server before the upgrade). */
  connectionsPerAddress: ConnectionCounter;
  connectionsPerCredential: ConnectionCounter;
}

/**
 * The collaboration server's websocket class (ws's `WebSocket` option): ws's socket plus the
 * connection it carries, so the socket's listeners are shared functions, not closures per socket.
 */
export class CollabSocket extends KeepaliveSocket {
  connection: SocketConnection | null = null;
}

// ws calls a listener with the socket as `this` (always a CollabSocket here).
function onSocketMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
  (this as CollabSocket).connection?.receive(data, isBinary);
}

function onSocketClose(this: WebSocket): void {
  (this as CollabSocket).connection?.ended();
}

function onSocketError(this: WebSocket, error: Error): void {
  const { connection } = this as CollabSocket;
  connection?.logger.warn('collab socket error', { timeline: connection.timelineId, error });
}

/**
 * One websocket connection: its state is fields of one object (an idle connection holds no
 * closures, buckets or buffers of its own; bench/idle.ts measures what it costs), its methods are
 * shared. The room sees it as a RoomConnection.
 */
class SocketConnection implements RoomConnection {
  readOnly = true;
  actor: string | undefined = undefined;
  principal: string | undefined = undefined;
  role: PresenceRole | undefined = undefined;
  /** The credentials and timeline once authorized, for `closeConnections`; null before and after. */
  grant: ConnectionGrant | null = null;
  room: Room | null = null;
  closed = false;
  closing = false;
  private authorized = false;
  private preauthBytes = 0;
  private queuedBytes = 0;
  private rejectedWrites = 0;
  private credentialKey: string | undefined = undefined;
  private expiresAt: number | undefined = undefined;
  private expiryTimer: ReturnType<typeof setTimeout> | undefined = undefined;
  /** The tail of this connection's messages being handled in order; null when none is. */
  private pending: Promise<void> | null = null;
  /** Messages that arrive while the room loads, handled in order after (bounded); rarely any. */
  private early: Uint8Array[] | null = null;
  /** The queued sync request already answered from the stored rows (`answerFromStored`). */
  private answeredFromStored: Uint8Array | null = null;
  /** The loading room's stored rows, while no sync request has come to answer with them. */
  private storedWhileLoading: StoredDoc | null = null;
  // Two token buckets (messages, sync requests) as plain fields.
  private messageTokens: number = MESSAGE_RATE.burst;
  private messageAt = performance.now();
  private syncTokens: number = SYNC_REQUEST_RATE.burst;
  private syncAt = this.messageAt;

  constructor(
    readonly ws: CollabSocket,
    readonly timelineId: string,
    private readonly address: string,
    private readonly services: ConnectionServices,
  ) {}

  get logger(): Logger {
    return this.services.logger;
  }

  send(message: Uint8Array): void {
    const { ws } = this;
    if (this.closing || ws.readyState !== WebSocket.OPEN) return;
    // A peer that does not read would make the server buffer every answer without end. One
    // message is always let through, so a document larger than the bound can still be sent.
    const unsent = ws.bufferedAmount;
    if (unsent > 0 && unsent + message.byteLength > this.services.limits.maxUnsentBytes) {
      this.fail(CloseCode.slowConsumer, 'too much unread data; reconnect');
      return;
    }
    this.write(message);
  }

  /** Hands a message to the socket; a failed write ends the socket (its close handler cleans up). */
  private write(message: Uint8Array): void {
    const { ws } = this;
    ws.send(message, (error) => {
      if (error) ws.terminate();
    });
  }

  closeSoon(code: number, reason: string): void {
    closeWithin(this.ws, code, reason, this.services.limits.closeGraceMs);
  }

  fail(code: number, reason: string, error?: unknown): void {
    if (this.closing) return;
    this.closing = true;
    this.logger.warn('closing collab connection', {
      timeline: this.timelineId,
      code,
      reason,
      error,
    });
    this.closeSoon(code, reason);
  }

  /** A websocket message: limits first, then handled in order. */
  receive(data: RawData, isBinary: boolean): void {
    if (this.closing) return;
    if (!isBinary) {
      this.fail(CloseCode.unsupportedData, 'text frames are not part of the protocol');
      return;
    }
    const now = performance.now();
    this.messageTokens = refilled(this.messageTokens, this.messageAt, now, MESSAGE_RATE);
    this.messageAt = now;
    if (this.messageTokens < 1) {
      this.fail(CloseCode.tooManyMessages, 'too many messages per second');
      return;
    }
    this.messageTokens -= 1;
    const bytes = toUint8Array(data);
    if (isSyncRequest(bytes)) {
      this.syncTokens = refilled(this.syncTokens, this.syncAt, now, SYNC_REQUEST_RATE);
      this.syncAt = now;
      if (this.syncTokens < 1) {
        this.fail(CloseCode.tooManyMessages, 'too many sync or awareness requests');
        return;
      }
      this.syncTokens -= 1;
    }
    const { limits } = this.services;
    if (!this.authorized) this.preauthBytes += bytes.byteLength;
    this.queuedBytes += bytes.byteLength;
    if (this.preauthBytes > limits.maxPreauthBytes) {
      this.fail(CloseCode.tooManyMessages, 'too much data before authorization');
      return;
    }
    if (this.queuedBytes > limits.maxQueuedBytes) {
      this.fail(CloseCode.tooManyMessages, 'too much data waiting to be handled');
      return;
    }
    this.handleData(bytes);
  }

  handleData(data: Uint8Array): void {
    if (!this.room) {
      this.early ??= [];
      if (this.early.length >= MAX_PENDING_MESSAGES) {
        this.fail(CloseCode.tooManyMessages, 'too many messages before the document was ready');
        return;
      }
      this.early.push(data);
      if (this.storedWhileLoading) this.answerFromStored(this.storedWhileLoading);
      // Presence and a fresh client's request (answered from the stored rows) can wait for the
      // room; anything else needs it (see DEFER_LOAD_MS in ./rooms.ts).
      if (!canWaitForRoom(data)) this.services.registry.hurry(this.timelineId);
      return;
    }
    // Updates are decoded off-thread first, which is asynchronous; the chain keeps every
    // connection's messages in the order they were sent. It is dropped once it has run out.
    const receivedAt = performance.now();
    const next = (this.pending ?? Promise.resolve()).then(async () => {
      try {
        await this.processMessage(data, receivedAt);
      } finally {
        this.queuedBytes -= data.byteLength;
        if (this.pending === next) this.pending = null;
      }
    });
    this.pending = next;
  }

  private async processMessage(data: Uint8Array, receivedAt: number): Promise<void> {
    const { room, ws } = this;
    if (!room || this.closing || ws.readyState !== WebSocket.OPEN) return;
    try {
      let message = decodeClientMessage(data);
      if (data === this.answeredFromStored) {
        // Answered from the stored rows while the room loaded (`answerFromStored`): only what
        // the room holds beyond them is missing.
        this.answeredFromStored = null;
        message = { type: 'syncStep1', stateVector: room.storedStateVector };
      }
      const { guard } = this.services;
      if (
        message.type === 'update' &&
        !this.readOnly &&
        guard &&
        message.update.byteLength >= GUARDED_UPDATE_BYTES
      ) {
        const { empty } = await guard.check(message.update);
        if (this.closing || ws.readyState !== WebSocket.OPEN) return;
        message = { ...message, empty };
      }
      const result = room.handleMessage(this, message, receivedAt);
      if (result === 'rejected-write' && ++this.rejectedWrites >= MAX_REJECTED_WRITES) {
        this.fail(CloseCode.forbidden, 'this connection is read-only');
      }
    } catch (error) {
      if (error instanceof StorageBacklogError) {
        this.fail(
          CloseCode.storageBacklog,
          'edits cannot be saved right now; retry shortly',
          error,
        );
      } else {
        this.fail(CloseCode.invalidMessage, 'invalid message', error);
      }
    }
  }

  /** The socket closed: everything this connection counted or joined is given back. */
  ended(): void {
    if (this.closed) return;
    this.closed = true;
    this.grant = null;
    this.storedWhileLoading = null;
    clearTimeout(this.expiryTimer);
    this.services.connectionsPerAddress.remove(this.address);
    if (this.credentialKey) this.services.connectionsPerCredential.remove(this.credentialKey);
    const { room } = this;
    if (room) {
      room.removeConnection(this);
      this.services.registry.release(room);
    }
  }

  /** Authorized: counts against its credential, records what it may do, watches the expiry. */
  admit(access: CollabAccess): boolean {
    const key = credentialKeyOf(access.grant);
    const { limits, connectionsPerCredential } = this.services;
    if (key && !connectionsPerCredential.tryAdd(key, limits.maxConnectionsPerCredential)) {
      this.fail(CloseCode.tooManyConnections, 'too many open connections for this account or link');
      return false;
    }
    this.credentialKey = key;
    this.authorized = true;
    this.readOnly = access.mode !== 'edit';
    this.actor = access.actor;
    this.role = access.role;
    // The account's credential key is also its principal (one string, not two per connection).
    this.principal = access.grant?.userId ? key : undefined;
    this.grant = { ...access.grant, timelineId: this.timelineId };
    if (access.expiresAt !== undefined) {
      this.expiresAt = access.expiresAt;
      this.closeAtExpiry();
    }
    return true;
  }

  private closeAtExpiry(): void {
    // setTimeout holds at most 2^31-1 ms (24.8 days); a later expiry is checked again then.
    const left = this.expiresAt! - Date.now();
    if (left > 0) {
      this.expiryTimer = setTimeout(() => this.closeAtExpiry(), Math.min(left, 2 ** 31 - 1));
      return;
    }
    this.fail(
      CloseCode.unauthorized,
      this.grant?.linkId ? 'share link expired' : 'your session expired; sign in again',
    );
  }

  /**
   * The room's stored rows are known while it is still being loaded. A newcomer that asked for
   * everything (a sync request with an empty state vector: a browser without a local copy) is
   * sent them now, instead of once the room has applied them and encoded its state again: seconds
   * for a 100,000-event timeline. Its request stays queued; once joined it is answered with what
   * the room holds beyond those rows (usually nothing). The connection was authorized before it
   * asked for the room.
   */
  answerFromStored(stored: StoredDoc): void {
    const { ws } = this;
    if (this.room || this.closing || ws.readyState !== WebSocket.OPEN) return;
    if (stored.updates.length === 0 || this.answeredFromStored) return;
    const request = this.early?.find(isFreshSyncRequest);
    if (!request) {
      // Not asked yet: answered if the request comes before the room is ready (handleData).
      this.storedWhileLoading = stored;
      return;
    }
    this.storedWhileLoading = null;
    if (ws.bufferedAmount > 0) return;
    this.answeredFromStored = request;
    // The biggest row goes last, as sync step 2: the client counts as synced once it is applied,
    // with the others (smaller, usually the few edits logged since the last compaction) before
    // it. Yjs updates commute. These messages are the document, like one sync answer: they are
    // let through together, as one answer is (see `send`).
    const rows = [...stored.updates].sort((a, b) => a.byteLength - b.byteLength);
    const last = rows.pop()!;
    for (const row of rows) this.write(encodeUpdate(row));
    this.write(encodeSyncStep2Update(last));
  }

  /** Joins the room and handles what arrived while it loaded. */
  join(room: Room): void {
    this.room = room;
    this.storedWhileLoading = null;
    room.addConnection(this);
    const early = this.early;
    this.early = null;
    for (const data of early ?? []) {
      if (this.closing || this.ws.readyState !== WebSocket.OPEN) break;
      this.handleData(data);
    }
  }
}

/**
 * Serves one upgraded websocket on `/collab/<timelineId>`: authorizes it (reading nothing
 * meanwhile), counts it against its credential, joins it to the room and handles its messages in
 * order until it closes. `address` was counted against the per-address limit by the server; the
 * connection gives it back when it closes. The request is not kept once authorized.
 */
export async function serveConnection(
  ws: CollabSocket,
  request: IncomingMessage,
  timelineId: string,
  address: string,
  services: ConnectionServices,
): Promise<void> {
  const connection = new SocketConnection(ws, timelineId, address, services);
  ws.connection = connection;
  ws.on('message', onSocketMessage);
  ws.on('close', onSocketClose);
  ws.on('error', onSocketError);
  watchPongs(ws);
  if (!ID_PATTERN.test(timelineId)) {
    connection.closing = true;
    connection.closeSoon(CloseCode.badRoomName, 'path must be /collab/<timelineId>');
    return;
  }
  // Nothing is read while the caller is authorized: what it pushes meanwhile waits in the
  // kernel's buffers (TCP back-pressure), not in ours. See MAX_PREAUTH_BYTES.
  ws.pause();
  const { logger, registry } = services;
  let access: CollabAccess | CollabRefusal;
  try {
    access = await services.authorize(request, timelineId);
  } catch (error) {
    // Storage down while checking credentials: transient, like a failed load.
    logger.error('authorization failed', { timeline: timelineId, error });
    access = {
      refuse: CloseCode.loadFailed,
      reason: 'access could not be checked; retry shortly',
    };
  }
  if (connection.closed || connection.closing) return;
  if ('refuse' in access) {
    connection.closing = true;
    connection.closeSoon(access.refuse, access.reason);
    return;
  }
  if (!connection.admit(access)) return;
  ws.resume();

  let acquired: Room | null;
  try {
    acquired = await registry.acquire(timelineId, (stored) => connection.answerFromStored(stored));
  } catch (error) {
    logger.error('could not load timeline; refusing connection', { timeline: timelineId, error });
    connection.fail(CloseCode.loadFailed, 'the timeline could not be loaded; retry shortly');
    return;
  }
  if (!acquired) {
    connection.fail(CloseCode.timelineNotFound, 'timeline not found');
    return;
  }
  if (connection.closed || connection.closing) {
    registry.release(acquired);
    return;
  }
  connection.join(acquired);
}

/**
 * A token bucket's tokens at `now` (ms): what it held at `since`, refilled at `rate.perSecond`, at
 * most `rate.burst`. The buckets are plain fields of the connection (no object per bucket).
 */
function refilled(
  tokens: number,
  since: number,
  now: number,
  rate: { perSecond: number; burst: number },
): number {
  return Math.min(rate.burst, tokens + ((now - since) / 1000) * rate.perSecond);
}

/** Which credential a connection counts against: the account, or the share link. */
function credentialKeyOf(grant: ConnectionGrant | undefined): string | undefined {
  if (grant?.userId) return `user:${grant.userId}`;
  if (grant?.linkId) return `link:${grant.linkId}`;
  return undefined;
}

/**
 * Whether a message that came while the room loads can wait for it to be applied: anything but
 * the sync protocol (presence, the opt-in save acknowledgements and notices), and a request from
 * a client that has nothing (answered from the stored rows). Not an update, nor a request from a
 * client with part of the document: their answer needs the room.
 */
function canWaitForRoom(data: Uint8Array): boolean {
  return data[0] !== MessageType.sync || isFreshSyncRequest(data);
}

/** A sync request from a client that has nothing of the document (see `answerFromStored`). */
function isFreshSyncRequest(data: Uint8Array): boolean {
  try {
    const message = decodeClientMessage(data);
    return message.type === 'syncStep1' && isEmptyStateVector(message.stateVector);
  } catch {
    return false; // refused when it is handled, after the join
  }
}
