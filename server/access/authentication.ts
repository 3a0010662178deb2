/**
 * The one `authenticate` that turns presented credentials into a Principal for REST, pages and
 * the websocket, and the request-level checks built on it.
 */
import type { Viewer } from '../../lib/access';
import { UnauthorizedError } from '../../lib/errors';
import { isSameOrigin, type PresentedCredentials, readCredentials, tokenKind } from './credentials';
import { type AccessDeps, toUserSummary } from './deps';
import { type Permission, type Principal, requirePermission } from './policy';
import { isSetupRequired } from './setup';
import { authenticateToken } from './tokenLookup';

/** The outcome of reading credentials: who, or why nobody (a message for the 401). */
export interface Authentication {
  principal: Principal | null;
  /** Set when credentials were presented but are not valid (expired, revoked, unknown). */
  problem?: string;
}

/** The parts of an HTTP request authentication reads. */
export interface RequestLike {
  method: string;
  url: string;
  headers: { get(name: string): string | null };
}

type AuthenticationDeps = Pick<AccessDeps, 'database' | 'cache' | 'logger' | 'sessionTtlMs'>;

/**
 * Who presents these credentials. An `Authorization: Bearer` header wins, then `?token=`
 * (share links in REST; share links and API tokens on the websocket), then the session cookie.
 * Session tokens are accepted only from the cookie, so they never appear in URLs or scripts.
 */
export async function authenticate(
  deps: AuthenticationDeps,
  credentials: PresentedCredentials,
  options: { queryTokenKinds?: ReadonlyArray<'shareLink' | 'apiToken'> } = {},
): Promise<Authentication> {
  const allowedInQuery = options.queryTokenKinds ?? ['shareLink'];
  if (credentials.bearer) {
    const kind = tokenKind(credentials.bearer);
    if (kind !== 'apiToken' && kind !== 'shareLink') {
      return {
        principal: null,
        problem: 'the bearer token must be an API token (cbt_…) or a share link token (cbl_…)',
      };
    }
    return authenticateToken(deps, credentials.bearer);
  }
  if (credentials.queryToken) {
    const kind = tokenKind(credentials.queryToken);
    if (!kind || !(allowedInQuery as string[]).includes(kind)) {
      return { principal: null, problem: 'this kind of token is not accepted in the URL' };
    }
    return authenticateToken(deps, credentials.queryToken);
  }
  if (credentials.session && tokenKind(credentials.session) === 'session') {
    return authenticateToken(deps, credentials.session);
  }
  return { principal: null };
}

/**
 * Authenticates an HTTP request (REST or page). A session cookie on a state-changing request
 * from another site is ignored (cross-site request forgery), so such requests get a 401.
 */
export async function authenticateRequest(
  deps: AuthenticationDeps,
  request: RequestLike,
): Promise<Authentication> {
  const credentials = readCredentials(request.headers, new URL(request.url, 'http://localhost'));
  const safeMethod = request.method === 'GET' || request.method === 'HEAD';
  if (
    credentials.session &&
    !safeMethod &&
    !isSameOrigin(request.headers.get('origin'), request.headers.get('host'))
  ) {
    credentials.session = undefined;
  }
  return authenticate(deps, credentials);
}

/**
 * Authenticates a request and checks one permission (for a timeline where it applies):
 * returns the principal (null for anonymous calls to public routes) or throws 401/403.
 */
export async function authorizeRequest(
  deps: AuthenticationDeps,
  request: RequestLike,
  permission: Permission,
  timelineId?: string,
): Promise<Principal | null> {
  let authentication: Authentication;
  try {
    authentication = await authenticateRequest(deps, request);
  } catch (error) {
    // Public routes (health above all) must answer while credentials cannot be checked.
    if (permission !== 'public') throw error;
    authentication = { principal: null };
  }
  const { principal, problem } = authentication;
  if (!principal && problem && permission !== 'public') throw new UnauthorizedError(problem);
  requirePermission(principal, permission, timelineId);
  return principal;
}

/** What `GET /api/auth/me` reports for a principal. */
export async function describeViewer(
  deps: Pick<AccessDeps, 'database' | 'setup'>,
  principal: Principal | null,
): Promise<Viewer> {
  if (principal?.kind === 'user') {
    return { kind: 'user', user: toUserSummary(principal.user), setupRequired: false };
  }
  if (principal?.kind === 'link') {
    const { id, timelineId, role } = principal.link;
    return { kind: 'link', link: { id, timelineId, role }, setupRequired: false };
  }
  const setupRequired = await isSetupRequired(deps);
  // Only mentioned when it applies: the answer stays as it was for every other instance.
  const codeRequired = setupRequired && deps.setup.code !== null;
  return { kind: 'anonymous', setupRequired, ...(codeRequired ? { setupCodeRequired: true } : {}) };
}
