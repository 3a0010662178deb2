/** Invites: an admin hands out a one-time link that creates an account with a given role. */
import {
  type AcceptInviteBody,
  type CreatedSecret,
  type CreateInviteBody,
  type InviteSummary,
  invitePath,
  Role,
  type UserSummary,
} from '../../lib/access';
import { ConflictError, NotFoundError } from '../../lib/errors';
import { createId } from '../../lib/ids';
import { generateToken, hashToken } from './credentials';
import { type AccessDeps, createUserRow, toUserSummary } from './deps';
import { startSession } from './sessions';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Creates an invite; its token is returned once, in the link to hand out. */
export async function createInvite(
  deps: Pick<AccessDeps, 'database'>,
  actorId: string,
  body: CreateInviteBody,
): Promise<CreatedSecret> {
  const token = generateToken('invite');
  const id = createId();
  await deps.database.prisma.invite.create({
    data: {
      id,
      tokenHash: hashToken(token),
      role: body.role,
      createdById: actorId,
      expiresAt: new Date(Date.now() + body.expiresInDays * DAY_MS),
    },
  });
  return { id, token, url: invitePath(token) };
}

/** The latest invites (at most 200), newest first, used or not. */
export async function listInvites(deps: Pick<AccessDeps, 'database'>): Promise<InviteSummary[]> {
  const rows = await deps.database.prisma.invite.findMany({
    orderBy: { createdAt: 'desc' },
    take: 200,
  });
  return rows.map((row) => ({
    id: row.id,
    role: Role.parse(row.role),
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    usedAt: row.usedAt?.toISOString() ?? null,
  }));
}

/** Deletes an invite that has not been used yet. */
export async function revokeInvite(deps: Pick<AccessDeps, 'database'>, id: string) {
  const { count } = await deps.database.prisma.invite.deleteMany({ where: { id, usedAt: null } });
  if (count === 0) throw new NotFoundError('no open invite with this id');
}

/** The role an invite token grants, or an error the accept page shows. */
export async function previewInvite(
  deps: Pick<AccessDeps, 'database'>,
  token: string,
): Promise<{ role: Role; expiresAt: string }> {
  const row = await deps.database.prisma.invite.findUnique({
    where: { tokenHash: hashToken(token) },
  });
  if (!row) throw new NotFoundError('this invite link is not valid; ask an admin for a new one');
  if (row.usedAt) throw new ConflictError('this invite has already been used; sign in instead');
  if (row.expiresAt.getTime() <= Date.now())
    throw new ConflictError('this invite has expired; ask an admin for a new one');
  return { role: Role.parse(row.role), expiresAt: row.expiresAt.toISOString() };
}

/** Creates the account an invite grants and signs it in; each invite works once. */
export async function acceptInvite(
  deps: AccessDeps,
  body: AcceptInviteBody,
): Promise<{ user: UserSummary; sessionToken: string }> {
  const { role } = await previewInvite(deps, body.token);
  const tokenHash = hashToken(body.token);
  const user = await createUserRow(deps, { ...body, role });
  // Claim the invite only if nobody else did in the meantime; otherwise undo the account.
  const { count } = await deps.database.prisma.invite.updateMany({
    where: { tokenHash, usedAt: null },
    data: { usedAt: new Date(), usedById: user.id },
  });
  if (count === 0) {
    await deps.database.prisma.user.delete({ where: { id: user.id } });
    throw new ConflictError('this invite has already been used; sign in instead');
  }
  deps.logger.info('invite accepted', { user: user.id, role });
  return { user: toUserSummary(user), sessionToken: await startSession(deps, user.id) };
}
