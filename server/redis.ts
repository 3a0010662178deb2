/**
 * The Redis connection of an instance that shares its timelines with others (REDIS_URL): one
 * client for commands and publishing, one for subscriptions (a subscribed connection can do
 * nothing else). Used by the room fan-out (collab/extensions/redis.ts) and the event bus
 * (events/redisBus.ts).
 *
 * Redis going away never stops this instance: commands fail fast (no offline queue, so nothing
 * piles up in memory), the clients reconnect on their own with a capped backoff, subscriptions are
 * restored, and `onReconnect` listeners (the fan-out) then catch up what crossed meanwhile.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createClient, type RedisClientType } from 'redis';
import type { Logger } from './log';

export interface RedisLinkOptions {
  url: string;
  /**
   * Prefix of every key and channel. Instances share timelines only when they share it; the
   * default is derived from the database (see `defaultRedisPrefix`).
   */
  prefix: string;
  logger: Logger;
}

export interface RedisLink {
  /** This instance's id, in every message it publishes (so it can ignore its own). */
  readonly instanceId: string;
  readonly prefix: string;
  /** Commands and PUBLISH. Fails fast while Redis is unreachable. */
  readonly client: RedisClientType;
  /** SUBSCRIBE only. */
  readonly subscriber: RedisClientType;
  /** True while both connections are up. */
  readonly connected: boolean;
  /** Runs `listener` whenever the subscriber (re)connects; returns its remover. */
  onReconnect(listener: () => void): () => void;
  close(): Promise<void>;
}

/**
 * The key prefix when REDIS_PREFIX is unset: instances on the same database share timelines, so
 * the prefix is a hash of the database's identity. Two groups of instances on different
 * databases (test runs, staging next to production) then never hear each other on one Redis.
 */
export function defaultRedisPrefix(database: { databaseUrl?: string; dataDir: string }): string {
  const identity = database.databaseUrl ?? `pglite:${database.dataDir}`;
  return `chronoboard:${createHash('sha256').update(identity).digest('hex').slice(0, 12)}`;
}

/**
 * Connects to Redis. Resolves once both connections are up, or after `connectTimeoutMs` with the
 * link still reconnecting in the background (the instance starts and serves its own connections;
 * health reports Redis as unreachable until it answers).
 */
export async function connectRedis(
  options: RedisLinkOptions & { connectTimeoutMs?: number },
): Promise<RedisLink> {
  const { logger } = options;
  const instanceId = randomUUID();
  let lastError = '';
  const makeClient = (role: string, offlineQueue: boolean) => {
    const client: RedisClientType = createClient({
      url: options.url,
      // Publishing while Redis is away must fail at once rather than queue without bound; the
      // subscriber queues its (few) SUBSCRIBE commands until it is back.
      disableOfflineQueue: !offlineQueue,
      pingInterval: 5_000,
      socket: {
        connectTimeout: 2_000,
        reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 2_000),
      },
    });
    client.on('error', (error: Error) => {
      // node-redis emits one per failed attempt; log when the reason changes.
      if (error.message !== lastError) {
        lastError = error.message;
        logger.warn('redis connection trouble; retrying', { role, error: error.message });
      }
    });
    return client;
  };
  const client = makeClient('commands', false);
  const subscriber = makeClient('subscriber', true);
  const reconnectListeners = new Set<() => void>();
  // Also after the first connection: rooms may have opened while Redis was still unreachable.
  subscriber.on('ready', () => {
    lastError = '';
    for (const listener of reconnectListeners) listener();
  });

  const connected = Promise.all([client.connect(), subscriber.connect()]);
  connected.catch((error: unknown) => logger.error('redis connection failed', { error }));
  const timeoutMs = options.connectTimeoutMs ?? 5_000;
  let timer: NodeJS.Timeout | undefined;
  const inTime = await Promise.race([
    connected.then(() => true).catch(() => false),
    new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  if (!inTime) {
    logger.error('redis is unreachable; this instance serves its own connections only', {
      timeoutMs,
    });
  }

  return {
    instanceId,
    prefix: options.prefix,
    client,
    subscriber,
    get connected() {
      return client.isReady && subscriber.isReady;
    },
    onReconnect(listener) {
      reconnectListeners.add(listener);
      return () => reconnectListeners.delete(listener);
    },
    async close() {
      reconnectListeners.clear();
      // A graceful close waits for queued commands, which never complete while Redis is away.
      const graceful = Promise.allSettled([client.close(), subscriber.close()]);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        graceful,
        new Promise((resolve) => {
          timer = setTimeout(resolve, 1_000);
        }),
      ]);
      clearTimeout(timer);
      for (const each of [client, subscriber]) if (each.isOpen) each.destroy();
    },
  };
}
