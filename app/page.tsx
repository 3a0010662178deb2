import { TimelineList } from '@/components/TimelineList';

export default function HomePage() {
  return <TimelineList />;
}
