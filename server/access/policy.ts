/**
 * The access policy, as pure functions: given who is calling (a principal) and what they ask for
 * (a permission, for a timeline where it applies), allow or throw a 401/403 with a message that
 * says what to do. Every REST route names its permission (app/api/_lib/http.ts) and the websocket
 * asks `collabMode`, so there is one table of rules and it is unit-tested.
 */
import { canWrite, type LinkRole, type Role } from '../../lib/access';
import { ForbiddenError, UnauthorizedError } from '../../lib/errors';

/** Who is calling: a person (by session cookie or API token) or a share link. */
export type Principal =
  | {
      kind: 'user';
      user: { id: string; email: string; name: string; role: Role; createdAt: Date };
      /**
       * How they proved it: the session or API token id (for revocation), and when the session
       * ends (epoch ms; open connections are closed then).
       */
      via:
        | { kind: 'session'; sessionId: string; expiresAt?: number }
        | { kind: 'token'; tokenId: string };
    }
  | {
      kind: 'link';
      link: {
        id: string;
        timelineId: string;
        role: LinkRole;
        /** When the link stops working (epoch ms); open connections are closed then. */
        expiresAt?: number | null;
      };
    };

export type Permission =
  /** Anyone, signed in or not (health, setup, login). */
  | 'public'
  /** Any account (not a share link): own profile, own API tokens, the timeline list. */
  | 'account'
  /** Create timelines. */
  | 'timeline.create'
  /** Read one timeline: its summary, export, history, activity. */
  | 'timeline.read'
  /** Change one timeline outside the live document: versions, restore. */
  | 'timeline.write'
  /**
   * Write comments on one timeline's events (any account, viewers included: discussing evidence
   * is not editing it). Share links only read comments: a comment needs an author to answer to.
   */
  | 'timeline.comment'
  /** Create, list and revoke share links of one timeline. */
  | 'timeline.share'
  /** Delete one timeline with its history and links (admins). */
  | 'timeline.delete'
  /** People, roles and invites. */
  | 'workspace.admin';

/**
 * Throws UnauthorizedError (401) or ForbiddenError (403) unless `principal` has `permission`
 * (for `timelineId` where the permission is about one timeline).
 */
export function requirePermission(
  principal: Principal | null,
  permission: Permission,
  timelineId?: string,
): void {
  if (permission === 'public') return;
  if (!principal) {
    throw new UnauthorizedError(
      'sign in first: send the session cookie, `Authorization: Bearer <API token>`, or a share link token',
    );
  }
  if (principal.kind === 'link') {
    const { link } = principal;
    const forTimeline = timelineId !== undefined && link.timelineId === timelineId;
    if (permission === 'timeline.read' && forTimeline) return;
    if (permission === 'timeline.write' && forTimeline && link.role === 'edit') return;
    if (permission === 'timeline.comment' && forTimeline) {
      throw new ForbiddenError(
        'share links can read comments but not write them: sign in with an account to comment',
      );
    }
    throw new ForbiddenError(
      forTimeline
        ? `this share link only allows ${link.role === 'view' ? 'viewing' : 'editing'} this timeline; ask its owner for an account`
        : 'this share link is for another timeline',
    );
  }
  const { role } = principal.user;
  switch (permission) {
    case 'account':
    case 'timeline.read':
    case 'timeline.comment':
      return;
    case 'timeline.create':
    case 'timeline.write':
    case 'timeline.share':
      if (canWrite(role)) return;
      throw new ForbiddenError(
        `your role is ${role}; only editors and admins may do this — ask an admin to change your role`,
      );
    case 'timeline.delete':
      if (role === 'admin') return;
      throw new ForbiddenError(`only admins may delete timelines; your role is ${role}`);
    case 'workspace.admin':
      if (role === 'admin') return;
      throw new ForbiddenError(`only admins may manage people and invites; your role is ${role}`);
  }
}

/** What a principal may do over the websocket in a timeline: edit, view, or nothing (null). */
export function collabMode(principal: Principal, timelineId: string): 'edit' | 'view' | null {
  if (principal.kind === 'link') {
    if (principal.link.timelineId !== timelineId) return null;
    return principal.link.role === 'edit' ? 'edit' : 'view';
  }
  return canWrite(principal.user.role) ? 'edit' : 'view';
}

/** The name recorded in the activity log for a principal's edits. */
export function actorName(principal: Principal): string | undefined {
  return principal.kind === 'user' ? principal.user.name : undefined;
}
