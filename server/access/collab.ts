/**
 * Plugs accounts and share links into the collaboration websocket: who may open
 * `/collab/<timelineId>`, in which mode, and on which credentials (so revoking them closes the
 * connection). Refusals carry the close codes documented in lib/limits.ts and the README.
 */
import type { IncomingMessage } from 'node:http';
import { CloseCode } from '../../lib/limits';
import type { AuthorizeCollab, ConnectionGrant } from '../collab/server';
import type { ConnectionMatch } from '../events/bus';
import { isSameOrigin, readCredentials } from './credentials';
import { actorName, collabMode, type Principal } from './policy';
import type { AccessService } from './service';

function headerOf(request: IncomingMessage) {
  return {
    get(name: string): string | null {
      const value = request.headers[name.toLowerCase()];
      return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
    },
  };
}

export function grantOf(principal: Principal): ConnectionGrant {
  if (principal.kind === 'link') return { linkId: principal.link.id };
  return principal.via.kind === 'session'
    ? { userId: principal.user.id, sessionId: principal.via.sessionId }
    : { userId: principal.user.id, tokenId: principal.via.tokenId };
}

/** Which connections a grant's credential opened, as an event's match (never an empty one). */
function matchOf(grant: ConnectionGrant | undefined): ConnectionMatch | null {
  if (grant?.linkId) return { linkId: grant.linkId };
  if (grant?.sessionId) return { sessionId: grant.sessionId };
  if (grant?.tokenId) return { tokenId: grant.tokenId };
  return null;
}

/**
 * The collab server's `authorize` hook, backed by the access service.
 *
 * The server registers a connection right after this resolves. Credentials are never let in on
 * an answer overtaken by a withdrawal (tokenLookup.ts), but a withdrawal can still land in the
 * few ticks between the answer and the registration, where closing the matching connections
 * would miss this one. So when any withdrawal happened since the check began, the credential is
 * checked again once the connection is registered, and its connections are closed if it no
 * longer gives the same access.
 */
export function createCollabAuthorizer(
  access: Pick<AccessService, 'authenticate'> &
    Partial<Pick<AccessService, 'credentialGeneration' | 'closeConnectionsOf'>>,
): AuthorizeCollab {
  return async (request, timelineId) => {
    const generation = access.credentialGeneration?.();
    const result = await authorizeConnection(access, request, timelineId);
    if ('refuse' in result || generation === undefined) return result;
    setImmediate(() => {
      if (access.credentialGeneration?.() === generation) return;
      void authorizeConnection(access, request, timelineId)
        .then((again) => {
          const match = matchOf(result.grant);
          if (match && ('refuse' in again || again.mode !== result.mode)) {
            return access.closeConnectionsOf?.(match, 'access changed while connecting; reconnect');
          }
        })
        .catch(() => {}); // the database is down: the connection stays, as at any other time
    });
    return result;
  };
}

async function authorizeConnection(
  access: Pick<AccessService, 'authenticate'>,
  request: IncomingMessage,
  timelineId: string,
): ReturnType<AuthorizeCollab> {
  const headers = headerOf(request);
  const credentials = readCredentials(headers, new URL(request.url ?? '/', 'http://localhost'));
  // A page on another site must not open a connection with our user's cookie (cross-site
  // websocket hijacking): browsers always send Origin on websocket handshakes.
  if (
    credentials.session &&
    !credentials.queryToken &&
    !isSameOrigin(headers.get('origin'), headers.get('host'))
  ) {
    return { refuse: CloseCode.forbidden, reason: 'cross-site connection refused' };
  }
  const { principal, problem } = await access.authenticate(credentials, {
    queryTokenKinds: ['shareLink', 'apiToken'],
  });
  if (!principal) {
    return {
      refuse: CloseCode.unauthorized,
      reason: problem ?? 'sign in, or open the timeline with a share link',
    };
  }
  const mode = collabMode(principal, timelineId);
  if (!mode) {
    return { refuse: CloseCode.forbidden, reason: 'this share link is for another timeline' };
  }
  return {
    mode,
    grant: grantOf(principal),
    actor: actorName(principal),
    role: principal.kind === 'link' ? `link-${principal.link.role}` : principal.user.role,
    expiresAt: expiryOf(principal),
  };
}

/** When a connection must close because its credential stops working: links and sessions. */
function expiryOf(principal: Principal): number | undefined {
  if (principal.kind === 'link') return principal.link.expiresAt ?? undefined;
  return principal.via.kind === 'session' ? principal.via.expiresAt : undefined;
}
