/**
 * Several instances serving the same timelines (REDIS_URL). Two jobs, per loaded room:
 *
 * 1. **Fan-out.** Every document update and awareness change this instance receives from its own
 *    connections is published on the timeline's channel (`<prefix>:room:<timelineId>`), tagged
 *    with the instance id; every other instance that has the room loaded applies it with a
 *    `RemoteOrigin`, which relays it to its connections without logging it again (the receiving
 *    instance appended it to the durable log before acknowledging it). A room that opens while it
 *    is live elsewhere publishes a sync request (its state vector); the others answer with what it
 *    lacks and their presence. Redis pub/sub delivers at most once, so the same sync request goes
 *    out after every reconnection and every `resyncMs`: a message lost in between is repaired,
 *    not kept lost. (The pattern is @hocuspocus/extension-redis's: a channel per document, sync
 *    step 1 on load, own messages ignored by id.)
 *
 * 2. **Storage lease.** Exactly one instance at a time compacts and snapshots a document: the one
 *    holding `<prefix>:lease:<timelineId>` (SET NX PX, renewed every `leaseMs / 3`, released when
 *    the room unloads, taken over by another instance once it expires when its holder died). On
 *    taking it, the instance claims the next fencing token in PostgreSQL
 *    (`TimelineStore.claimStorageFence`); compaction writes carry it and are refused when a newer
 *    one exists, so a holder that was paused past its lease cannot overwrite anything. An
 *    instance stops using its lease locally a safety margin before it could expire in Redis.
 *
 * Messages are lib0-encoded: instance id, kind, then the kind's fields (binary-safe).
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Logger } from '../../log';
import type { RedisLink } from '../../redis';
import type { TimelineStore } from '../../store/types';
import {
  type Extension,
  isRemoteOrigin,
  RemoteOrigin,
  type RoomHandle,
  type StorageCoordinator,
} from '../extension';

export interface SharedRoomOptions {
  /** Lifetime of a storage lease in Redis; renewed every third of it. */
  leaseMs: number;
  /** Every this often, each loaded room asks the others for what it may have missed. */
  resyncMs: number;
}

export const DEFAULT_SHARED_ROOM_OPTIONS: SharedRoomOptions = {
  leaseMs: 10_000,
  resyncMs: 30_000,
};

enum Kind {
  update = 0,
  awareness = 1,
  syncRequest = 2,
  syncReply = 3,
}

/** An empty Yjs update (no structs, no deletions): nothing worth sending. */
const EMPTY_UPDATE_BYTES = 2;

interface Lease {
  fence: bigint;
  /** `performance.now()` after which this instance no longer relies on the lease. */
  validUntil: number;
}

interface SharedRoom {
  room: RoomHandle;
  channel: string;
  listener: (message: Buffer) => void;
  lease: Lease | null;
  leaseBusy: boolean;
  timer: NodeJS.Timeout;
}

export interface SharedRoomsExtension extends Extension, StorageCoordinator {
  /** The fencing token this instance holds for a timeline's storage, if it holds the lease. */
  leaseOf(timelineId: string): bigint | null;
  /** Stops the resync timer (the rooms stop themselves as they unload). */
  stop(): void;
}

const RENEW_SCRIPT =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
const RELEASE_SCRIPT =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/** Creates the fan-out and lease extension; register it last (its onDestroy releases the lease). */
export function createSharedRoomsExtension(
  link: RedisLink,
  store: TimelineStore,
  options: SharedRoomOptions,
  logger: Logger,
): SharedRoomsExtension {
  const rooms = new Map<string, SharedRoom>();
  const self = link.instanceId;
  // Clocks differ between machines and timers fire late under load: stop relying on a lease
  // well before Redis can hand it to someone else.
  const safetyMs = Math.max(500, options.leaseMs / 5);
  let publishFailing = false;

  const leaseKey = (timelineId: string) => `${link.prefix}:lease:${timelineId}`;

  function publish(shared: SharedRoom, write: (encoder: encoding.Encoder) => void): void {
    const encoder = encoding.createEncoder();
    encoding.writeVarString(encoder, self);
    write(encoder);
    link.client.publish(shared.channel, Buffer.from(encoding.toUint8Array(encoder))).then(
      () => {
        publishFailing = false;
      },
      (error: unknown) => {
        // Redis is away: local connections keep working; the resync after reconnection repairs.
        if (!publishFailing) {
          publishFailing = true;
          logger.warn('could not publish to redis; other instances catch up later', {
            timeline: shared.room.timelineId,
            error: (error as Error).message,
          });
        }
      },
    );
  }

  function requestSync(shared: SharedRoom): void {
    publish(shared, (encoder) => {
      encoding.writeVarUint(encoder, Kind.syncRequest);
      encoding.writeVarUint8Array(encoder, Y.encodeStateVector(shared.room.doc));
    });
  }

  function publishAwareness(shared: SharedRoom, clients: number[]): void {
    if (clients.length === 0) return;
    const update = awarenessProtocol.encodeAwarenessUpdate(shared.room.awareness, clients);
    publish(shared, (encoder) => {
      encoding.writeVarUint(encoder, Kind.awareness);
      encoding.writeVarUint8Array(encoder, update);
    });
  }

  function handleMessage(shared: SharedRoom, message: Buffer): void {
    const { room } = shared;
    const decoder = decoding.createDecoder(new Uint8Array(message));
    const from = decoding.readVarString(decoder);
    if (from === self) return;
    const origin = new RemoteOrigin(from);
    switch (decoding.readVarUint(decoder) as Kind) {
      case Kind.update:
        Y.applyUpdate(room.doc, decoding.readVarUint8Array(decoder), origin);
        return;
      case Kind.awareness:
        awarenessProtocol.applyAwarenessUpdate(
          room.awareness,
          decoding.readVarUint8Array(decoder),
          origin,
        );
        return;
      case Kind.syncRequest: {
        const theirs = decoding.readVarUint8Array(decoder);
        const missing = Y.encodeStateAsUpdate(room.doc, theirs);
        if (missing.byteLength > EMPTY_UPDATE_BYTES) {
          publish(shared, (encoder) => {
            encoding.writeVarUint(encoder, Kind.syncReply);
            encoding.writeVarString(encoder, from);
            encoding.writeVarUint8Array(encoder, missing);
          });
        }
        publishAwareness(shared, [...room.awareness.getStates().keys()]);
        // They may also hold something we lack (their clients' edits we missed): ask back.
        if (hasMoreThan(Y.decodeStateVector(theirs), Y.encodeStateVector(room.doc))) {
          requestSync(shared);
        }
        return;
      }
      case Kind.syncReply: {
        const target = decoding.readVarString(decoder);
        if (target === self) Y.applyUpdate(room.doc, decoding.readVarUint8Array(decoder), origin);
        return;
      }
      default:
        logger.warn('unknown message on a room channel', { timeline: room.timelineId, from });
    }
  }

  async function tendLease(shared: SharedRoom): Promise<void> {
    if (shared.leaseBusy) return;
    shared.leaseBusy = true;
    const timelineId = shared.room.timelineId;
    const started = performance.now();
    try {
      if (shared.lease) {
        const renewed = await link.client.eval(RENEW_SCRIPT, {
          keys: [leaseKey(timelineId)],
          arguments: [self, String(options.leaseMs)],
        });
        if (Number(renewed) === 1) {
          shared.lease.validUntil = started + options.leaseMs - safetyMs;
        } else {
          logger.warn('storage lease lost to another instance', { timeline: timelineId });
          shared.lease = null;
        }
        return;
      }
      const taken = await link.client.set(leaseKey(timelineId), self, {
        condition: 'NX',
        expiration: { type: 'PX', value: options.leaseMs },
      });
      if (taken !== 'OK') return;
      try {
        const fence = await store.claimStorageFence(timelineId);
        shared.lease = { fence, validUntil: started + options.leaseMs - safetyMs };
        logger.debug('storage lease taken', { timeline: timelineId, fence: String(fence) });
      } catch (error) {
        // Without a token the lease is useless; let another instance (or the next tick) try.
        await releaseLease(timelineId);
        throw error;
      }
    } catch (error) {
      logger.debug('storage lease not renewed or taken', {
        timeline: timelineId,
        error: (error as Error).message,
      });
    } finally {
      shared.leaseBusy = false;
    }
  }

  async function releaseLease(timelineId: string): Promise<void> {
    await link.client
      .eval(RELEASE_SCRIPT, { keys: [leaseKey(timelineId)], arguments: [self] })
      .catch(() => {
        // It expires on its own.
      });
  }

  const resyncAll = () => {
    for (const shared of rooms.values()) requestSync(shared);
  };
  const resyncTimer = setInterval(resyncAll, options.resyncMs);
  resyncTimer.unref();
  // After a reconnection, subscriptions are restored first; the replies then have a listener.
  const removeReconnect = link.onReconnect(() => setTimeout(resyncAll, 100).unref());

  return {
    name: 'sharedRooms',
    shared: true,

    async onLoad({ room }) {
      const channel = `${link.prefix}:room:${room.timelineId}`;
      const shared: SharedRoom = {
        room,
        channel,
        listener: (message) => {
          try {
            handleMessage(shared, message);
          } catch (error) {
            logger.warn('could not apply a message from another instance', {
              timeline: room.timelineId,
              error,
            });
          }
        },
        lease: null,
        leaseBusy: false,
        timer: setInterval(() => void tendLease(shared), Math.max(50, options.leaseMs / 3)),
      };
      shared.timer.unref();
      rooms.set(room.timelineId, shared);
      // Subscribed before asking, so the answers are heard. While Redis is away the subscription
      // waits in the subscriber's queue; the resync after reconnection catches up.
      const subscribed = link.subscriber.subscribe(channel, shared.listener, true);
      if (link.connected) await subscribed.catch(() => {});
      else subscribed.catch(() => {});
      requestSync(shared);
      await tendLease(shared);
    },

    onUpdate({ room, update, origin }) {
      if (isRemoteOrigin(origin)) return;
      const shared = rooms.get(room.timelineId);
      if (!shared) return;
      publish(shared, (encoder) => {
        encoding.writeVarUint(encoder, Kind.update);
        encoding.writeVarUint8Array(encoder, update);
      });
    },

    onAwareness({ room, changes, origin }) {
      if (isRemoteOrigin(origin)) return;
      const shared = rooms.get(room.timelineId);
      if (!shared) return;
      publishAwareness(shared, [...changes.added, ...changes.updated, ...changes.removed]);
    },

    async onDestroy({ room }) {
      const shared = rooms.get(room.timelineId);
      if (!shared || shared.room !== room) return;
      rooms.delete(room.timelineId);
      clearInterval(shared.timer);
      // Not awaited: while Redis is away the command waits in the subscriber's queue, and a room
      // must still be able to unload (or the server to stop) meanwhile.
      link.subscriber.unsubscribe(shared.channel, shared.listener, true).catch(() => {});
      if (shared.lease) {
        shared.lease = null;
        await releaseLease(room.timelineId);
      }
    },

    storageRight(timelineId) {
      const lease = rooms.get(timelineId)?.lease;
      if (!lease || performance.now() > lease.validUntil) return null;
      return { fence: lease.fence };
    },

    leaseOf(timelineId) {
      const lease = rooms.get(timelineId)?.lease;
      return lease && performance.now() <= lease.validUntil ? lease.fence : null;
    },

    stop() {
      clearInterval(resyncTimer);
      removeReconnect();
    },
  };
}

/** Whether state vector `a` has a clock beyond `b`'s for some client. */
function hasMoreThan(a: Map<number, number>, bEncoded: Uint8Array): boolean {
  const b = Y.decodeStateVector(bEncoded);
  for (const [client, clock] of a) if (clock > (b.get(client) ?? 0)) return true;
  return false;
}
