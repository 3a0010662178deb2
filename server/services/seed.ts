import { DEMO_TIMELINE_TITLE, writeDemoTimeline } from '../../lib/seed/demoTimeline';
import type { CollabServer } from '../collab/server';
import type { TimelineStore } from '../store/types';
import type { TimelineService } from './timelines';

const DEMO_SEEDED = 'demo_seeded';

/** Who the demo's events are recorded as in the activity log. */
export const DEMO_AUTHOR = 'Chronoboard demo';

/** The setting's value while an instance is writing the demo. */
const SEEDING = 'seeding';

/**
 * Creates the demo timeline on the first start of a database. Remembered in a setting, so a
 * demo that users deleted or renamed is not created again. Instances starting together on a
 * fresh database claim the setting first: exactly one of them seeds. The content is written
 * through a direct connection, like any server-side change, so it is in the update log and the
 * activity log as the demo's author; the setting then names the demo. If writing it fails, the
 * claim is given up so a later start tries again.
 */
export async function seedDemoTimeline(
  store: TimelineStore,
  timelines: TimelineService,
  collab: Pick<CollabServer, 'openDirect'>,
): Promise<string | null> {
  if ((await store.getSetting(DEMO_SEEDED)) !== null) return null;
  if (!(await store.claimSetting(DEMO_SEEDED, SEEDING))) return null;
  try {
    const demo = await timelines.createTimelineFromDoc(DEMO_TIMELINE_TITLE, () => {});
    const connection = await collab.openDirect(demo.id, DEMO_AUTHOR);
    try {
      connection.transact(writeDemoTimeline);
      await connection.whenPersisted();
    } finally {
      connection.release();
    }
    await store.setSetting(DEMO_SEEDED, demo.id);
    return demo.id;
  } catch (error) {
    await store.deleteSetting(DEMO_SEEDED).catch(() => {});
    throw error;
  }
}
