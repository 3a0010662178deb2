/** Browser sessions: signing in (throttled), signing out, and changing one's password. */
import type { ChangePasswordBody, LoginBody, UserSummary } from '../../lib/access';
import { ForbiddenError, RateLimitError, UnauthorizedError } from '../../lib/errors';
import { createId } from '../../lib/ids';
import {
  dummyPasswordHash,
  generateToken,
  hashPassword,
  hashToken,
  verifyPassword,
} from './credentials';
import { type AccessDeps, toUserSummary, withdraw } from './deps';
import type { Principal } from './policy';

/** Opens a session for an account and returns its token (the cookie's value). */
export async function startSession(
  deps: Pick<AccessDeps, 'database' | 'sessionTtlMs'>,
  userId: string,
): Promise<string> {
  const token = generateToken('session');
  await deps.database.prisma.session.create({
    data: {
      id: createId(),
      tokenHash: hashToken(token),
      userId,
      expiresAt: new Date(Date.now() + deps.sessionTtlMs),
    },
  });
  return token;
}

/**
 * Signs in with email and password. The attempt is counted before the password is checked (see
 * throttle.ts), for unknown emails too, and released when it was right.
 */
export async function login(
  deps: AccessDeps,
  body: LoginBody,
  clientKey: string,
): Promise<{ user: UserSummary; sessionToken: string }> {
  const { throttle } = deps;
  const wait = await throttle.reserve(clientKey, body.email);
  if (wait > 0) {
    throw new RateLimitError(
      `too many failed sign-ins for this account; try again in ${minutes(wait)} min or ask an admin`,
    );
  }
  const row = await deps.database.prisma.user.findUnique({ where: { email: body.email } });
  const ok = await verifyPassword(row?.passwordHash ?? (await dummyPasswordHash()), body.password);
  if (!row || !ok) throw new UnauthorizedError('wrong email or password');
  await throttle.release(clientKey, body.email);
  return { user: toUserSummary(row), sessionToken: await startSession(deps, row.id) };
}

function minutes(ms: number): number {
  return Math.max(1, Math.ceil(ms / 60_000));
}

/** Ends the session a request was made with and closes its live connections. */
export async function logout(deps: AccessDeps, principal: Principal | null): Promise<void> {
  if (principal?.kind !== 'user' || principal.via.kind !== 'session') return;
  const { sessionId } = principal.via;
  await deps.database.prisma.session.deleteMany({ where: { id: sessionId } });
  await withdraw(deps, {
    type: 'credential.withdrawn',
    match: { sessionId },
    reason: 'signed out',
  });
}

/**
 * Changes the password of the person signed in with this session, after checking the current
 * one. Their other sessions end (and their connections close); this one stays. API tokens are
 * not affected. Only a browser session may do this, not an API token.
 */
export async function changePassword(
  deps: AccessDeps,
  principal: Principal,
  body: ChangePasswordBody,
): Promise<void> {
  if (principal.kind !== 'user' || principal.via.kind !== 'session') {
    throw new ForbiddenError('sign in with your password in the browser to change it');
  }
  const { prisma } = deps.database;
  const { user } = principal;
  const { sessionId } = principal.via;
  // Counted per account before checking, like sign-in: a stolen session must not be a way to
  // guess the password without limit.
  const wait = await deps.throttle.reservePasswordChange(user.id);
  if (wait > 0) {
    throw new RateLimitError(
      `too many wrong current passwords; try again in ${minutes(wait)} min or ask an admin`,
    );
  }
  const row = await prisma.user.findUnique({ where: { id: user.id } });
  if (!row || !(await verifyPassword(row.passwordHash, body.currentPassword))) {
    throw new ForbiddenError('your current password is not right');
  }
  await deps.throttle.releasePasswordChange(user.id);
  await prisma.$transaction([
    prisma.user.update({
      where: { id: user.id },
      data: { passwordHash: await hashPassword(body.newPassword) },
    }),
    prisma.session.deleteMany({ where: { userId: user.id, id: { not: sessionId } } }),
  ]);
  deps.logger.info('password changed; other sessions ended', { user: user.id });
  await withdraw(deps, {
    type: 'credential.withdrawn',
    match: { userId: user.id, exceptSessionId: sessionId },
    reason: 'password changed; sign in again',
  });
}
