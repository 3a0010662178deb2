/** API tokens: long-lived bearer credentials for scripts, one account each. */
import type { ApiTokenSummary, CreatedSecret } from '../../lib/access';
import { NotFoundError } from '../../lib/errors';
import { createId } from '../../lib/ids';
import { generateToken, hashToken } from './credentials';
import { type AccessDeps, withdraw } from './deps';

/** Creates a token for an account; the secret is returned once. */
export async function createApiToken(
  deps: Pick<AccessDeps, 'database'>,
  userId: string,
  name: string,
): Promise<CreatedSecret> {
  const token = generateToken('apiToken');
  const id = createId();
  await deps.database.prisma.apiToken.create({
    data: { id, tokenHash: hashToken(token), userId, name },
  });
  return { id, token };
}

/** For `npm run admin -- create-token <email>`. */
export async function createApiTokenFor(
  deps: Pick<AccessDeps, 'database'>,
  email: string,
  name: string,
): Promise<CreatedSecret> {
  const row = await deps.database.prisma.user.findUnique({
    where: { email: email.trim().toLowerCase() },
  });
  if (!row) throw new NotFoundError(`no account for ${email}; create it with create-user first`);
  return createApiToken(deps, row.id, name);
}

/** An account's tokens, newest first (never their secrets). */
export async function listApiTokens(
  deps: Pick<AccessDeps, 'database'>,
  userId: string,
): Promise<ApiTokenSummary[]> {
  const rows = await deps.database.prisma.apiToken.findMany({
    where: { userId },
    orderBy: { createdAt: 'desc' },
  });
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  }));
}

/** Deletes one of an account's tokens; connections opened with it close. */
export async function revokeApiToken(
  deps: AccessDeps,
  userId: string,
  tokenId: string,
): Promise<void> {
  const { count } = await deps.database.prisma.apiToken.deleteMany({
    where: { id: tokenId, userId },
  });
  if (count === 0) throw new NotFoundError('no API token of yours with this id');
  await withdraw(deps, {
    type: 'credential.withdrawn',
    match: { tokenId },
    reason: 'API token revoked',
  });
}
