/**
 * The one place where the collaboration server's extensions are chosen, in hook order:
 * persistence first (its `beforeUnload` must succeed before anything snapshots a document that
 * is not saved), then automatic snapshots and the activity log, and with several instances the
 * shared-rooms extension (Redis fan-out and storage lease) last.
 */
import type { Logger } from '../../log';
import type { RedisLink } from '../../redis';
import type { TimelineStore } from '../../store/types';
import type { Extension } from '../extension';
import {
  ACTIVITY_BULK_THRESHOLD,
  type ActivityLogOptions,
  createActivityLogExtension,
} from './activityLog';
import { type AutoSnapshotOptions, createAutoSnapshotsExtension } from './autoSnapshots';
import {
  createPersistenceExtension,
  DEFAULT_PERSISTENCE_OPTIONS,
  type PersistenceExtension,
  type PersistenceOptions,
} from './persistence';
import {
  createSharedRoomsExtension,
  DEFAULT_SHARED_ROOM_OPTIONS,
  type SharedRoomOptions,
  type SharedRoomsExtension,
} from './redis';

export type HistoryOptions = AutoSnapshotOptions & ActivityLogOptions;

export const DEFAULT_HISTORY_OPTIONS: HistoryOptions = {
  activitySnapshotMs: 10 * 60_000,
  activityFoldMs: 60_000,
  activityFlushMs: 1_000,
  bulkThreshold: ACTIVITY_BULK_THRESHOLD,
};

export interface DefaultExtensionOptions {
  persistence?: Partial<PersistenceOptions>;
  history?: Partial<HistoryOptions>;
  /** Where shutdown saves edits it could not write to the database (see ../spill.ts). */
  spillDir?: string;
  /**
   * Several instances (REDIS_URL): rooms are shared through this Redis link (./redis.ts), and
   * only the holder of a timeline's storage lease compacts and snapshots it.
   */
  shared?: { link: RedisLink; options?: Partial<SharedRoomOptions> };
}

/**
 * Builds the standard extensions: persistence, automatic snapshots, activity log. The
 * persistence extension is also returned on its own for benchmarks that observe commits.
 */
export function createDefaultExtensions(
  store: TimelineStore,
  options: DefaultExtensionOptions,
  logger: Logger,
): {
  extensions: Extension[];
  persistence: PersistenceExtension;
  sharedRooms?: SharedRoomsExtension;
} {
  const history = { ...DEFAULT_HISTORY_OPTIONS, ...options.history };
  const sharedRooms = options.shared
    ? createSharedRoomsExtension(
        options.shared.link,
        store,
        { ...DEFAULT_SHARED_ROOM_OPTIONS, ...options.shared.options },
        logger,
      )
    : undefined;
  const persistence = createPersistenceExtension(
    store,
    {
      ...DEFAULT_PERSISTENCE_OPTIONS,
      ...options.persistence,
      spillDir: options.spillDir,
      coordinator: sharedRooms,
    },
    logger,
  );
  return {
    persistence,
    sharedRooms,
    extensions: [
      persistence,
      createAutoSnapshotsExtension(store, history, logger, sharedRooms),
      createActivityLogExtension(store, history, logger),
      // Last: its onDestroy releases the storage lease after the others have written.
      ...(sharedRooms ? [sharedRooms] : []),
    ],
  };
}
