/**
 * The presence (awareness) state each browser announces in a timeline's room (README "Presence"):
 *
 *     { user: { name, color, mode, role }, selection: string[], pointer: ISO | null,
 *       editing: eventId | null, range: { start: ISO, end: ISO } | null }
 *
 * Its `user.name` is also what the server records as the actor of a share-link visitor's edits in
 * the activity log; `user.mode` and `user.role` are stamped by the server from the connection's
 * grant (stampPresenceIdentity), so a modified client cannot claim them.
 *
 * Remote states come from any client, so they are read leniently: unknown fields are kept, a
 * long name is cut, a bad colour falls back to grey, a missing mode counts as editing, and a
 * state without a string name is not a person. The selection is bounded, a bad pointer, range or
 * panel id reads as none.
 */
import { z } from 'zod';

/** Longest display name shown or recorded; longer names are cut, not refused. */
export const MAX_DISPLAY_NAME_LENGTH = 60;

/** The colour shown for a person whose state carries none we can trust in a style attribute. */
export const FALLBACK_PRESENCE_COLOR = '#64748b';

/** Whether a person is connected to edit or only to watch (a viewer or a view link). */
export const PresenceMode = z.enum(['edit', 'view']);
export type PresenceMode = z.infer<typeof PresenceMode>;

/**
 * The role the server granted the connection: an account's workspace role, or a share link's
 * (`link-edit`, `link-view`). `unknown` is what a remote state without a valid role reads as.
 */
export const PresenceRole = z.enum(['admin', 'editor', 'viewer', 'link-edit', 'link-view']);
export type PresenceRole = z.infer<typeof PresenceRole>;

/** The `user` field of an awareness state, as this app's browsers set it. */
export const PresenceUser = z.object({
  name: z.string().trim().min(1).max(MAX_DISPLAY_NAME_LENGTH),
  color: z.string().regex(/^#[0-9a-f]{6}$/i),
  mode: PresenceMode,
  /** Set by the server (any value a client sends is replaced); absent before it is stamped. */
  role: PresenceRole.optional(),
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
  role: PresenceRole.optional().catch(undefined),
});

/**
 * Reads the person announced in an awareness state received from anyone, or null when the state
 * names nobody (a client that has not announced itself yet, or a malformed state).
 */
export function readPresenceUser(state: unknown): PresenceUser | null {
  if (typeof state !== 'object' || state === null) return null;
  const parsed = RemotePresenceUser.safeParse((state as { user?: unknown }).user);
  if (!parsed.success) return null;
  const { name, color, mode, role } = parsed.data;
  return role ? { name, color, mode, role } : { name, color, mode };
}

/** Event ids one person's selection may announce; more are cut (nobody selects 200 by hand). */
export const MAX_PRESENCE_SELECTION = 200;
/** Longest event id accepted in a remote selection or panel (ours are 21-character nanoids). */
export const MAX_PRESENCE_ID_LENGTH = 64;

const PresenceId = z.string().min(1).max(MAX_PRESENCE_ID_LENGTH);
/** An ISO 8601 date-time with a zone, as `Date#toISOString` writes it (years ±6 digits too). */
const IsoDate = z.iso.datetime({ offset: true });

/** A visible range: the window of the axis someone is looking at, for others to follow. */
export const PresenceRange = z
  .object({ start: IsoDate, end: IsoDate })
  .refine((range) => Date.parse(range.start) < Date.parse(range.end), 'start before end');
export type PresenceRange = z.infer<typeof PresenceRange>;

/** What a person is doing on the axis, as read from their awareness state. */
export interface PresenceActivity {
  /** The events they selected (at most MAX_PRESENCE_SELECTION, each id at most 64 characters). */
  selection: string[];
  /** The time under their pointer on the axis (ISO), or null when it is off the axis. */
  pointer: string | null;
  /** The event whose panel they have open, or null. */
  editing: string | null;
  /** The window of the axis they see, or null when they have none (not on the timeline). */
  range: PresenceRange | null;
}

/**
 * Reads what a person is doing from an awareness state received from anyone. Nothing in it can
 * fail the whole state: a selection that is not a list reads as empty, ids that are not short
 * strings are left out (and duplicates), a pointer or range that is not a valid date is none.
 */
export function readPresenceActivity(state: unknown): PresenceActivity {
  const record = isPlainObject(state) ? state : {};
  const selection: string[] = [];
  if (Array.isArray(record.selection)) {
    for (const id of record.selection.slice(0, MAX_PRESENCE_SELECTION)) {
      if (PresenceId.safeParse(id).success && !selection.includes(id)) selection.push(id);
    }
  }
  const pointer = IsoDate.safeParse(record.pointer);
  const editing = PresenceId.safeParse(record.editing);
  const range = PresenceRange.safeParse(record.range);
  return {
    selection,
    pointer: pointer.success && !Number.isNaN(Date.parse(pointer.data)) ? pointer.data : null,
    editing: editing.success ? editing.data : null,
    range: range.success ? range.data : null,
  };
}

/** Who the server knows a connection to be, stamped on the presence it announces. */
export interface PresenceIdentity {
  /** The account's name; absent for share links, whose visitors keep the name they typed. */
  name?: string;
  /** The connection's mode as the server granted it, whatever the client claims. */
  mode: PresenceMode;
  /** The role behind the grant; without one it follows the mode (`editor` or `viewer`). */
  role?: PresenceRole;
}

/**
 * Returns `state` with its `user.name` (accounts only), `user.mode` and `user.role` replaced by
 * what the server knows, so nobody can appear as someone else, as an editor when they only watch,
 * or as an admin. A state without a `user` object names nobody (readPresenceUser) and is returned
 * unchanged.
 */
export function stampPresenceIdentity(state: unknown, identity: PresenceIdentity): unknown {
  if (!isPlainObject(state) || !isPlainObject(state.user)) return state;
  const role = identity.role ?? (identity.mode === 'edit' ? 'editor' : 'viewer');
  const user: Record<string, unknown> = { ...state.user, mode: identity.mode, role };
  if (identity.name) user.name = identity.name.slice(0, MAX_DISPLAY_NAME_LENGTH);
  return { ...state, user };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "Ana Lim" → "AL", "Analyst 878" → "A8": two characters that tell people apart. */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters =
    words.length > 1 ? [words[0]![0], words[1]![0]] : [...(words[0] ?? '?')].slice(0, 2);
  return letters.join('').toUpperCase();
}
