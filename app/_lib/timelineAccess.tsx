/**
 * Who may open a timeline's pages (the editor and the dashboard), and how: an account (its role
 * decides edit or view) or a share link (`?token=`, its role, this timeline only). The server
 * checks again on every request and on the websocket; this only decides what to render.
 */
import Link from 'next/link';
import { redirect } from 'next/navigation';
import type { ReactElement } from 'react';
import type { PageAccess } from '@/components/timeline/pageAccess';
import { canWrite } from '@/lib/access';
import { toSentence } from '@/lib/errors';
import { getViewer } from './viewer';

/** The share-link token of a page's query (`?token=`), or undefined. */
export function shareTokenOf(
  searchParams: Record<string, string | string[] | undefined>,
): string | undefined {
  const raw = searchParams.token;
  return typeof raw === 'string' && raw ? raw : undefined;
}

/**
 * The page access to a timeline, or the page to show instead (a refused link). Visitors with no
 * credentials are redirected to setup or to sign-in, back to `path` afterwards.
 */
export async function resolveTimelineAccess(
  timelineId: string,
  token: string | undefined,
  path: string,
): Promise<{ access: PageAccess } | { refusal: ReactElement }> {
  const { viewer, problem } = await getViewer(token);
  if (viewer.kind === 'anonymous') {
    if (token)
      return { refusal: <AccessProblem message={problem ?? 'this share link is not valid'} /> };
    if (viewer.setupRequired) redirect('/setup');
    redirect(`/login?next=${encodeURIComponent(path)}`);
  }
  if (viewer.kind === 'link' && viewer.link.timelineId !== timelineId) {
    return { refusal: <AccessProblem message="this share link is for another timeline" /> };
  }
  return {
    access:
      viewer.kind === 'link'
        ? { mode: viewer.link.role, shareToken: token ?? null, user: null }
        : {
            mode: canWrite(viewer.user.role) ? 'edit' : 'view',
            shareToken: null,
            user: viewer.user,
          },
  };
}

function AccessProblem({ message }: { message: string }) {
  return (
    <main className="page narrow auth-page">
      <h1>No access to this timeline</h1>
      <p role="alert">{toSentence(message)}</p>
      <p>
        Have an account? <Link href="/login">Sign in</Link>.
      </p>
    </main>
  );
}
