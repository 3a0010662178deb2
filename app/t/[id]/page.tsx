import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { EarlySocketScript } from '@/components/timeline/EarlySocketScript';
import { TimelinePage } from '@/components/timeline/TimelinePage';
import { timelinePath } from '@/lib/timelinePaths';
import { resolveTimelineAccess, shareTokenOf } from '../../_lib/timelineAccess';

export const metadata: Metadata = { title: 'Timeline · Chronoboard' };

/**
 * A timeline, for a signed-in account (edit or view by role) or a share link (`?token=`, edit or
 * view by the link's role, this timeline only). Those who can only view (viewer accounts, view
 * links) land on the dashboard; `?view=timeline` opens the read-only timeline itself.
 */
export default async function Page({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const query = await searchParams;
  const token = shareTokenOf(query);
  const resolved = await resolveTimelineAccess(id, token, `/t/${id}`);
  if ('refusal' in resolved) return resolved.refusal;
  const { access } = resolved;
  if (access.mode === 'view' && query.view !== 'timeline') {
    redirect(timelinePath(id, 'dashboard', token));
  }
  return (
    <>
      {/* The document starts travelling before the page's code has loaded. */}
      <EarlySocketScript timelineId={id} token={access.shareToken} />
      <TimelinePage timelineId={id} access={access} />
    </>
  );
}
