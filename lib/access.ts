/**
 * Who may do what: workspace roles, share-link roles, and the request and response shapes of the
 * account, invite, token and share-link API. Shared by the browser (forms, menus) and the server
 * (validation, policy).
 */
import { z } from 'zod';
import { IsoDate } from './timeline/schemas';

/** Workspace roles, most powerful first. Everyone with an account can read every timeline. */
export const Role = z.enum(['admin', 'editor', 'viewer']);
export type Role = z.infer<typeof Role>;

/** Whether a role may change timelines (edit, create, share); viewers only read. */
export function canWrite(role: Role): boolean {
  return role !== 'viewer';
}

/** What a share link grants in its one timeline. */
export const LinkRole = z.enum(['view', 'edit']);
export type LinkRole = z.infer<typeof LinkRole>;

/** Name of the httpOnly cookie that holds a browser's session token (plain HTTP). */
export const SESSION_COOKIE = 'cb_session';

/**
 * Its name over HTTPS (`Secure` cookies). Browsers accept a `__Host-` cookie only when it is
 * Secure, has `Path=/` and no Domain, and never let a sibling subdomain or a plain-HTTP page set
 * one, so a neighbour on the same site cannot plant a session (session fixation).
 */
export const SECURE_SESSION_COOKIE = '__Host-cb_session';

/** The session cookie names, in the order they are read: the prefixed one wins. */
export const SESSION_COOKIE_NAMES = [SECURE_SESSION_COOKIE, SESSION_COOKIE] as const;

/**
 * Prefixes of the secrets we hand out, so a leaked string says what it is (and secret scanners
 * can match it) and the server knows which table to look in without trying all of them.
 */
export const TokenPrefix = {
  session: 'cbs_',
  apiToken: 'cbt_',
  shareLink: 'cbl_',
  invite: 'cbi_',
} as const;

/** NIST SP 800-63B: at least 8 characters, long passphrases allowed, no composition rules. */
export const Password = z
  .string()
  .min(8, 'password must be at least 8 characters')
  .max(200, 'password must be at most 200 characters');

export const Email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email('enter a valid email address'))
  .transform((value) => value.toLowerCase());

export const PersonName = z.string().trim().min(1, 'enter a name').max(60);

/**
 * `POST /api/setup`: the first account of a fresh instance, which becomes admin. `setupCode` is
 * the one-time code from the start-up log, required when the server listens beyond loopback.
 */
export const SetupBody = z
  .object({
    email: Email,
    name: PersonName,
    password: Password,
    setupCode: z.string().trim().max(64).optional(),
  })
  .strict();
export type SetupBody = z.infer<typeof SetupBody>;

/** `POST /api/auth/login` */
export const LoginBody = z.object({ email: Email, password: z.string().min(1).max(200) }).strict();
export type LoginBody = z.infer<typeof LoginBody>;

/** A future instant (ISO 8601) after which a link, invite or token stops working. */
const FutureDate = IsoDate.refine((value) => Date.parse(value) > Date.now(), {
  message: 'must be in the future',
});

/** `POST /api/auth/password`: a signed-in person changes their password. */
export const ChangePasswordBody = z
  .object({ currentPassword: z.string().min(1).max(200), newPassword: Password })
  .strict();
export type ChangePasswordBody = z.infer<typeof ChangePasswordBody>;

/** `POST /api/invites`: an invitation link for one person; it expires after `expiresInDays`. */
export const CreateInviteBody = z
  .object({ role: Role, expiresInDays: z.number().int().min(1).max(30).default(7) })
  .strict();
export type CreateInviteBody = z.infer<typeof CreateInviteBody>;

/** `POST /api/invites/accept`: creates the account an invite was for and signs it in. */
export const AcceptInviteBody = z
  .object({ token: z.string().min(1).max(200), email: Email, name: PersonName, password: Password })
  .strict();
export type AcceptInviteBody = z.infer<typeof AcceptInviteBody>;

/** `PATCH /api/users/<id>` */
export const ChangeRoleBody = z.object({ role: Role }).strict();
export type ChangeRoleBody = z.infer<typeof ChangeRoleBody>;

/** `POST /api/tokens` */
export const CreateTokenBody = z.object({ name: z.string().trim().min(1).max(80) }).strict();
export type CreateTokenBody = z.infer<typeof CreateTokenBody>;

/** `POST /api/timelines/<id>/links` */
export const CreateLinkBody = z
  .object({
    role: LinkRole,
    expiresAt: FutureDate.optional(),
    label: z.string().trim().max(80).optional(),
  })
  .strict();
export type CreateLinkBody = z.infer<typeof CreateLinkBody>;

/** A signed-in person as the browser sees them. */
export const UserSummary = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: Role,
  createdAt: z.string(),
});
export type UserSummary = z.infer<typeof UserSummary>;

/**
 * Who is calling, as `GET /api/auth/me` reports it: an account (by session or API token), a share
 * link (one timeline), or nobody. `setupRequired` is true until the first account exists.
 */
export type Viewer =
  | { kind: 'user'; user: UserSummary; setupRequired: false }
  | { kind: 'link'; link: { id: string; timelineId: string; role: LinkRole }; setupRequired: false }
  | {
      kind: 'anonymous';
      setupRequired: boolean;
      /** Setup asks for the one-time code printed in the server's start-up log. */
      setupCodeRequired?: boolean;
    };

export interface InviteSummary {
  id: string;
  role: Role;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

export interface ApiTokenSummary {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface ShareLinkSummary {
  id: string;
  timelineId: string;
  role: LinkRole;
  label: string | null;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  /** When the maker was removed or demoted below the link's role; the link stopped then. */
  suspendedAt: string | null;
  suspendedReason: string | null;
  /**
   * Who made the link: null for links made before makers were recorded; `name` is null when the
   * account has been removed since.
   */
  createdBy: { id: string; name: string | null } | null;
  /** Computed when listed: revoked wins over suspended, which wins over expired. */
  status: LinkStatus;
}

export type LinkStatus = 'active' | 'expired' | 'suspended' | 'revoked';

/** What creating a link, invite or token returns: the secret is shown this once, never stored. */
export interface CreatedSecret {
  id: string;
  token: string;
  url?: string;
}

/** The path a share link opens: the timeline, with the link's token as `?token=`. */
export function shareLinkPath(timelineId: string, token: string): string {
  return `/t/${encodeURIComponent(timelineId)}?token=${encodeURIComponent(token)}`;
}

/** The path an invite opens. */
export function invitePath(token: string): string {
  return `/invite/${encodeURIComponent(token)}`;
}
