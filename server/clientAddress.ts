/**
 * The client address of an HTTP request or websocket upgrade. HTTP (rate limits, the sign-in
 * throttle) and the collaboration websocket (connections per address) use this one function, so
 * behind a proxy both count the same person the same way.
 */
import type { IncomingMessage } from 'node:http';

/** Who is on the other end of a request: the socket's peer, or the proxy's word for it. */
export function clientAddressOf(request: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = request.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return request.socket.remoteAddress ?? 'unknown';
}
