/**
 * Secrets: random tokens (stored only as SHA-256), passwords (argon2id via @node-rs/argon2, a
 * maintained binding of the reference implementation), and reading credentials off a request.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  SECURE_SESSION_COOKIE,
  SESSION_COOKIE,
  SESSION_COOKIE_NAMES,
  TokenPrefix,
} from '../../lib/access';

export type TokenKind = keyof typeof TokenPrefix;

/** A new secret: the prefix of its kind and 32 random bytes (256 bits) in base64url. */
export function generateToken(kind: TokenKind): string {
  return TokenPrefix[kind] + randomBytes(32).toString('base64url');
}

/**
 * How a token is looked up. Tokens carry 256 bits of randomness, so a fast hash is enough (no salt
 * or slow hash is needed against guessing); storing only the hash means a database leak does not
 * leak usable tokens.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Which kind a presented token claims to be, from its prefix. */
export function tokenKind(token: string): TokenKind | null {
  for (const [kind, prefix] of Object.entries(TokenPrefix)) {
    if (token.startsWith(prefix) && token.length > prefix.length) return kind as TokenKind;
  }
  return null;
}

/** A readable random password for `npm run admin -- create-user` (about 120 bits). */
export function generatePassword(): string {
  return randomBytes(15)
    .toString('base64url')
    .replace(/(.{5})(?=.)/g, '$1-');
}

/**
 * The argon2 binding, loaded at the first password check: a native library of several MiB that
 * the collaboration-only process, which never checks a password, does not load.
 */
let argon2: Promise<typeof import('@node-rs/argon2')> | null = null;
function loadArgon2() {
  argon2 ??= import('@node-rs/argon2');
  return argon2;
}

/** argon2id with the library's defaults (m=19 MiB, t=2, p=1: OWASP's minimum recommendation). */
export async function hashPassword(password: string): Promise<string> {
  return (await loadArgon2()).hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  const { verify } = await loadArgon2();
  try {
    return await verify(passwordHash, password);
  } catch {
    return false; // malformed hash: treat as a wrong password, never as a match
  }
}

/**
 * A fixed hash to verify against when the email is unknown, so that a login for an unknown address
 * takes as long as one with a wrong password and does not reveal which addresses have accounts.
 */
let dummyHash: Promise<string> | null = null;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('chronoboard-timing-equaliser');
  return dummyHash;
}

/** The value of one cookie in a Cookie header, or undefined. */
export function readCookie(header: string | null | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() !== name) continue;
    const value = part.slice(index + 1).trim();
    try {
      return decodeURIComponent(value);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The session token of a Cookie header: the `__Host-` cookie if there is one, else the plain one. */
export function readSessionCookie(header: string | null | undefined): string | undefined {
  for (const name of SESSION_COOKIE_NAMES) {
    const value = readCookie(header, name);
    if (value) return value;
  }
  return undefined;
}

/** What a request presents: a bearer token, a session cookie, a `?token=` share token. */
export interface PresentedCredentials {
  bearer?: string;
  session?: string;
  queryToken?: string;
}

/** Reads credentials from request headers and URL, without judging them. */
export function readCredentials(
  headers: { get(name: string): string | null | undefined },
  url: URL | null,
): PresentedCredentials {
  const authorization = headers.get('authorization') ?? undefined;
  const bearer = authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  return {
    bearer,
    session: readSessionCookie(headers.get('cookie')),
    queryToken: url?.searchParams.get('token') ?? undefined,
  };
}

/** Session lifetime; each use after half of it extends the session (sliding expiry). */
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

const COOKIE_MAX_AGE_S = 400 * 24 * 60 * 60;

/**
 * The Set-Cookie value for a session token (or for clearing it with `null`). Secure cookies are
 * named with the `__Host-` prefix, which the Path=/ and the absence of Domain below allow.
 */
export function sessionCookie(token: string | null, options: { secure: boolean }): string {
  const name = options.secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
  const parts = [
    `${name}=${token ?? ''}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    // The server ends a session 30 days after its last use (sliding); the cookie itself may live
    // as long as browsers allow (400 days), so an active session is never cut off by the cookie.
    token ? `Max-Age=${COOKIE_MAX_AGE_S}` : 'Max-Age=0',
  ];
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

/** Same-origin check shared with the route handlers (lib/origin.ts). */
export { isSameOrigin } from '../../lib/origin';
