import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SignInThrottle } from '../../server/access/throttle';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const options = { windowMs: 60_000, perClient: 3, perAccount: 5, maxKeys: 100 };

describe('sign-in throttle', () => {
  it('pauses an account for one client after perClient failures, until the window passes', () => {
    const time = clock();
    const throttle = new SignInThrottle(options, time.now);
    for (let i = 0; i < 3; i++) {
      assert.equal(throttle.retryAfter('a', 'x@y'), 0);
      throttle.recordFailure('a', 'x@y');
    }
    assert.equal(throttle.retryAfter('a', 'x@y'), 60_000);
    // Another client, and another account from the same client, are not paused.
    assert.equal(throttle.retryAfter('b', 'x@y'), 0);
    assert.equal(throttle.retryAfter('a', 'z@y'), 0);
    time.advance(59_000);
    assert.equal(throttle.retryAfter('a', 'x@y'), 1_000);
    time.advance(1_000);
    assert.equal(throttle.retryAfter('a', 'x@y'), 0);
  });

  it('pauses an account for everyone after perAccount failures from many clients', () => {
    const throttle = new SignInThrottle(options, clock().now);
    for (let i = 0; i < 5; i++) throttle.recordFailure(`client ${i}`, 'x@y');
    assert.ok(throttle.retryAfter('a fresh client', 'x@y') > 0);
  });

  it('clears a client’s count on success but keeps the account-wide count', () => {
    const throttle = new SignInThrottle(options, clock().now);
    for (let i = 0; i < 3; i++) throttle.recordFailure('a', 'x@y');
    throttle.recordSuccess('a', 'x@y');
    assert.equal(throttle.retryAfter('a', 'x@y'), 0);
    throttle.recordFailure('b', 'x@y');
    throttle.recordFailure('c', 'x@y');
    assert.ok(throttle.retryAfter('d', 'x@y') > 0, '5 failures in the window from anywhere');
  });

  it('keeps at most maxKeys entries', () => {
    const throttle = new SignInThrottle({ ...options, maxKeys: 10 }, clock().now);
    for (let i = 0; i < 100; i++) throttle.recordFailure(`client ${i}`, `user${i}@y`);
    assert.ok(throttle.size <= 10, `size ${throttle.size}`);
  });
});
