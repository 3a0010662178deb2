/**
 * Plugs accounts and share links into the collaboration websocket: who may open
 * `/collab/<timelineId>`, in which mode, and on which credentials (so revoking them closes the
 * connection). Refusals carry the close codes documented in lib/limits.ts and the README.
 */
import type { IncomingMessage } from 'node:http';
import { CloseCode } from '../../lib/limits';
import type { AuthorizeCollab, ConnectionGrant } from '../collab/server';
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

/** The collab server's `authorize` hook, backed by the access service. */
export function createCollabAuthorizer(
  access: Pick<AccessService, 'authenticate'>,
): AuthorizeCollab {
  return async (request, timelineId) => {
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
      expiresAt: expiryOf(principal),
    };
  };
}

/** When a connection must close because its credential stops working: links and sessions. */
function expiryOf(principal: Principal): number | undefined {
  if (principal.kind === 'link') return principal.link.expiresAt ?? undefined;
  return principal.via.kind === 'session' ? principal.via.expiresAt : undefined;
}
