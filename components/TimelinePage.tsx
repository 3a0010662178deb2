'use client';
import dynamic from 'next/dynamic';

// vis-timeline and the websocket provider need a browser; the editor is rendered only there.
const TimelineEditor = dynamic(
  () => import('./TimelineEditor').then((module) => module.TimelineEditor),
  {
    ssr: false,
    loading: () => <p className="loading page">Loading the timeline…</p>,
  },
);

export function TimelinePage({ timelineId }: { timelineId: string }) {
  return <TimelineEditor timelineId={timelineId} />;
}
