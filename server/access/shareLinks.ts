/** Share links: a token that opens one timeline to view or edit, without an account. */
import type { CreatedSecret, CreateLinkBody, LinkRole, ShareLinkSummary } from '../../lib/access';
import { shareLinkPath } from '../../lib/access';
import { NotFoundError } from '../../lib/errors';
import { createId } from '../../lib/ids';
import { generateToken, hashToken } from './credentials';
import { type AccessDeps, withdraw } from './deps';

/** Whether a link works: revoked wins over expired. */
export function readLinkStatus(row: { expiresAt: Date | null; revokedAt: Date | null }) {
  if (row.revokedAt) return 'revoked' as const;
  if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) return 'expired' as const;
  return 'active' as const;
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
  const rows = await deps.database.prisma.shareLink.findMany({
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
