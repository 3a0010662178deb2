/**
 * Limits shared by several instances through a real Redis (server/sharedLimits.ts): sign-in
 * attempts and named snapshots counted on two instances (two links, one prefix) add up, with the
 * same rules as the in-memory versions; with Redis unreachable each instance still limits on its
 * own.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_THROTTLE } from '../../server/access/throttle';
import { createLogger } from '../../server/log';
import { connectRedis, type RedisLink } from '../../server/redis';
import { createRedisRateLimiter, createRedisThrottle } from '../../server/sharedLimits';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const logger = createLogger('error');

describe('limits shared through Redis', () => {
  const prefix = `chronoboard-test-${randomBytes(6).toString('hex')}`;
  let one: RedisLink;
  let two: RedisLink;

  before(async () => {
    one = await connectRedis({ url: REDIS_URL, prefix, logger });
    two = await connectRedis({ url: REDIS_URL, prefix, logger });
    assert.ok(one.connected && two.connected);
  });

  after(async () => {
    for await (const keys of one.client.scanIterator({ MATCH: `${prefix}:*` })) {
      if (keys.length > 0) await one.client.del(keys);
    }
    await one.close();
    await two.close();
  });

  it('counts sign-in attempts made on two instances together', async () => {
    const onOne = createRedisThrottle(one, logger);
    const onTwo = createRedisThrottle(two, logger);
    for (let i = 0; i < DEFAULT_THROTTLE.perClient; i++) {
      assert.equal(await (i % 2 ? onOne : onTwo).reserve('10.0.0.1', 'ana@example.test'), 0);
    }
    const wait = await onOne.reserve('10.0.0.1', 'ana@example.test');
    assert.ok(wait > 0 && wait <= DEFAULT_THROTTLE.windowMs, `refused for ${wait} ms`);
    assert.ok((await onTwo.reserve('10.0.0.1', 'ana@example.test')) > 0, 'on the other too');
    // Another address is still allowed (the account-wide limit is higher).
    assert.equal(await onTwo.reserve('10.0.0.2', 'ana@example.test'), 0);
    // A right password releases: the address starts afresh on every instance.
    await onTwo.release('10.0.0.2', 'ana@example.test');
    await onOne.release('10.0.0.1', 'ana@example.test');
    assert.equal(await onTwo.reserve('10.0.0.1', 'ana@example.test'), 0);
  });

  it('counts wrong current passwords per account across instances', async () => {
    const onOne = createRedisThrottle(one, logger);
    const onTwo = createRedisThrottle(two, logger);
    for (let i = 0; i < DEFAULT_THROTTLE.perClient; i++) {
      assert.equal(await (i % 2 ? onOne : onTwo).reservePasswordChange('user-1'), 0);
    }
    assert.ok((await onOne.reservePasswordChange('user-1')) > 0);
    await onTwo.releasePasswordChange('user-1');
    assert.equal(await onOne.reservePasswordChange('user-1'), 0);
  });

  it('limits named snapshots per person across instances in a sliding window', async () => {
    const window = { limit: 3, windowMs: 60_000 };
    const onOne = createRedisRateLimiter(one, logger, window);
    const onTwo = createRedisRateLimiter(two, logger, window);
    await onOne.consume('person-1', 'named snapshots');
    await onTwo.consume('person-1', 'named snapshots');
    await onOne.consume('person-1', 'named snapshots');
    await assert.rejects(
      Promise.resolve(onTwo.consume('person-1', 'named snapshots')),
      (error: Error & { status?: number }) =>
        error.status === 429 && /at most 3 per 60 seconds/.test(error.message),
    );
    await onTwo.consume('person-2', 'named snapshots');
  });

  it('still limits, per instance, while Redis is unreachable', async () => {
    // A port nobody answers on: the link keeps retrying in the background.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const away = await connectRedis({
      url: `redis://127.0.0.1:${port}`,
      prefix,
      logger,
      connectTimeoutMs: 300,
    });
    try {
      assert.equal(away.connected, false);
      const throttle = createRedisThrottle(away, logger);
      for (let i = 0; i < DEFAULT_THROTTLE.perClient; i++) {
        assert.equal(await throttle.reserve('10.0.0.9', 'bo@example.test'), 0);
      }
      assert.ok((await throttle.reserve('10.0.0.9', 'bo@example.test')) > 0);
    } finally {
      await away.close();
    }
  });
});
