import type { Metadata } from 'next';
import { TimelinePage } from '@/components/TimelinePage';

export const metadata: Metadata = { title: 'Timeline · Chronoboard' };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <TimelinePage timelineId={id} />;
}
