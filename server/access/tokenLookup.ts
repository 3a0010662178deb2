/**
 * Turns one presented token into a principal: from the credential cache while fresh, else from
 * the database (credentialRows.ts: the driver, not Prisma); while the database cannot be asked,
 * from the cache while not stale.
 */
import type { LinkRole } from '../../lib/access';
import { UnavailableError } from '../../lib/errors';
import type { Authentication } from './authentication';
import { VERIFIED_FRESH_MS, VERIFIED_STALE_MS } from './credentialCache';
import {
  extendSession,
  findApiToken,
  findSession,
  findShareLink,
  touchApiToken,
} from './credentialRows';
import { hashToken, tokenKind } from './credentials';
import { type AccessDeps, toUser } from './deps';
import { readLinkStatus } from './shareLinks';

/** Refresh a session's expiry at most this often (not on every request). */
const SESSION_REFRESH_MS = 24 * 60 * 60 * 1000;
/** Record an API token's use at most this often. */
const TOKEN_USE_MS = 60_000;

type Lookup = Authentication & { expiresAt: number | null };

/** How often a verification overtaken by a withdrawal is asked again before giving up. */
const MAX_RECHECKS = 3;

/**
 * Who a token belongs to, or why it is not valid; 503 when it cannot be checked at all.
 *
 * A withdrawal (revocation, sign-out, role change) that happens while the database is being
 * asked may have been decided after the row was read: such an answer is neither cached nor
 * returned, the token is checked again, so nothing revoked is let in on a stale answer (and the
 * websocket registers no connection on it).
 */
export async function authenticateToken(
  deps: Pick<AccessDeps, 'database' | 'cache' | 'logger' | 'sessionTtlMs'>,
  token: string,
): Promise<Authentication> {
  const tokenHash = hashToken(token);
  const cached = deps.cache.get(tokenHash);
  const now = Date.now();
  const usable = cached && (cached.expiresAt === null || cached.expiresAt > now);
  if (usable && now - cached.at < VERIFIED_FRESH_MS) return { principal: cached.principal };
  try {
    return await verifyShared(deps, token, tokenHash);
  } catch (error) {
    if (usable && now - cached.at < VERIFIED_STALE_MS) return { principal: cached.principal };
    deps.logger.warn('could not check credentials', { error });
    throw new UnavailableError(
      'credentials cannot be checked right now (database unreachable); retry shortly',
    );
  }
}

/**
 * The verifications in flight, per cache (one per access service) and token hash. Connections
 * that present the same token at once (a reconnecting crowd, a user's many tabs) share one
 * verification instead of each asking the database: 10,000 websockets on 167 tokens made
 * thousands of identical queries. Sharing changes nothing a caller sees: a verification that a
 * withdrawal overtakes asks again (below) before any caller gets its answer.
 */
const inFlight = new WeakMap<object, Map<string, Promise<Authentication>>>();

function verifyShared(
  deps: Pick<AccessDeps, 'database' | 'cache' | 'sessionTtlMs'>,
  token: string,
  tokenHash: string,
): Promise<Authentication> {
  let pending = inFlight.get(deps.cache);
  if (!pending) {
    pending = new Map();
    inFlight.set(deps.cache, pending);
  }
  const running = pending.get(tokenHash);
  if (running) return running;
  const verification = verify(deps, token, tokenHash).finally(() => {
    pending.delete(tokenHash);
  });
  pending.set(tokenHash, verification);
  return verification;
}

async function verify(
  deps: Pick<AccessDeps, 'database' | 'cache' | 'sessionTtlMs'>,
  token: string,
  tokenHash: string,
): Promise<Authentication> {
  for (let check = 0; check < MAX_RECHECKS; check++) {
    const generation = deps.cache.generation();
    const { expiresAt, ...result } = await lookUpToken(deps, token, tokenHash);
    if (deps.cache.generation() !== generation) continue;
    if (result.principal) {
      deps.cache.set(tokenHash, { principal: result.principal, at: Date.now(), expiresAt });
    } else {
      deps.cache.delete(tokenHash);
    }
    return result;
  }
  return {
    principal: null,
    problem: 'access was changing while your credentials were checked; try again',
  };
}

/** Looks up one presented token in the database; returns the principal or why it is not valid. */
async function lookUpToken(
  deps: Pick<AccessDeps, 'database' | 'sessionTtlMs'>,
  token: string,
  tokenHash: string,
): Promise<Lookup> {
  const kind = tokenKind(token);
  if (kind === 'apiToken') return lookUpApiToken(deps, tokenHash);
  if (kind === 'shareLink') return lookUpShareLink(deps, tokenHash);
  if (kind === 'session') return lookUpSession(deps, tokenHash);
  return { principal: null, problem: 'unrecognised token', expiresAt: null };
}

async function lookUpApiToken(deps: Pick<AccessDeps, 'database'>, tokenHash: string) {
  const { sql } = deps.database;
  const row = await findApiToken(sql, tokenHash);
  if (!row) {
    return {
      principal: null,
      problem: 'this API token is not valid (revoked?)',
      expiresAt: null,
    } satisfies Lookup;
  }
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > TOKEN_USE_MS) {
    await touchApiToken(sql, row.id, new Date()).catch(() => {});
  }
  return {
    principal: { kind: 'user', user: toUser(row.user), via: { kind: 'token', tokenId: row.id } },
    expiresAt: null,
  } satisfies Lookup;
}

const LINK_PROBLEMS = {
  revoked: 'this share link has been revoked; ask the person who shared it for a new one',
  expired: 'this share link has expired; ask the person who shared it for a new one',
  suspended:
    'this share link is suspended: the person who made it no longer has that access; ask for a new one',
} as const;

async function lookUpShareLink(
  deps: Pick<AccessDeps, 'database'>,
  tokenHash: string,
): Promise<Lookup> {
  const row = await findShareLink(deps.database.sql, tokenHash);
  if (!row) return { principal: null, problem: 'this share link is not valid', expiresAt: null };
  const status = readLinkStatus(row);
  if (status !== 'active') {
    return { principal: null, problem: LINK_PROBLEMS[status], expiresAt: null };
  }
  return {
    principal: {
      kind: 'link',
      link: {
        id: row.id,
        timelineId: row.timelineId,
        role: row.role as LinkRole,
        expiresAt: row.expiresAt?.getTime() ?? null,
      },
    },
    expiresAt: row.expiresAt?.getTime() ?? null,
  };
}

async function lookUpSession(
  deps: Pick<AccessDeps, 'database' | 'sessionTtlMs'>,
  tokenHash: string,
): Promise<Lookup> {
  const { sql } = deps.database;
  const row = await findSession(sql, tokenHash);
  if (!row || row.expiresAt.getTime() <= Date.now()) {
    return { principal: null, problem: 'your session has ended; sign in again', expiresAt: null };
  }
  let expiresAt = row.expiresAt.getTime();
  // Sliding expiry: refreshed at most daily (or at half the lifetime, if that is shorter).
  if (Date.now() - row.lastSeenAt.getTime() > Math.min(SESSION_REFRESH_MS, deps.sessionTtlMs / 2)) {
    const now = new Date();
    const extended = new Date(now.getTime() + deps.sessionTtlMs);
    const refreshed = await extendSession(sql, row.id, now, extended).catch(() => false);
    if (refreshed) expiresAt = extended.getTime();
  }
  return {
    principal: {
      kind: 'user',
      user: toUser(row.user),
      via: { kind: 'session', sessionId: row.id, expiresAt },
    },
    expiresAt,
  };
}
