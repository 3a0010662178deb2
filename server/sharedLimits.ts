/**
 * Limits that must hold across instances (REDIS_URL): sign-in throttling (access/throttle.ts)
 * and the named-snapshot rate (services/historyRateLimit.ts) counted in Redis, so that spreading
 * password guesses or snapshot requests over several instances gains nothing. Each check is one
 * Lua script: checking and counting happen atomically, like the in-memory versions' single
 * synchronous step.
 *
 * Redis unreachable: each instance falls back to its own in-memory counters (still limited, per
 * instance, as without Redis) rather than letting attempts through or refusing everyone.
 */
import { randomUUID } from 'node:crypto';
import { RateLimitError } from '../lib/errors';
import { NAMED_SNAPSHOT_RATE } from '../lib/limits';
import type { AttemptThrottle } from './access/throttle';
import { DEFAULT_THROTTLE, SignInThrottle, type ThrottleOptions } from './access/throttle';
import type { Logger } from './log';
import type { RedisLink } from './redis';
import {
  type RateLimiter,
  type RateWindow,
  SlidingWindowLimiter,
} from './services/historyRateLimit';

/** KEYS: counters; ARGV[1]: window ms; ARGV[1 + i]: limit of KEYS[i]. Returns ms to wait or 0. */
const RESERVE_SCRIPT = `
local wait = 0
for i, key in ipairs(KEYS) do
  local n = tonumber(redis.call('GET', key) or '0')
  if n >= tonumber(ARGV[i + 1]) then
    local ttl = redis.call('PTTL', key)
    if ttl > wait then wait = ttl end
  end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  if redis.call('INCR', key) == 1 then redis.call('PEXPIRE', key, ARGV[1]) end
end
return 0`;

/** KEYS[1]: counter to decrement (may be absent), KEYS[2]: counter to delete. */
const RELEASE_SCRIPT = `
if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then redis.call('DECR', KEYS[1]) end
redis.call('DEL', KEYS[2])
return 0`;

/**
 * Sign-in and change-password attempts counted in Redis with the same rules and limits as
 * `SignInThrottle` (fixed window from the first attempt).
 */
export function createRedisThrottle(
  link: RedisLink,
  logger: Logger,
  options: ThrottleOptions = DEFAULT_THROTTLE,
): AttemptThrottle {
  const fallback = new SignInThrottle(options);
  const key = (name: string) => `${link.prefix}:throttle:${name}`;
  let warned = false;
  const onRedisError = (error: unknown) => {
    if (!warned) {
      warned = true;
      logger.warn('redis unreachable: sign-in throttling counts on this instance only', {
        error: (error as Error).message,
      });
    }
  };
  async function reserve(keys: [string, number][]): Promise<number> {
    const reply = await link.client.eval(RESERVE_SCRIPT, {
      keys: keys.map(([name]) => key(name)),
      arguments: [String(options.windowMs), ...keys.map(([, limit]) => String(limit))],
    });
    warned = false;
    return Number(reply);
  }
  async function release(decrement: string, remove: string): Promise<void> {
    await link.client.eval(RELEASE_SCRIPT, { keys: [key(decrement), key(remove)] });
  }
  return {
    async reserve(client, email) {
      try {
        return await reserve([
          [`client:${client}|${email}`, options.perClient],
          [`account:${email}`, options.perAccount],
        ]);
      } catch (error) {
        onRedisError(error);
        return fallback.reserve(client, email);
      }
    },
    async release(client, email) {
      await release(`account:${email}`, `client:${client}|${email}`).catch((error: unknown) => {
        onRedisError(error);
        fallback.release(client, email);
      });
    },
    async reservePasswordChange(userId) {
      try {
        return await reserve([[`password:${userId}`, options.perClient]]);
      } catch (error) {
        onRedisError(error);
        return fallback.reservePasswordChange(userId);
      }
    },
    async releasePasswordChange(userId) {
      await release(`password:${userId}`, `password:${userId}`).catch((error: unknown) => {
        onRedisError(error);
        fallback.releasePasswordChange(userId);
      });
    },
  };
}

/**
 * KEYS[1]: sorted set of attempt times; ARGV: now, window ms, limit, member. Returns 0 when the
 * attempt was counted, else the ms until the oldest attempt leaves the window.
 */
const SLIDING_SCRIPT = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.max(1, tonumber(oldest[2]) + window - now)
end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], window)
return 0`;

/** The named-snapshot limit (a sliding window per person) counted in Redis. */
export function createRedisRateLimiter(
  link: RedisLink,
  logger: Logger,
  window: RateWindow = NAMED_SNAPSHOT_RATE,
): RateLimiter {
  const fallback = new SlidingWindowLimiter(window);
  return {
    async consume(name, what) {
      let wait: number;
      try {
        wait = Number(
          await link.client.eval(SLIDING_SCRIPT, {
            keys: [`${link.prefix}:rate:${name}`],
            arguments: [
              String(Date.now()),
              String(window.windowMs),
              String(window.limit),
              randomUUID(),
            ],
          }),
        );
      } catch (error) {
        logger.warn('redis unreachable: the snapshot rate limit counts on this instance only', {
          error: (error as Error).message,
        });
        fallback.consume(name, what);
        return;
      }
      if (wait > 0) {
        throw new RateLimitError(
          `too many ${what}: at most ${window.limit} per ${Math.round(window.windowMs / 1000)} seconds; try again in ${Math.ceil(wait / 1000)} s`,
        );
      }
    },
  };
}
