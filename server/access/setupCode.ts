/**
 * The one-time setup code. On a fresh instance the first person to open /setup becomes admin;
 * when the server listens on a network interface, that could be any stranger who finds the port
 * before the operator does. Such an instance asks for a code that only the start-up log shows
 * (whoever reads the log runs the server). On loopback only local users can reach /setup, and
 * setup works as before, without a code.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

/** Whether `host` (what the server listens on) is reachable only from this machine. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined) return true; // Node's default for tests that start without a host
  const name = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (name === '::1' || name === '0:0:0:0:0:0:0:1') return true;
  const v4 = name.replace(/^::ffff:/, '');
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/** 12 characters from an alphabet without look-alikes (about 60 bits): read off a log, typed once. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A new setup code when `host` is not loopback, else null (no code needed). */
export function createSetupCode(host: string | undefined): string | null {
  if (isLoopbackHost(host)) return null;
  const bytes = randomBytes(12);
  let code = '';
  for (const byte of bytes) code += ALPHABET[byte % ALPHABET.length];
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

/** Whether a presented code is the expected one (case, spaces and dashes do not matter). */
export function matchesSetupCode(expected: string, presented: string | undefined): boolean {
  const normal = (value: string) => value.toUpperCase().replace(/[\s-]/g, '');
  const a = Buffer.from(normal(expected));
  const b = Buffer.from(normal(presented ?? ''));
  return a.length === b.length && timingSafeEqual(a, b);
}
