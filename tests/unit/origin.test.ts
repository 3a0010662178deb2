import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSameOrigin, resolveSameSitePath } from '../../lib/origin';

describe('resolveSameSitePath', () => {
  it('keeps paths of this site with their query and fragment', () => {
    assert.equal(resolveSameSitePath('/t/abc'), '/t/abc');
    assert.equal(resolveSameSitePath('/t/abc?q=phone#x'), '/t/abc?q=phone#x');
    assert.equal(resolveSameSitePath(['/settings', '/other']), '/settings');
  });

  it('sends every way off the site to /', () => {
    for (const hostile of [
      undefined,
      '',
      'https://evil.com',
      'evil.com',
      '//evil.com',
      '/\\evil.com',
      '/%09/evil.com',
      '/%2509/evil.com',
      '/\t/evil.com',
      '/%0a/evil.com',
      '/%5cevil.com',
      '/%2f%2fevil.com',
      'javascript:alert(1)',
      '/%E0%A4%A',
    ]) {
      assert.equal(resolveSameSitePath(hostile), '/', String(hostile));
    }
  });
});

describe('isSameOrigin', () => {
  it('accepts no Origin (scripts) and our own host, refuses others', () => {
    assert.equal(isSameOrigin(null, 'app.test'), true);
    assert.equal(isSameOrigin('http://app.test', 'app.test'), true);
    assert.equal(isSameOrigin('http://evil.test', 'app.test'), false);
    assert.equal(isSameOrigin('null', 'app.test'), false);
    assert.equal(isSameOrigin('http://app.test', null), false);
  });
});
