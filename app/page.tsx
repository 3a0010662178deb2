import { TimelineList } from '@/components/timeline/TimelineList';
import { requireUser } from './_lib/viewer';

export default async function HomePage() {
  const user = await requireUser('/');
  return <TimelineList user={user} />;
}
