import type { Metadata } from 'next';
import { DashboardPage } from '@/components/dashboard/DashboardPage';
import { EarlySocketScript } from '@/components/timeline/EarlySocketScript';
import { resolveTimelineAccess, shareTokenOf } from '../../../_lib/timelineAccess';

export const metadata: Metadata = { title: 'Dashboard · Chronoboard' };

/**
 * The managers' dashboard of a timeline: live figures, charts and changes, read-only for everyone
 * (editors included; the session joins the room in view mode). `?wall=1` is the wall-screen mode.
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
  const resolved = await resolveTimelineAccess(id, shareTokenOf(query), `/t/${id}/dashboard`);
  if ('refusal' in resolved) return resolved.refusal;
  return (
    <>
      <EarlySocketScript timelineId={id} token={resolved.access.shareToken} />
      <DashboardPage timelineId={id} access={resolved.access} wall={query.wall === '1'} />
    </>
  );
}
