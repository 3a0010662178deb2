/**
 * A credential checked while it is being revoked: the database answered "active" before the
 * revocation committed, the answer arrives after it. That answer must be neither cached nor used
 * (no window in which a revoked link keeps working), and the websocket must refuse the connection.
 */
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import { authenticate } from '../../server/access/authentication';
import { createCollabAuthorizer } from '../../server/access/collab';
import { createCredentialCache } from '../../server/access/credentialCache';
import { hashToken } from '../../server/access/credentials';
import type { AccessDeps } from '../../server/access/deps';

const TOKEN = 'cbl_race-test-token';

/** A share-link table of one row whose reads take until `release()` is called. */
function createSlowLinks() {
  const row = {
    id: 'link1',
    tokenHash: hashToken(TOKEN),
    timelineId: 'timeline1',
    role: 'edit',
    expiresAt: null as Date | null,
    revokedAt: null as Date | null,
    suspendedAt: null as Date | null,
  };
  let reads = 0;
  const gates: (() => void)[] = [];
  const ms = (date: Date | null) => date?.getTime() ?? null;
  // The share-link statement of server/access/credentialRows.ts, answered from `row`.
  const query = async (text: string, params: unknown[]) => {
    assert.match(text, /FROM "ShareLink" WHERE "tokenHash" = \$1/);
    reads++;
    // What the database saw when the query ran.
    const snapshot = {
      ...row,
      expiresAt: ms(row.expiresAt),
      revokedAt: ms(row.revokedAt),
      suspendedAt: ms(row.suspendedAt),
    };
    if (reads === 1) await new Promise<void>((resolve) => gates.push(resolve));
    const rows = params[0] === row.tokenHash ? [snapshot] : [];
    return { rows, rowCount: rows.length };
  };
  return {
    row,
    reads: () => reads,
    /** Lets the first (slow) read answer. */
    release: () => gates.shift()?.(),
    started: async () => {
      while (reads === 0) await new Promise((resolve) => setImmediate(resolve));
    },
    query,
  };
}

function createDeps(links: ReturnType<typeof createSlowLinks>) {
  const cache = createCredentialCache();
  const deps = {
    database: { sql: { query: links.query } },
    cache,
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    sessionTtlMs: 60_000,
  } as unknown as Pick<AccessDeps, 'database' | 'cache' | 'logger' | 'sessionTtlMs'>;
  /** What revokeShareLink does: commit, then withdraw (which clears the cache first). */
  const revoke = () => {
    links.row.revokedAt = new Date();
    cache.clear();
  };
  return { deps, cache, revoke };
}

describe('revoked while being checked', () => {
  it('neither caches nor returns the stale answer: the link is checked again and refused', async () => {
    const links = createSlowLinks();
    const { deps, cache, revoke } = createDeps(links);
    const pending = authenticate(deps, { bearer: TOKEN });
    await links.started();
    revoke();
    links.release();
    const { principal, problem } = await pending;
    assert.equal(principal, null);
    assert.match(problem ?? '', /revoked/);
    assert.equal(links.reads(), 2, 'asked the database again');
    assert.equal(cache.get(hashToken(TOKEN)), undefined, 'nothing cached');
  });

  it('the websocket authorizer refuses a connection whose link was revoked during the check', async () => {
    const links = createSlowLinks();
    const { deps, revoke } = createDeps(links);
    const authorize = createCollabAuthorizer({
      authenticate: (credentials, options) => authenticate(deps, credentials, options),
    });
    const request = {
      url: `/collab/timeline1?token=${TOKEN}`,
      headers: {},
    } as unknown as IncomingMessage;
    const pending = authorize(request, 'timeline1');
    await links.started();
    revoke();
    links.release();
    const access = await pending;
    assert.ok('refuse' in access, 'refused');
    assert.equal(access.refuse, 4401);
  });

  it('without a withdrawal in between, the answer is used and cached as before', async () => {
    const links = createSlowLinks();
    const { deps, cache } = createDeps(links);
    const pending = authenticate(deps, { bearer: TOKEN });
    await links.started();
    links.release();
    const { principal } = await pending;
    assert.equal(principal?.kind, 'link');
    assert.equal(links.reads(), 1);
    assert.ok(cache.get(hashToken(TOKEN)));
  });

  it('closes a connection whose link was revoked between the check and its registration', async () => {
    const links = createSlowLinks();
    const { deps, cache, revoke } = createDeps(links);
    const closed: unknown[] = [];
    const authorize = createCollabAuthorizer({
      authenticate: (credentials, options) => authenticate(deps, credentials, options),
      credentialGeneration: () => cache.generation(),
      closeConnectionsOf: async (match, reason) => {
        closed.push({ match, reason });
        return 1;
      },
    });
    const request = {
      url: `/collab/timeline1?token=${TOKEN}`,
      headers: {},
    } as unknown as IncomingMessage;
    const pending = authorize(request, 'timeline1');
    await links.started();
    links.release();
    const access = await pending;
    assert.ok(!('refuse' in access), 'admitted on the answer it had');
    // The revocation lands before the server registered the connection (same tick).
    revoke();
    await waitUntil(() => closed.length > 0);
    assert.deepEqual(closed, [
      { match: { linkId: 'link1' }, reason: 'access changed while connecting; reconnect' },
    ]);
  });

  it('leaves a connection alone when nothing was withdrawn in between', async () => {
    const links = createSlowLinks();
    const { deps, cache } = createDeps(links);
    let closed = 0;
    const authorize = createCollabAuthorizer({
      authenticate: (credentials, options) => authenticate(deps, credentials, options),
      credentialGeneration: () => cache.generation(),
      closeConnectionsOf: async () => ++closed,
    });
    const request = {
      url: `/collab/timeline1?token=${TOKEN}`,
      headers: {},
    } as unknown as IncomingMessage;
    const pending = authorize(request, 'timeline1');
    await links.started();
    links.release();
    await pending;
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(closed, 0);
    assert.equal(links.reads(), 1, 'not checked again');
  });
});

describe('one token presented by many connections at once', () => {
  it('is checked once for all of them', async () => {
    const links = createSlowLinks();
    const { deps, cache } = createDeps(links);
    const pending = Array.from({ length: 5 }, () => authenticate(deps, { bearer: TOKEN }));
    await links.started();
    links.release();
    const answers = await Promise.all(pending);
    assert.deepEqual(
      answers.map((answer) => answer.principal?.kind),
      ['link', 'link', 'link', 'link', 'link'],
    );
    assert.equal(links.reads(), 1, 'one read for five checks');
    assert.ok(cache.get(hashToken(TOKEN)));
    // The next check after the shared one finished reads from the cache.
    await authenticate(deps, { bearer: TOKEN });
    assert.equal(links.reads(), 1);
  });

  it('gives every one of them the answer after a withdrawal that overtook the shared check', async () => {
    const links = createSlowLinks();
    const { deps, cache, revoke } = createDeps(links);
    const first = authenticate(deps, { bearer: TOKEN });
    await links.started();
    const second = authenticate(deps, { bearer: TOKEN });
    revoke();
    const third = authenticate(deps, { bearer: TOKEN });
    links.release();
    for (const { principal, problem } of await Promise.all([first, second, third])) {
      assert.equal(principal, null);
      assert.match(problem ?? '', /revoked/);
    }
    assert.equal(links.reads(), 2, 'asked again once, for all three');
    assert.equal(cache.get(hashToken(TOKEN)), undefined, 'nothing cached');
  });
});

async function waitUntil(check: () => boolean, ms = 2_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
