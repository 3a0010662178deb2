import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { TimelinePage } from '@/components/timeline/TimelinePage';
import { canWrite } from '@/lib/access';
import { toSentence } from '@/lib/errors';
import { getViewer } from '../../_lib/viewer';

export const metadata: Metadata = { title: 'Timeline · Chronoboard' };

/**
 * A timeline, for a signed-in account (edit or view by role) or a share link (`?token=`, edit or
 * view by the link's role, this timeline only). The server checks again on every request and on
 * the websocket; this only decides what to render.
 */
export default async function Page({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const rawToken = (await searchParams).token;
  const token = typeof rawToken === 'string' && rawToken ? rawToken : undefined;
  const { viewer, problem } = await getViewer(token);

  if (viewer.kind === 'anonymous') {
    if (token) return <AccessProblem message={problem ?? 'this share link is not valid'} />;
    if (viewer.setupRequired) redirect('/setup');
    redirect(`/login?next=${encodeURIComponent(`/t/${id}`)}`);
  }
  if (viewer.kind === 'link' && viewer.link.timelineId !== id) {
    return <AccessProblem message="this share link is for another timeline" />;
  }
  const access =
    viewer.kind === 'link'
      ? { mode: viewer.link.role, shareToken: token ?? null, user: null }
      : {
          mode: canWrite(viewer.user.role) ? ('edit' as const) : ('view' as const),
          shareToken: null,
          user: viewer.user,
        };
  return <TimelinePage timelineId={id} access={access} />;
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
