/** Addresses of a timeline's pages, shared by server pages (redirects) and client links. */

/**
 * A timeline page's address, with the share-link token when there is one: the dashboard, or the
 * timeline itself (`?view=timeline`, which view-only visitors need to get past the dashboard).
 */
export function timelinePath(
  timelineId: string,
  page: 'dashboard' | 'timeline',
  token: string | null | undefined,
): string {
  const base = `/t/${encodeURIComponent(timelineId)}`;
  const query = new URLSearchParams();
  if (page === 'timeline') query.set('view', 'timeline');
  if (token) query.set('token', token);
  const search = query.toString();
  return `${page === 'dashboard' ? `${base}/dashboard` : base}${search ? `?${search}` : ''}`;
}
