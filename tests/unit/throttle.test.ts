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

  it('counts a reserved attempt before it is checked: a burst gets no more than the limit', () => {
    const throttle = new SignInThrottle(options, clock().now);
    // Thirty attempts that all start before any verification finishes.
    const admitted = Array.from({ length: 30 }, () => throttle.reserve('a', 'x@y')).filter(
      (wait) => wait === 0,
    ).length;
    assert.equal(admitted, 3);
    assert.ok(throttle.retryAfter('a', 'x@y') > 0);
  });

  it('releases a reserved attempt that was right: it counts neither for the address nor the account', () => {
    const throttle = new SignInThrottle(options, clock().now);
    for (let i = 0; i < 2; i++) assert.equal(throttle.reserve('a', 'x@y'), 0);
    assert.equal(throttle.reserve('a', 'x@y'), 0);
    throttle.release('a', 'x@y');
    assert.equal(throttle.retryAfter('a', 'x@y'), 0);
    // Two failures remain on the account: three more from elsewhere reach its limit of five.
    for (let i = 0; i < 3; i++) assert.equal(throttle.reserve(`other ${i}`, 'x@y'), 0);
    assert.ok(throttle.reserve('fresh', 'x@y') > 0);
  });

  it('never forgets a key that is still limiting to make room', () => {
    const time = clock();
    const throttle = new SignInThrottle({ ...options, maxKeys: 4 }, time.now);
    for (let i = 0; i < 3; i++) throttle.reserve('attacker', 'victim@y');
    assert.ok(throttle.retryAfter('attacker', 'victim@y') > 0);
    // A flood of other keys (one attempt each) must not push the limiting one out.
    for (let i = 0; i < 50; i++) throttle.reserve(`client ${i}`, `user${i}@y`);
    assert.ok(throttle.size <= 4, `size ${throttle.size}`);
    assert.ok(throttle.retryAfter('attacker', 'victim@y') > 0, 'still paused');
  });

  it('refuses new keys while every kept key is limiting, until the window passes', () => {
    const time = clock();
    const throttle = new SignInThrottle({ ...options, perAccount: 3, maxKeys: 2 }, time.now);
    for (let i = 0; i < 3; i++) throttle.reserve('a', 'x@y');
    assert.ok(throttle.reserve('b', 'z@y') > 0, 'no room without forgetting a limiting key');
    time.advance(60_000);
    assert.equal(throttle.reserve('b', 'z@y'), 0);
  });

  it('throttles the change-password form per account and clears it on success', () => {
    const throttle = new SignInThrottle(options, clock().now);
    for (let i = 0; i < 3; i++) assert.equal(throttle.reservePasswordChange('u1'), 0);
    assert.ok(throttle.reservePasswordChange('u1') > 0);
    assert.equal(throttle.reservePasswordChange('u2'), 0, 'another account is not paused');
    throttle.releasePasswordChange('u1');
    assert.equal(throttle.reservePasswordChange('u1'), 0);
  });
});
