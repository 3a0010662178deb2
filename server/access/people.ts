/** People and roles: listing accounts, changing a role, removing an account, the CLI's create. */
import { canWrite, type LinkRole, type Role, type UserSummary } from '../../lib/access';
import { ConflictError, NotFoundError } from '../../lib/errors';
import type { Prisma } from '../db/generated/client.ts';
import { generatePassword } from './credentials';
import { type AccessDeps, createUserRow, toUserSummary, type UserRow, withdraw } from './deps';
import { claimSetup } from './setup';
import { suspendLinksOf, withdrawSuspendedLinks } from './shareLinks';

/** Every account, oldest first. */
export async function listUsers(deps: Pick<AccessDeps, 'database'>): Promise<UserSummary[]> {
  const rows = await deps.database.prisma.user.findMany({ orderBy: { createdAt: 'asc' } });
  return rows.map(toUserSummary);
}

/**
 * Runs `work` on one account in a transaction that keeps every admin row locked from the count
 * to the change: two admins demoting or removing each other at the same moment cannot leave the
 * workspace without one. 404 when the account does not exist.
 */
async function changeWithAdminsLocked<T>(
  deps: Pick<AccessDeps, 'database'>,
  userId: string,
  work: (tx: Prisma.TransactionClient, row: UserRow, adminCount: number) => Promise<T>,
): Promise<T> {
  return deps.database.prisma.$transaction(async (tx) => {
    const admins = await tx.$queryRaw<
      { id: string }[]
    >`SELECT "id" FROM "User" WHERE "role" = 'admin' FOR UPDATE`;
    const row = await tx.user.findUnique({ where: { id: userId } });
    if (!row) throw new NotFoundError('no such account');
    return work(tx, row, admins.length);
  });
}

/** The link roles an account role may no longer back: an edit link needs an editor or admin. */
function linkRolesBeyond(role: Role): LinkRole[] {
  return canWrite(role) ? [] : ['edit'];
}

/**
 * Gives an account another role; its live connections reopen with the new one. A demotion below
 * a link's role suspends the links the account made (they would otherwise keep granting what
 * their maker no longer has); promoting it again does not restore them.
 */
export async function changeRole(
  deps: AccessDeps,
  actorId: string,
  userId: string,
  role: Role,
): Promise<UserSummary> {
  const reason = `its maker's role is now ${role}`;
  const { row, updated, suspended } = await changeWithAdminsLocked(
    deps,
    userId,
    async (tx, row, admins) => {
      if (row.role === 'admin' && role !== 'admin' && admins <= 1) {
        throw new ConflictError('at least one admin must remain; make someone else admin first');
      }
      const updated = await tx.user.update({ where: { id: userId }, data: { role } });
      const suspended = await suspendLinksOf(tx, userId, linkRolesBeyond(role), reason);
      return { row, updated, suspended };
    },
  );
  if (row.role !== role) {
    deps.logger.info('role changed', { by: actorId, user: userId, from: row.role, to: role });
    await withdraw(deps, { type: 'role.changed', userId, from: row.role, to: role });
  }
  await withdrawSuspendedLinks(deps, suspended, reason);
  return toUserSummary(updated);
}

/**
 * Deletes an account with its sessions and API tokens, suspends the share links it made, and
 * closes the connections opened with any of them.
 */
export async function removeUser(deps: AccessDeps, actorId: string, userId: string) {
  if (actorId === userId)
    throw new ConflictError('you cannot remove your own account; ask another admin');
  const reason = 'its maker was removed';
  const suspended = await changeWithAdminsLocked(deps, userId, async (tx, row, admins) => {
    if (row.role === 'admin' && admins <= 1) {
      throw new ConflictError('at least one admin must remain');
    }
    await tx.user.delete({ where: { id: userId } });
    return suspendLinksOf(tx, userId, ['view', 'edit'], reason);
  });
  deps.logger.info('account removed', { by: actorId, user: userId });
  await withdraw(deps, { type: 'account.removed', userId });
  await withdrawSuspendedLinks(deps, suspended, reason);
}

/** For `npm run admin -- create-user`: creates an account with a generated password. */
export async function createUser(
  deps: AccessDeps,
  input: { email: string; name?: string; role: Role },
): Promise<{ user: UserSummary; password: string }> {
  const password = generatePassword();
  const user = await createUserRow(deps, {
    email: input.email,
    name: input.name ?? input.email.split('@')[0]!,
    password,
    role: input.role,
  });
  if (!deps.setup.done) {
    await claimSetup(deps);
    deps.setup.done = true;
  }
  return { user: toUserSummary(user), password };
}
