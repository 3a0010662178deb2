import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { ApiError, isNotFound, request, withShareToken } from '../../components/api/request';

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
});

/** Replaces fetch with one answer and records the headers each call sent. */
function stubFetch(status: number, body: unknown): Headers[] {
  const seen: Headers[] = [];
  globalThis.fetch = async (_url, init) => {
    seen.push(new Headers(init?.headers));
    return new Response(JSON.stringify(body), { status });
  };
  return seen;
}

describe('API requests', () => {
  it('carry the HTTP status, so "not found" is told by status and not by wording', async () => {
    stubFetch(404, { error: 'no such thing' });
    const error = await request('/api/timelines/x').catch((e: unknown) => e);
    assert.ok(error instanceof ApiError);
    assert.equal(error.status, 404);
    assert.ok(isNotFound(error));
    assert.ok(!isNotFound(new ApiError('timeline not found', 500)));
    assert.ok(!isNotFound(new Error('not found')));
  });

  it('send the share-link token as a bearer token only when there is one', async () => {
    const seen = stubFetch(200, { ok: true });
    await request('/api/timelines/x', undefined, 'cbl_secret');
    await request('/api/timelines/x');
    assert.equal(seen[0]!.get('authorization'), 'Bearer cbl_secret');
    assert.equal(seen[1]!.get('authorization'), null);
  });

  it('append the token to download URLs', () => {
    assert.equal(withShareToken('/a?format=json', 'a b'), '/a?format=json&token=a%20b');
    assert.equal(withShareToken('/a', 't'), '/a?token=t');
    assert.equal(withShareToken('/a', null), '/a');
  });
});
