/**
 * The collaboration side of access changes: when credentials are withdrawn, a role changes, an
 * account is removed or a share link revoked, the live connections opened with them close, with
 * the codes documented in lib/limits.ts. Access only publishes what happened (server/events/bus.ts);
 * which connections that ends, and how, is decided here.
 */
import { CloseCode } from '../../lib/limits';
import type { ConnectionMatch, EventBus } from '../events/bus';
import type { CollabServer, ConnectionGrant } from './server';

/** Whether a connection's grant is one of those an event's match describes. */
export function matchesGrant(match: ConnectionMatch, grant: ConnectionGrant): boolean {
  if (match.userId !== undefined && grant.userId !== match.userId) return false;
  if (match.sessionId !== undefined && grant.sessionId !== match.sessionId) return false;
  if (match.tokenId !== undefined && grant.tokenId !== match.tokenId) return false;
  if (match.linkId !== undefined && grant.linkId !== match.linkId) return false;
  if (match.exceptSessionId !== undefined) {
    if (grant.sessionId === undefined || grant.sessionId === match.exceptSessionId) return false;
  }
  return true;
}

/**
 * Subscribes the collaboration server to the access events; returns the function that
 * unsubscribes. Each handler returns how many connections it closed on this instance.
 */
export function subscribeCollabToAccessEvents(
  bus: EventBus,
  collab: Pick<CollabServer, 'closeConnections'>,
): () => void {
  const unsubscribers = [
    bus.subscribe('credential.withdrawn', ({ match, reason }) =>
      collab.closeConnections(
        (grant) => matchesGrant(match, grant),
        CloseCode.unauthorized,
        reason,
      ),
    ),
    // Live connections were opened with the old role; they reconnect with the new one.
    bus.subscribe('role.changed', ({ userId }) =>
      collab.closeConnections(
        (grant) => grant.userId === userId,
        CloseCode.accessChanged,
        'your role changed',
      ),
    ),
    bus.subscribe('account.removed', ({ userId }) =>
      collab.closeConnections(
        (grant) => grant.userId === userId,
        CloseCode.unauthorized,
        'account removed',
      ),
    ),
    bus.subscribe('link.revoked', ({ linkId }) =>
      collab.closeConnections(
        (grant) => grant.linkId === linkId,
        CloseCode.unauthorized,
        'share link revoked',
      ),
    ),
  ];
  return () => {
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}
