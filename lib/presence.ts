/**
 * The presence (awareness) state each browser announces in a timeline's room. Its `user.name` is
 * also what the server records as the actor of a share-link visitor's edits in the activity log.
 *
 * Remote states come from any client, so they are read leniently: unknown fields are kept, a
 * long name is cut, a bad colour falls back to grey, a missing mode counts as editing, and a
 * state without a string name is not a person.
 */
import { z } from 'zod';

/** Longest display name shown or recorded; longer names are cut, not refused. */
export const MAX_DISPLAY_NAME_LENGTH = 60;

/** The colour shown for a person whose state carries none we can trust in a style attribute. */
export const FALLBACK_PRESENCE_COLOR = '#64748b';

/** Whether a person is connected to edit or only to watch (a viewer or a view link). */
export const PresenceMode = z.enum(['edit', 'view']);
export type PresenceMode = z.infer<typeof PresenceMode>;

/** The `user` field of an awareness state, as this app's browsers set it. */
export const PresenceUser = z.object({
  name: z.string().trim().min(1).max(MAX_DISPLAY_NAME_LENGTH),
  color: z.string().regex(/^#[0-9a-f]{6}$/i),
  mode: PresenceMode,
});
export type PresenceUser = z.infer<typeof PresenceUser>;

/** A whole awareness state: `user`, plus whatever else other clients add (kept as is). */
export const PresenceState = z.looseObject({ user: PresenceUser });
export type PresenceState = z.infer<typeof PresenceState>;

/** The lenient reading of a remote `user`: a string name is required, the rest falls back. */
const RemotePresenceUser = z.looseObject({
  name: z.string().transform((name) => name.slice(0, MAX_DISPLAY_NAME_LENGTH)),
  color: z
    .string()
    .regex(/^#[0-9a-f]{6}$/i)
    .catch(FALLBACK_PRESENCE_COLOR),
  mode: PresenceMode.catch('edit'),
});

/**
 * Reads the person announced in an awareness state received from anyone, or null when the state
 * names nobody (a client that has not announced itself yet, or a malformed state).
 */
export function readPresenceUser(state: unknown): PresenceUser | null {
  if (typeof state !== 'object' || state === null) return null;
  const parsed = RemotePresenceUser.safeParse((state as { user?: unknown }).user);
  if (!parsed.success) return null;
  const { name, color, mode } = parsed.data;
  return { name, color, mode };
}

/** Who the server knows a connection to be, stamped on the presence it announces. */
export interface PresenceIdentity {
  /** The account's name; absent for share links, whose visitors keep the name they typed. */
  name?: string;
  /** The connection's mode as the server granted it, whatever the client claims. */
  mode: PresenceMode;
}

/**
 * Returns `state` with its `user.name` (accounts only) and `user.mode` replaced by what the server
 * knows, so nobody can appear as someone else or as an editor when they only watch. A state
 * without a `user` object names nobody (readPresenceUser) and is returned unchanged.
 */
export function stampPresenceIdentity(state: unknown, identity: PresenceIdentity): unknown {
  if (!isPlainObject(state) || !isPlainObject(state.user)) return state;
  const user: Record<string, unknown> = { ...state.user, mode: identity.mode };
  if (identity.name) user.name = identity.name.slice(0, MAX_DISPLAY_NAME_LENGTH);
  return { ...state, user };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
