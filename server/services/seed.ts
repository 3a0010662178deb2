import { DEMO_TIMELINE_TITLE, writeDemoTimeline } from '../../lib/seed/demoTimeline';
import type { TimelineStore } from '../store/types';
import type { TimelineService } from './timelines';

const DEMO_SEEDED = 'demo_seeded';

/**
 * Creates the demo timeline on the first start of an instance. Remembered in a setting, so a
 * demo that users deleted or renamed is not created again.
 */
export async function seedDemoTimeline(
  store: TimelineStore,
  timelines: TimelineService,
): Promise<string | null> {
  if ((await store.getSetting(DEMO_SEEDED)) !== null) return null;
  const demo = await timelines.createTimelineFromDoc(DEMO_TIMELINE_TITLE, writeDemoTimeline);
  await store.setSetting(DEMO_SEEDED, demo.id);
  return demo.id;
}
