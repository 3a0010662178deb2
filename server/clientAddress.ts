/**
 * Who is on the other end of a request or websocket: the one place that decides, for sign-in
 * throttling (HTTP) and per-address connection limits (websocket).
 *
 * `X-Forwarded-For` is a list each proxy appends to: `client, proxy1, proxy2`, and whoever sends
 * the request can put anything at its left. Only entries appended by proxies we trust can be
 * believed, so the client is the right-most entry that was not added by a trusted proxy:
 *
 * - without TRUST_PROXY the header is ignored: the socket's peer is the client;
 * - with TRUST_PROXY and no TRUSTED_PROXIES ("one proxy hop"), the peer is taken to be our proxy
 *   and the right-most entry (the one it appended) is the client;
 * - with TRUSTED_PROXIES (addresses or CIDR ranges, comma-separated), the header is believed only
 *   when the peer is one of them, and entries are skipped from the right while they are too.
 */
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

export interface ClientAddressOptions {
  /** Behind a reverse proxy (TRUST_PROXY=true). */
  trustProxy: boolean;
  /** The proxies' addresses or CIDR ranges (TRUSTED_PROXIES); empty means one proxy hop. */
  trustedProxies?: readonly string[];
}

/** A matcher for a list of addresses and CIDR ranges; throws on an entry that is neither. */
export function parseTrustedProxies(entries: readonly string[]): (address: string) => boolean {
  const list = new BlockList();
  for (const raw of entries) {
    const entry = raw.trim();
    if (!entry) continue;
    const [address, prefix] = entry.split('/');
    const family = isIP(address ?? '');
    if (!address || family === 0) throw new Error(`TRUSTED_PROXIES: "${entry}" is not an address`);
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return (address) => {
    const normal = normalizeAddress(address);
    const family = isIP(normal);
    return family !== 0 && list.check(normal, family === 6 ? 'ipv6' : 'ipv4');
  };
}

/** `::ffff:1.2.3.4` (IPv4 on a dual-stack socket) → `1.2.3.4`; other addresses unchanged. */
export function normalizeAddress(address: string): string {
  const trimmed = address.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  return mapped ? mapped[1]! : trimmed;
}

/**
 * The client address of a request given the socket peer and the X-Forwarded-For header (all of
 * its occurrences, joined). Pure, so it is tested without sockets.
 */
export function resolveClientAddress(
  peer: string | undefined,
  forwardedFor: string | string[] | undefined,
  options: ClientAddressOptions & { isTrustedProxy?: (address: string) => boolean },
): string {
  const socketPeer = normalizeAddress(peer ?? '') || 'unknown';
  if (!options.trustProxy || forwardedFor === undefined) return socketPeer;
  const entries = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
    .split(',')
    .map(normalizeAddress)
    .filter((entry) => entry !== '');
  if (entries.length === 0) return socketPeer;
  const isTrusted = options.isTrustedProxy;
  if (!isTrusted) return entries[entries.length - 1]!;
  if (!isTrusted(socketPeer)) return socketPeer;
  for (let index = entries.length - 1; index >= 0; index--) {
    if (!isTrusted(entries[index]!)) return entries[index]!;
  }
  // Every hop is one of ours: the left-most is as far as anyone can tell.
  return entries[0]!;
}

/**
 * Builds the function both HTTP (server/app.ts) and the websocket use to learn a request's
 * client address under one configuration.
 */
export function createClientAddressResolver(
  options: ClientAddressOptions,
): (request: IncomingMessage) => string {
  const isTrustedProxy = options.trustedProxies?.length
    ? parseTrustedProxies(options.trustedProxies)
    : undefined;
  return (request) =>
    resolveClientAddress(request.socket.remoteAddress, request.headers['x-forwarded-for'], {
      ...options,
      isTrustedProxy,
    });
}
