/**
 * Source links are checked when read, not only when written: a peer can put any string in the
 * shared document, and a `javascript:` URL rendered as a link would run in a colleague's page.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import { readSources } from '../../lib/timeline/source';

function storedSources(urls: unknown[]): Y.Array<Y.Map<unknown>> {
  const doc = new Y.Doc();
  const array = doc.getArray<Y.Map<unknown>>('sources');
  doc.transact(() => {
    urls.forEach((url, index) => {
      const map = new Y.Map<unknown>();
      map.set('id', `source${index}`);
      map.set('title', `source ${index}`);
      if (url !== undefined) map.set('url', url);
      array.push([map]);
    });
  });
  return array;
}

describe('reading source links', () => {
  it('keeps http and https URLs', () => {
    const sources = readSources(storedSources(['https://example.org/a', 'http://example.org/b']));
    assert.deepEqual(
      sources.map((source) => source.url),
      ['https://example.org/a', 'http://example.org/b'],
    );
  });

  it('drops any other scheme, and non-strings, but keeps the source itself', () => {
    const sources = readSources(
      storedSources([
        'javascript:alert(1)',
        'JAVASCRIPT:alert(1)',
        'data:text/html,<script>alert(1)</script>',
        'vbscript:msgbox(1)',
        'file:///etc/passwd',
        'not a url',
        42,
        undefined,
      ]),
    );
    assert.equal(sources.length, 8);
    assert.deepEqual(
      sources.map((source) => source.url),
      Array(8).fill(undefined),
    );
    assert.deepEqual(
      sources.map((source) => source.title),
      sources.map((_, index) => `source ${index}`),
    );
  });
});
