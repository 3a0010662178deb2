/**
 * Who is looking at a page, for server components: the session cookie, or a share-link token
 * from the URL. Pages redirect to /setup or /login from here, so unauthenticated visitors never
 * get an app shell that then fails.
 */
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { SESSION_COOKIE_NAMES, type UserSummary, type Viewer } from '@/lib/access';
import { resolveSameSitePath } from '@/lib/origin';
import { getServices } from '@/server/context';

export async function getViewer(
  shareToken?: string,
): Promise<{ viewer: Viewer; problem?: string }> {
  const { access } = getServices();
  const jar = await cookies();
  const session = SESSION_COOKIE_NAMES.map((name) => jar.get(name)?.value).find(Boolean);
  const { principal, problem } = await access.authenticate({
    session,
    queryToken: shareToken,
  });
  return { viewer: await access.describe(principal), problem };
}

/** The signed-in account, or a redirect to setup (fresh instance) or sign-in (back to `next`). */
export async function requireUser(next: string): Promise<UserSummary> {
  const { viewer } = await getViewer();
  if (viewer.kind === 'user') return viewer.user;
  if (viewer.setupRequired) redirect('/setup');
  redirect(`/login?next=${encodeURIComponent(next)}`);
}

/** Only same-site paths are followed after sign-in (no open redirects). */
export const safeNext = resolveSameSitePath;
