/** Share links: a token that opens one timeline to view or edit, without an account. */
import type {
  CreatedSecret,
  CreateLinkBody,
  LinkRole,
  LinkStatus,
  ShareLinkSummary,
} from '../../lib/access';
import { shareLinkPath } from '../../lib/access';
import { NotFoundError } from '../../lib/errors';
import { createId } from '../../lib/ids';
import type { Prisma } from '../db/generated/client.ts';
import { generateToken, hashToken } from './credentials';
import { type AccessDeps, withdraw } from './deps';

/** Whether a link works: revoked wins over suspended, which wins over expired. */
export function readLinkStatus(row: {
  expiresAt: Date | null;
  revokedAt: Date | null;
  suspendedAt: Date | null;
}): LinkStatus {
  if (row.revokedAt) return 'revoked';
  if (row.suspendedAt) return 'suspended';
  if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) return 'expired';
  return 'active';
}

/** Creates a link to a timeline; the token is returned once, in the URL to hand out. */
export async function createShareLink(
  deps: Pick<AccessDeps, 'database'>,
  timelineId: string,
  body: CreateLinkBody,
  createdById: string | null,
): Promise<CreatedSecret> {
  const { prisma } = deps.database;
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
}

/** A timeline's links, newest first, with their status. */
export async function listShareLinks(
  deps: Pick<AccessDeps, 'database'>,
  timelineId: string,
): Promise<ShareLinkSummary[]> {
  const { prisma } = deps.database;
  const rows = await prisma.shareLink.findMany({
    where: { timelineId },
    orderBy: { createdAt: 'desc' },
  });
  const makerIds = [...new Set(rows.flatMap((row) => (row.createdById ? [row.createdById] : [])))];
  const makers = new Map(
    (
      await prisma.user.findMany({
        where: { id: { in: makerIds } },
        select: { id: true, name: true },
      })
    ).map((user) => [user.id, user.name]),
  );
  return rows.map((row) => ({
    id: row.id,
    timelineId: row.timelineId,
    role: row.role as LinkRole,
    label: row.label,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    suspendedAt: row.suspendedAt?.toISOString() ?? null,
    suspendedReason: row.suspendedReason,
    createdBy: row.createdById
      ? { id: row.createdById, name: makers.get(row.createdById) ?? null }
      : null,
    status: readLinkStatus(row),
  }));
}

/**
 * Revokes a link: it stops working at once and its open connections are closed. `closed` counts
 * those of this instance.
 */
export async function revokeShareLink(
  deps: AccessDeps,
  timelineId: string,
  linkId: string,
): Promise<{ closed: number }> {
  const { count } = await deps.database.prisma.shareLink.updateMany({
    where: { id: linkId, timelineId },
    data: { revokedAt: new Date() },
  });
  if (count === 0) throw new NotFoundError('no share link with this id on this timeline');
  const closed = await withdraw(deps, { type: 'link.revoked', linkId, timelineId });
  deps.logger.info('share link revoked', { timeline: timelineId, link: linkId, closed });
  return { closed };
}

/**
 * Suspends the working links an account made with one of `roles`, inside the transaction that
 * removes or demotes it; returns them so their connections can be closed once it commits.
 */
export async function suspendLinksOf(
  tx: Prisma.TransactionClient,
  userId: string,
  roles: LinkRole[],
  reason: string,
): Promise<{ id: string; timelineId: string }[]> {
  if (roles.length === 0) return [];
  const where = { createdById: userId, role: { in: roles }, revokedAt: null, suspendedAt: null };
  const links = await tx.shareLink.findMany({ where, select: { id: true, timelineId: true } });
  if (links.length > 0) {
    await tx.shareLink.updateMany({
      where: { id: { in: links.map((link) => link.id) } },
      data: { suspendedAt: new Date(), suspendedReason: reason },
    });
  }
  return links;
}

/** Closes the live connections of suspended links (each is a withdrawn credential). */
export async function withdrawSuspendedLinks(
  deps: AccessDeps,
  links: { id: string; timelineId: string }[],
  reason: string,
): Promise<void> {
  for (const link of links) {
    await withdraw(deps, {
      type: 'credential.withdrawn',
      match: { linkId: link.id },
      reason: `share link suspended: ${reason}`,
    });
  }
  if (links.length > 0) {
    deps.logger.info('share links suspended', { links: links.map((link) => link.id), reason });
  }
}
