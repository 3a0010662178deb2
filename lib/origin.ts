/**
 * Same-origin rules shared by the route handlers, the pages and the websocket: which requests come
 * from our own pages, and which post-sign-in destinations stay on this site.
 */

/**
 * Whether a browser request comes from our own pages: its Origin (sent by browsers on every
 * cross-origin request, every POST and every websocket) names the host it was sent to. Requests
 * without Origin come from scripts, which cannot carry a victim's cookie.
 */
export function isSameOrigin(origin: string | null | undefined, host: string | null | undefined) {
  if (!origin) return true;
  if (!host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

// A base no request can have: a destination resolved against it stays on it only if it is a
// path of this site. The host is never shown to anyone.
const SITE_BASE = 'https://chronoboard.invalid';

/**
 * A destination after sign-in as a path of this site, or '/' when it would leave it. The value is
 * resolved the way a browser resolves a Location header (so `//evil.com`, `/\evil.com` and
 * `/%09/evil.com`, which browsers read as other hosts once control characters are stripped, all
 * fail), and only its path, query and fragment are kept.
 */
export function resolveSameSitePath(next: string | string[] | undefined): string {
  const value = Array.isArray(next) ? next[0] : next;
  if (!value?.startsWith('/')) return '/';
  let decoded = value;
  try {
    // Decode until stable (bounded): `%2509` → `%09` → tab.
    for (let i = 0; i < 3; i++) {
      const next = decodeURIComponent(decoded);
      if (next === decoded) break;
      decoded = next;
    }
  } catch {
    return '/';
  }
  // Browsers drop tabs and newlines from URLs and treat `\` as `/`; anything control-like is refused.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse
  if (/[\u0000-\u001f\u007f\\]/.test(decoded) || decoded.startsWith('//')) return '/';
  let url: URL;
  try {
    url = new URL(value, SITE_BASE);
  } catch {
    return '/';
  }
  if (url.origin !== SITE_BASE) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}
