import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTrustedProxies, resolveClientAddress } from '../../server/clientAddress';

describe('client address', () => {
  it('ignores X-Forwarded-For without TRUST_PROXY', () => {
    assert.equal(
      resolveClientAddress('::ffff:10.0.0.5', '203.0.113.9', { trustProxy: false }),
      '10.0.0.5',
    );
  });

  it('takes the right-most entry with one proxy hop: what the client wrote to its left is ignored', () => {
    const options = { trustProxy: true };
    assert.equal(resolveClientAddress('10.0.0.1', '198.51.100.7', options), '198.51.100.7');
    assert.equal(
      resolveClientAddress('10.0.0.1', '1.2.3.4, 5.6.7.8, 198.51.100.7', options),
      '198.51.100.7',
    );
    // Two headers are one list, in order.
    assert.equal(
      resolveClientAddress('10.0.0.1', ['1.2.3.4', '198.51.100.7'], options),
      '198.51.100.7',
    );
    assert.equal(resolveClientAddress('10.0.0.1', undefined, options), '10.0.0.1');
    assert.equal(resolveClientAddress('10.0.0.1', ' , ', options), '10.0.0.1');
  });

  it('with TRUSTED_PROXIES skips trusted hops from the right, and believes only a trusted peer', () => {
    const isTrustedProxy = parseTrustedProxies(['10.0.0.0/8', '2001:db8::1']);
    const options = { trustProxy: true, isTrustedProxy };
    assert.equal(
      resolveClientAddress('10.0.0.1', '6.6.6.6, 198.51.100.7, 10.1.1.1', options),
      '198.51.100.7',
    );
    assert.equal(resolveClientAddress('2001:db8::1', '198.51.100.7', options), '198.51.100.7');
    // A peer that is not one of our proxies sent the header itself.
    assert.equal(resolveClientAddress('203.0.113.50', '198.51.100.7', options), '203.0.113.50');
    // Only our proxies in the chain: the left-most.
    assert.equal(resolveClientAddress('10.0.0.1', '10.2.2.2, 10.3.3.3', options), '10.2.2.2');
  });

  it('refuses a TRUSTED_PROXIES entry that is not an address', () => {
    assert.throws(() => parseTrustedProxies(['proxy.internal']), /not an address/);
  });
});
