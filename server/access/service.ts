/**
 * The access service as one object for the route handlers (through server/context.ts), the
 * websocket authorizer and the admin CLI: each member is an operation of one of the modules
 * below, bound to this instance's dependencies.
 *
 * - authentication.ts: `authenticate` (credentials → Principal), request checks, `describe`;
 *   tokenLookup.ts and credentialCache.ts behind it
 * - sessions.ts: sign-in, sign-out, password change (throttle.ts counts both) · setup.ts and
 *   setupCode.ts: the first account
 * - people.ts: accounts and roles · invites.ts · apiTokens.ts · shareLinks.ts
 *
 * Secrets (session, API, invite and share-link tokens) are random 256-bit strings handed out once;
 * only their SHA-256 is stored. Withdrawing access publishes an event on the bus
 * (server/events/bus.ts); the collaboration server closes the matching connections.
 */

import type { ConnectionMatch } from '../events/bus';
import * as apiTokens from './apiTokens';
import * as authentication from './authentication';
import { sessionCookie } from './credentials';
import { type AccessDeps, type AccessOptions, createAccessDeps, withdraw } from './deps';
import * as invites from './invites';
import * as people from './people';
import * as sessions from './sessions';
import * as setup from './setup';
import * as shareLinks from './shareLinks';

export type { Authentication } from './authentication';
export { toUserSummary } from './deps';

/** Binds an operation `(deps, ...args)` to one set of dependencies. */
function bind<Args extends unknown[], Result>(
  deps: AccessDeps,
  operation: (deps: AccessDeps, ...args: Args) => Result,
): (...args: Args) => Result {
  return (...args) => operation(deps, ...args);
}

export type AccessService = ReturnType<typeof createAccessService>;

/**
 * Creates the access service of one instance; withdrawals are published on `bus`. `host` decides
 * whether setup needs a one-time code (setupCode.ts).
 */
export function createAccessService(options: AccessOptions) {
  const deps = createAccessDeps(options);
  return {
    isSetupRequired: bind(deps, setup.isSetupRequired),
    readSetupCode: bind(deps, setup.readSetupCode),
    sessionCookie,
    authenticate: bind(deps, authentication.authenticate),
    /** Counts withdrawals (credentialCache.ts); the websocket compares it around a connection. */
    credentialGeneration: () => deps.cache.generation(),
    /** Closes the connections opened with a credential that turned out not to be valid. */
    closeConnectionsOf: (match: ConnectionMatch, reason: string) =>
      withdraw(deps, { type: 'credential.withdrawn', match, reason }),
    authenticateRequest: bind(deps, authentication.authenticateRequest),
    authorizeRequest: bind(deps, authentication.authorizeRequest),
    describe: bind(deps, authentication.describeViewer),
    setup: bind(deps, setup.setUpInstance),
    login: bind(deps, sessions.login),
    changePassword: bind(deps, sessions.changePassword),
    logout: bind(deps, sessions.logout),
    listUsers: bind(deps, people.listUsers),
    changeRole: bind(deps, people.changeRole),
    removeUser: bind(deps, people.removeUser),
    createUser: bind(deps, people.createUser),
    createInvite: bind(deps, invites.createInvite),
    listInvites: bind(deps, invites.listInvites),
    revokeInvite: bind(deps, invites.revokeInvite),
    previewInvite: bind(deps, invites.previewInvite),
    acceptInvite: bind(deps, invites.acceptInvite),
    createApiToken: bind(deps, apiTokens.createApiToken),
    createApiTokenFor: bind(deps, apiTokens.createApiTokenFor),
    listApiTokens: bind(deps, apiTokens.listApiTokens),
    revokeApiToken: bind(deps, apiTokens.revokeApiToken),
    createShareLink: bind(deps, shareLinks.createShareLink),
    listShareLinks: bind(deps, shareLinks.listShareLinks),
    revokeShareLink: bind(deps, shareLinks.revokeShareLink),
  };
}
