/**
 * Accounts, sessions, invites, API tokens and share links, and the one `authenticate` that turns
 * presented credentials into a Principal for REST, pages and the websocket.
 *
 * Secrets (session, API, invite and share-link tokens) are random 256-bit strings handed out once;
 * only their SHA-256 is stored. Revoking anything that a live websocket was opened with closes that
 * connection through `closeConnections`.
 */
import {
  type AcceptInviteBody,
  type ApiTokenSummary,
  type ChangePasswordBody,
  type CreatedSecret,
  type CreateInviteBody,
  type CreateLinkBody,
  type InviteSummary,
  invitePath,
  type LinkRole,
  type LoginBody,
  Role,
  type SetupBody,
  type ShareLinkSummary,
  shareLinkPath,
  type UserSummary,
  type Viewer,
} from '../../lib/access';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RateLimitError,
  UnauthorizedError,
  UnavailableError,
} from '../../lib/errors';
import { createId } from '../../lib/ids';
import { CloseCode } from '../../lib/limits';
import type { CollabServer, ConnectionGrant } from '../collab/server';
import type { Database } from '../db/database';
import type { Logger } from '../log';
import {
  dummyPasswordHash,
  generatePassword,
  generateToken,
  hashPassword,
  hashToken,
  isSameOrigin,
  type PresentedCredentials,
  readCredentials,
  SESSION_TTL_MS,
  sessionCookie,
  tokenKind,
  verifyPassword,
} from './credentials';
import { type Permission, type Principal, requirePermission } from './policy';
import { SignInThrottle } from './throttle';

/** Closes the live websocket connections whose grant matches (the collab server's). */
export type CloseConnections = CollabServer['closeConnections'];

/** The outcome of reading credentials: who, or why nobody (a message for the 401). */
export interface Authentication {
  principal: Principal | null;
  /** Set when credentials were presented but are not valid (expired, revoked, unknown). */
  problem?: string;
}

/** Refresh a session's expiry at most this often (not on every request). */
const SESSION_REFRESH_MS = 24 * 60 * 60 * 1000;
const SETUP_KEY = 'setup.completed';
/** How long verified credentials are trusted without asking the database again. */
const VERIFIED_FRESH_MS = 30_000;
/** How long they are still trusted while the database cannot be asked. */
const VERIFIED_STALE_MS = 15 * 60_000;
const MAX_VERIFIED = 10_000;

type UserRow = {
  id: string;
  email: string;
  name: string;
  role: string;
  createdAt: Date;
};

/** The public fields of an account, picked one by one: never the password hash. */
function toUser(row: UserRow): Extract<Principal, { kind: 'user' }>['user'] {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: Role.parse(row.role),
    createdAt: row.createdAt,
  };
}

export function toUserSummary(user: UserRow): UserSummary {
  return { ...toUser(user), createdAt: user.createdAt.toISOString() };
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'P2002';
}

export type AccessService = ReturnType<typeof createAccessService>;

export function createAccessService(options: {
  database: Database;
  logger: Logger;
  closeConnections?: CloseConnections;
}) {
  const { prisma } = options.database;
  const { logger } = options;
  const closeConnections: CloseConnections = options.closeConnections ?? (() => 0);
  let setupDone = false;
  const throttle = new SignInThrottle();

  async function isSetupRequired(): Promise<boolean> {
    if (setupDone) return false;
    setupDone = (await prisma.user.count()) > 0;
    return !setupDone;
  }

  /** Marks the instance as set up; false if it already was (the row exists). */
  async function claimSetup(): Promise<boolean> {
    try {
      await prisma.appSetting.create({
        data: { key: SETUP_KEY, value: new Date().toISOString() },
      });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async function startSession(userId: string): Promise<string> {
    const token = generateToken('session');
    await prisma.session.create({
      data: {
        id: createId(),
        tokenHash: hashToken(token),
        userId,
        expiresAt: new Date(Date.now() + SESSION_TTL_MS),
      },
    });
    return token;
  }

  async function createUserRow(input: {
    email: string;
    name: string;
    password: string;
    role: Role;
  }): Promise<UserRow> {
    try {
      return await prisma.user.create({
        data: {
          id: createId(),
          email: input.email,
          name: input.name,
          role: input.role,
          passwordHash: await hashPassword(input.password),
        },
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ConflictError(`an account for ${input.email} already exists`);
      throw error;
    }
  }

  function linkStatus(row: { expiresAt: Date | null; revokedAt: Date | null }) {
    if (row.revokedAt) return 'revoked' as const;
    if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) return 'expired' as const;
    return 'active' as const;
  }

  /**
   * Recently verified credentials, by token hash. Saves a query per request, and keeps people who
   * were working able to reconnect while the database is briefly unreachable (their edits are then
   * held in memory, see collab/persistence.ts). Cleared whenever access is withdrawn, so a revoked
   * link or removed account stops working at once. One instance only: with several instances the
   * withdrawal must be broadcast (README, scaling).
   */
  const verified = new Map<
    string,
    { principal: Principal; at: number; expiresAt: number | null }
  >();

  /**
   * Access was withdrawn (revoked, signed out, removed, role changed): forget every verified
   * credential, so nothing withdrawn is served from memory, and close the live connections that
   * match. Returns how many were closed.
   */
  function withdraw(match: (grant: ConnectionGrant) => boolean, code: number, reason: string) {
    verified.clear();
    return closeConnections(match, code, reason);
  }

  async function authenticateToken(token: string): Promise<Authentication> {
    const tokenHash = hashToken(token);
    const cached = verified.get(tokenHash);
    const now = Date.now();
    const usable = cached && (cached.expiresAt === null || cached.expiresAt > now);
    if (usable && now - cached.at < VERIFIED_FRESH_MS) return { principal: cached.principal };
    try {
      const { expiresAt, ...result } = await lookUpToken(token, tokenHash);
      if (result.principal) {
        if (verified.size >= MAX_VERIFIED) verified.clear();
        verified.set(tokenHash, { principal: result.principal, at: now, expiresAt });
      } else {
        verified.delete(tokenHash);
      }
      return result;
    } catch (error) {
      if (usable && now - cached.at < VERIFIED_STALE_MS) return { principal: cached.principal };
      logger.warn('could not check credentials', { error });
      throw new UnavailableError(
        'credentials cannot be checked right now (database unreachable); retry shortly',
      );
    }
  }

  /** Looks up one presented token; returns the principal or why it is not valid. */
  async function lookUpToken(
    token: string,
    tokenHash: string,
  ): Promise<Authentication & { expiresAt: number | null }> {
    const kind = tokenKind(token);
    if (kind === 'apiToken') {
      const row = await prisma.apiToken.findUnique({
        where: { tokenHash },
        include: { user: true },
      });
      if (!row)
        return {
          principal: null,
          problem: 'this API token is not valid (revoked?)',
          expiresAt: null,
        };
      if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
        await prisma.apiToken
          .update({ where: { id: row.id }, data: { lastUsedAt: new Date() } })
          .catch(() => {});
      }
      return {
        principal: {
          kind: 'user',
          user: toUser(row.user),
          via: { kind: 'token', tokenId: row.id },
        },
        expiresAt: null,
      };
    }
    if (kind === 'shareLink') {
      const row = await prisma.shareLink.findUnique({ where: { tokenHash } });
      if (!row)
        return { principal: null, problem: 'this share link is not valid', expiresAt: null };
      const status = linkStatus(row);
      if (status !== 'active') {
        return {
          principal: null,
          problem: `this share link has ${status === 'revoked' ? 'been revoked' : 'expired'}; ask the person who shared it for a new one`,
          expiresAt: null,
        };
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
    if (kind === 'session') {
      const row = await prisma.session.findUnique({
        where: { tokenHash },
        include: { user: true },
      });
      if (!row || row.expiresAt.getTime() <= Date.now()) {
        return {
          principal: null,
          problem: 'your session has ended; sign in again',
          expiresAt: null,
        };
      }
      if (Date.now() - row.lastSeenAt.getTime() > SESSION_REFRESH_MS) {
        const now = new Date();
        await prisma.session
          .update({
            where: { id: row.id },
            data: { lastSeenAt: now, expiresAt: new Date(now.getTime() + SESSION_TTL_MS) },
          })
          .catch(() => {});
      }
      return {
        principal: {
          kind: 'user',
          user: toUser(row.user),
          via: { kind: 'session', sessionId: row.id },
        },
        expiresAt: row.expiresAt.getTime(),
      };
    }
    return { principal: null, problem: 'unrecognised token', expiresAt: null };
  }

  /** The role an invite token grants, or an error the accept page shows. */
  async function previewInvite(token: string): Promise<{ role: Role; expiresAt: string }> {
    const row = await prisma.invite.findUnique({ where: { tokenHash: hashToken(token) } });
    if (!row) throw new NotFoundError('this invite link is not valid; ask an admin for a new one');
    if (row.usedAt) throw new ConflictError('this invite has already been used; sign in instead');
    if (row.expiresAt.getTime() <= Date.now())
      throw new ConflictError('this invite has expired; ask an admin for a new one');
    return { role: Role.parse(row.role), expiresAt: row.expiresAt.toISOString() };
  }

  async function createApiToken(userId: string, name: string): Promise<CreatedSecret> {
    const token = generateToken('apiToken');
    const id = createId();
    await prisma.apiToken.create({ data: { id, tokenHash: hashToken(token), userId, name } });
    return { id, token };
  }

  return {
    isSetupRequired,
    sessionCookie,

    /**
     * Who presents these credentials. An `Authorization: Bearer` header wins, then `?token=`
     * (share links in REST; share links and API tokens on the websocket), then the session cookie.
     * Session tokens are accepted only from the cookie, so they never appear in URLs or scripts.
     */
    async authenticate(
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
        return authenticateToken(credentials.bearer);
      }
      if (credentials.queryToken) {
        const kind = tokenKind(credentials.queryToken);
        if (!kind || !(allowedInQuery as string[]).includes(kind)) {
          return { principal: null, problem: 'this kind of token is not accepted in the URL' };
        }
        return authenticateToken(credentials.queryToken);
      }
      if (credentials.session && tokenKind(credentials.session) === 'session') {
        const result = await authenticateToken(credentials.session);
        return result;
      }
      return { principal: null };
    },

    /**
     * Authenticates an HTTP request (REST or page). A session cookie on a state-changing request
     * from another site is ignored (cross-site request forgery), so such requests get a 401.
     */
    async authenticateRequest(request: {
      method: string;
      url: string;
      headers: { get(name: string): string | null };
    }): Promise<Authentication> {
      const credentials = readCredentials(
        request.headers,
        new URL(request.url, 'http://localhost'),
      );
      const safeMethod = request.method === 'GET' || request.method === 'HEAD';
      if (
        credentials.session &&
        !safeMethod &&
        !isSameOrigin(request.headers.get('origin'), request.headers.get('host'))
      ) {
        credentials.session = undefined;
      }
      return this.authenticate(credentials);
    },

    /**
     * Authenticates a request and checks one permission (for a timeline where it applies):
     * returns the principal (null for anonymous calls to public routes) or throws 401/403.
     */
    async authorizeRequest(
      request: { method: string; url: string; headers: { get(name: string): string | null } },
      permission: Permission,
      timelineId?: string,
    ): Promise<Principal | null> {
      let authentication: Authentication;
      try {
        authentication = await this.authenticateRequest(request);
      } catch (error) {
        // Public routes (health above all) must answer while credentials cannot be checked.
        if (permission !== 'public') throw error;
        authentication = { principal: null };
      }
      const { principal, problem } = authentication;
      if (!principal && problem && permission !== 'public') throw new UnauthorizedError(problem);
      requirePermission(principal, permission, timelineId);
      return principal;
    },

    /** What `GET /api/auth/me` reports for a principal. */
    async describe(principal: Principal | null): Promise<Viewer> {
      if (principal?.kind === 'user') {
        return { kind: 'user', user: toUserSummary(principal.user), setupRequired: false };
      }
      if (principal?.kind === 'link') {
        const { id, timelineId, role } = principal.link;
        return { kind: 'link', link: { id, timelineId, role }, setupRequired: false };
      }
      return { kind: 'anonymous', setupRequired: await isSetupRequired() };
    },

    /** Creates the first account (admin) of a fresh instance and signs it in. */
    async setup(body: SetupBody): Promise<{ user: UserSummary; sessionToken: string }> {
      if (!(await isSetupRequired()))
        throw new ConflictError('this instance is already set up; sign in instead');
      // The setting row is the lock: of two concurrent setups, one claim fails.
      if (!(await claimSetup()))
        throw new ConflictError('this instance is already set up; sign in instead');
      let user: UserRow;
      try {
        user = await createUserRow({ ...body, role: 'admin' });
      } catch (error) {
        // Release the claim, or the instance would count as set up with nobody able to sign in.
        await prisma.appSetting.deleteMany({ where: { key: SETUP_KEY } }).catch(() => {});
        throw error;
      }
      setupDone = true;
      logger.info('first account created (admin)', { user: user.id });
      return { user: toUserSummary(user), sessionToken: await startSession(user.id) };
    },

    async login(
      body: LoginBody,
      clientKey: string,
    ): Promise<{ user: UserSummary; sessionToken: string }> {
      const wait = throttle.retryAfter(clientKey, body.email);
      if (wait > 0) {
        throw new RateLimitError(
          `too many failed sign-ins for this account; try again in ${Math.ceil(wait / 60_000)} min or ask an admin`,
        );
      }
      const row = await prisma.user.findUnique({ where: { email: body.email } });
      const ok = await verifyPassword(
        row?.passwordHash ?? (await dummyPasswordHash()),
        body.password,
      );
      if (!row || !ok) {
        throttle.recordFailure(clientKey, body.email);
        throw new UnauthorizedError('wrong email or password');
      }
      throttle.recordSuccess(clientKey, body.email);
      return { user: toUserSummary(row), sessionToken: await startSession(row.id) };
    },

    /**
     * Changes the password of the person signed in with this session, after checking the current
     * one. Their other sessions end (and their connections close); this one stays. API tokens are
     * not affected. Only a browser session may do this, not an API token.
     */
    async changePassword(principal: Principal, body: ChangePasswordBody): Promise<void> {
      if (principal.kind !== 'user' || principal.via.kind !== 'session') {
        throw new ForbiddenError('sign in with your password in the browser to change it');
      }
      const { user } = principal;
      const { sessionId } = principal.via;
      const row = await prisma.user.findUnique({ where: { id: user.id } });
      if (!row || !(await verifyPassword(row.passwordHash, body.currentPassword))) {
        throw new ForbiddenError('your current password is not right');
      }
      await prisma.$transaction([
        prisma.user.update({
          where: { id: user.id },
          data: { passwordHash: await hashPassword(body.newPassword) },
        }),
        prisma.session.deleteMany({ where: { userId: user.id, id: { not: sessionId } } }),
      ]);
      logger.info('password changed; other sessions ended', { user: user.id });
      withdraw(
        (grant) =>
          grant.userId === user.id &&
          grant.sessionId !== undefined &&
          grant.sessionId !== sessionId,
        CloseCode.unauthorized,
        'password changed; sign in again',
      );
    },

    /** Ends the session a request was made with and closes its live connections. */
    async logout(principal: Principal | null): Promise<void> {
      if (principal?.kind !== 'user' || principal.via.kind !== 'session') return;
      const { sessionId } = principal.via;
      await prisma.session.deleteMany({ where: { id: sessionId } });
      withdraw((grant) => grant.sessionId === sessionId, CloseCode.unauthorized, 'signed out');
    },

    // -- people ---------------------------------------------------------------------------------

    async listUsers(): Promise<UserSummary[]> {
      const rows = await prisma.user.findMany({ orderBy: { createdAt: 'asc' } });
      return rows.map(toUserSummary);
    },

    async changeRole(actorId: string, userId: string, role: Role): Promise<UserSummary> {
      // The admin rows stay locked from the count to the update: two admins demoting each other
      // at the same moment cannot leave the workspace without one.
      const { row, updated } = await prisma.$transaction(async (tx) => {
        const admins = await tx.$queryRaw<
          { id: string }[]
        >`SELECT "id" FROM "User" WHERE "role" = 'admin' FOR UPDATE`;
        const row = await tx.user.findUnique({ where: { id: userId } });
        if (!row) throw new NotFoundError('no such account');
        if (row.role === 'admin' && role !== 'admin' && admins.length <= 1) {
          throw new ConflictError('at least one admin must remain; make someone else admin first');
        }
        return { row, updated: await tx.user.update({ where: { id: userId }, data: { role } }) };
      });
      if (row.role !== role) {
        logger.info('role changed', { by: actorId, user: userId, from: row.role, to: role });
        // Live connections were opened with the old role; they reconnect with the new one.
        withdraw((grant) => grant.userId === userId, CloseCode.accessChanged, 'your role changed');
      }
      return toUserSummary(updated);
    },

    /** Deletes an account with its sessions and API tokens, and closes its connections. */
    async removeUser(actorId: string, userId: string): Promise<void> {
      if (actorId === userId)
        throw new ConflictError('you cannot remove your own account; ask another admin');
      await prisma.$transaction(async (tx) => {
        const admins = await tx.$queryRaw<
          { id: string }[]
        >`SELECT "id" FROM "User" WHERE "role" = 'admin' FOR UPDATE`;
        const row = await tx.user.findUnique({ where: { id: userId } });
        if (!row) throw new NotFoundError('no such account');
        if (row.role === 'admin' && admins.length <= 1) {
          throw new ConflictError('at least one admin must remain');
        }
        await tx.user.delete({ where: { id: userId } });
      });
      logger.info('account removed', { by: actorId, user: userId });
      withdraw((grant) => grant.userId === userId, CloseCode.unauthorized, 'account removed');
    },

    /** For `npm run admin -- create-user`: creates an account with a generated password. */
    async createUser(input: {
      email: string;
      name?: string;
      role: Role;
    }): Promise<{ user: UserSummary; password: string }> {
      const password = generatePassword();
      const user = await createUserRow({
        email: input.email,
        name: input.name ?? input.email.split('@')[0]!,
        password,
        role: input.role,
      });
      if (!setupDone) {
        await claimSetup();
        setupDone = true;
      }
      return { user: toUserSummary(user), password };
    },

    // -- invites --------------------------------------------------------------------------------

    async createInvite(actorId: string, body: CreateInviteBody): Promise<CreatedSecret> {
      const token = generateToken('invite');
      const id = createId();
      await prisma.invite.create({
        data: {
          id,
          tokenHash: hashToken(token),
          role: body.role,
          createdById: actorId,
          expiresAt: new Date(Date.now() + body.expiresInDays * 24 * 60 * 60 * 1000),
        },
      });
      return { id, token, url: invitePath(token) };
    },

    async listInvites(): Promise<InviteSummary[]> {
      const rows = await prisma.invite.findMany({ orderBy: { createdAt: 'desc' }, take: 200 });
      return rows.map((row) => ({
        id: row.id,
        role: Role.parse(row.role),
        createdAt: row.createdAt.toISOString(),
        expiresAt: row.expiresAt.toISOString(),
        usedAt: row.usedAt?.toISOString() ?? null,
      }));
    },

    async revokeInvite(id: string): Promise<void> {
      const { count } = await prisma.invite.deleteMany({ where: { id, usedAt: null } });
      if (count === 0) throw new NotFoundError('no open invite with this id');
    },

    previewInvite,

    async acceptInvite(
      body: AcceptInviteBody,
    ): Promise<{ user: UserSummary; sessionToken: string }> {
      const { role } = await previewInvite(body.token);
      const tokenHash = hashToken(body.token);
      const user = await createUserRow({ ...body, role });
      // Claim the invite only if nobody else did in the meantime; otherwise undo the account.
      const { count } = await prisma.invite.updateMany({
        where: { tokenHash, usedAt: null },
        data: { usedAt: new Date(), usedById: user.id },
      });
      if (count === 0) {
        await prisma.user.delete({ where: { id: user.id } });
        throw new ConflictError('this invite has already been used; sign in instead');
      }
      logger.info('invite accepted', { user: user.id, role });
      return { user: toUserSummary(user), sessionToken: await startSession(user.id) };
    },

    // -- API tokens -----------------------------------------------------------------------------

    createApiToken,

    /** For `npm run admin -- create-token <email>`. */
    async createApiTokenFor(email: string, name: string): Promise<CreatedSecret> {
      const row = await prisma.user.findUnique({ where: { email: email.trim().toLowerCase() } });
      if (!row)
        throw new NotFoundError(`no account for ${email}; create it with create-user first`);
      return createApiToken(row.id, name);
    },

    async listApiTokens(userId: string): Promise<ApiTokenSummary[]> {
      const rows = await prisma.apiToken.findMany({
        where: { userId },
        orderBy: { createdAt: 'desc' },
      });
      return rows.map((row) => ({
        id: row.id,
        name: row.name,
        createdAt: row.createdAt.toISOString(),
        lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
      }));
    },

    async revokeApiToken(userId: string, tokenId: string): Promise<void> {
      const { count } = await prisma.apiToken.deleteMany({ where: { id: tokenId, userId } });
      if (count === 0) throw new NotFoundError('no API token of yours with this id');
      withdraw((grant) => grant.tokenId === tokenId, CloseCode.unauthorized, 'API token revoked');
    },

    // -- share links ----------------------------------------------------------------------------

    async createShareLink(
      timelineId: string,
      body: CreateLinkBody,
      createdById: string | null,
    ): Promise<CreatedSecret> {
      const timeline = await prisma.timeline.findUnique({ where: { id: timelineId } });
      if (!timeline) throw new NotFoundError(`timeline ${timelineId} not found`);
      const token = generateToken('shareLink');
      const id = createId();
      await prisma.shareLink.create({
        data: {
          id,
          tokenHash: hashToken(token),
          timelineId,
          role: body.role,
          label: body.label || null,
          createdById,
          expiresAt: body.expiresAt ? new Date(body.expiresAt) : null,
        },
      });
      return { id, token, url: shareLinkPath(timelineId, token) };
    },

    async listShareLinks(timelineId: string): Promise<ShareLinkSummary[]> {
      const rows = await prisma.shareLink.findMany({
        where: { timelineId },
        orderBy: { createdAt: 'desc' },
      });
      return rows.map((row) => ({
        id: row.id,
        timelineId: row.timelineId,
        role: row.role as LinkRole,
        label: row.label,
        createdAt: row.createdAt.toISOString(),
        expiresAt: row.expiresAt?.toISOString() ?? null,
        revokedAt: row.revokedAt?.toISOString() ?? null,
        status: linkStatus(row),
      }));
    },

    /** Revokes a link: it stops working at once and its open connections are closed. */
    async revokeShareLink(timelineId: string, linkId: string): Promise<{ closed: number }> {
      const { count } = await prisma.shareLink.updateMany({
        where: { id: linkId, timelineId },
        data: { revokedAt: new Date() },
      });
      if (count === 0) throw new NotFoundError('no share link with this id on this timeline');
      const closed = withdraw(
        (grant) => grant.linkId === linkId,
        CloseCode.unauthorized,
        'share link revoked',
      );
      logger.info('share link revoked', { timeline: timelineId, link: linkId, closed });
      return { closed };
    },
  };
}
