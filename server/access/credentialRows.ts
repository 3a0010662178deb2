/**
 * The statements that check a presented token, through the database's own driver
 * (`database.sql`) rather than Prisma. Every websocket connection is authorized with them, and
 * they are all the collaboration-only process asks about credentials: on this path Prisma would
 * load and run its WebAssembly query compiler, ~30 MiB of that process's memory for four
 * statements (BENCHMARKS.md "Idle connections"). Prisma stays the owner of the schema, the
 * migrations and every other query. Columns are named as in `prisma/schema.prisma`; times are
 * `TIMESTAMP(3)` holding UTC (as Prisma writes them), read as epoch milliseconds and written as
 * ISO text, so both drivers (pg, PGlite) agree whatever the process's time zone.
 */
import type { SqlQueryable } from '../db/database';
import type { UserRow } from './deps';

/** A `TIMESTAMP(3)` column as epoch milliseconds (a float8: exact for such values). */
const epochMs = (column: string) => `(extract(epoch from ${column}) * 1000)::float8`;

const USER_COLUMNS = `u."id" AS "userId", u."email", u."name", u."role",
  ${epochMs('u."createdAt"')} AS "userCreatedAt"`;

interface UserColumns {
  userId: string;
  email: string;
  name: string;
  role: string;
  userCreatedAt: number;
}

function userOf(row: UserColumns): UserRow {
  return {
    id: row.userId,
    email: row.email,
    name: row.name,
    role: row.role,
    createdAt: new Date(row.userCreatedAt),
  };
}

const dateOrNull = (ms: number | null) => (ms === null ? null : new Date(ms));

export interface ApiTokenRow {
  id: string;
  lastUsedAt: Date | null;
  user: UserRow;
}

/** The API token with this hash and its account, or null. */
export async function findApiToken(
  sql: SqlQueryable,
  tokenHash: string,
): Promise<ApiTokenRow | null> {
  const { rows } = await sql.query<UserColumns & { id: string; lastUsedAt: number | null }>(
    `SELECT t."id", ${epochMs('t."lastUsedAt"')} AS "lastUsedAt", ${USER_COLUMNS}
       FROM "ApiToken" t JOIN "User" u ON u."id" = t."userId"
      WHERE t."tokenHash" = $1`,
    [tokenHash],
  );
  const row = rows[0];
  return row ? { id: row.id, lastUsedAt: dateOrNull(row.lastUsedAt), user: userOf(row) } : null;
}

/** Records when an API token was last used. */
export async function touchApiToken(sql: SqlQueryable, id: string, at: Date): Promise<void> {
  await sql.query(`UPDATE "ApiToken" SET "lastUsedAt" = $2::timestamp(3) WHERE "id" = $1`, [
    id,
    at.toISOString(),
  ]);
}

export interface ShareLinkRow {
  id: string;
  timelineId: string;
  role: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
  suspendedAt: Date | null;
}

/** The share link with this hash, with what decides whether it works, or null. */
export async function findShareLink(
  sql: SqlQueryable,
  tokenHash: string,
): Promise<ShareLinkRow | null> {
  const { rows } = await sql.query<{
    id: string;
    timelineId: string;
    role: string;
    expiresAt: number | null;
    revokedAt: number | null;
    suspendedAt: number | null;
  }>(
    `SELECT "id", "timelineId", "role", ${epochMs('"expiresAt"')} AS "expiresAt",
            ${epochMs('"revokedAt"')} AS "revokedAt", ${epochMs('"suspendedAt"')} AS "suspendedAt"
       FROM "ShareLink" WHERE "tokenHash" = $1`,
    [tokenHash],
  );
  const row = rows[0];
  return row
    ? {
        id: row.id,
        timelineId: row.timelineId,
        role: row.role,
        expiresAt: dateOrNull(row.expiresAt),
        revokedAt: dateOrNull(row.revokedAt),
        suspendedAt: dateOrNull(row.suspendedAt),
      }
    : null;
}

export interface SessionRow {
  id: string;
  expiresAt: Date;
  lastSeenAt: Date;
  user: UserRow;
}

/** The session with this hash and its account, or null (expired ones too: the caller judges). */
export async function findSession(
  sql: SqlQueryable,
  tokenHash: string,
): Promise<SessionRow | null> {
  const { rows } = await sql.query<
    UserColumns & { id: string; expiresAt: number; lastSeenAt: number }
  >(
    `SELECT s."id", ${epochMs('s."expiresAt"')} AS "expiresAt",
            ${epochMs('s."lastSeenAt"')} AS "lastSeenAt", ${USER_COLUMNS}
       FROM "Session" s JOIN "User" u ON u."id" = s."userId"
      WHERE s."tokenHash" = $1`,
    [tokenHash],
  );
  const row = rows[0];
  return row
    ? {
        id: row.id,
        expiresAt: new Date(row.expiresAt),
        lastSeenAt: new Date(row.lastSeenAt),
        user: userOf(row),
      }
    : null;
}

/** Slides a session's expiry; false when the session is gone (signed out meanwhile). */
export async function extendSession(
  sql: SqlQueryable,
  id: string,
  lastSeenAt: Date,
  expiresAt: Date,
): Promise<boolean> {
  const { rowCount } = await sql.query(
    `UPDATE "Session" SET "lastSeenAt" = $2::timestamp(3), "expiresAt" = $3::timestamp(3)
      WHERE "id" = $1`,
    [id, lastSeenAt.toISOString(), expiresAt.toISOString()],
  );
  return rowCount > 0;
}
