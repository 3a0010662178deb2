/**
 * Last line of defence for shutdown during a database outage: updates that could not be written
 * before the process had to exit are saved to files under `<DATA_DIR>/unsaved/`, and written to
 * the database at the next start before any room opens. One file per room and shutdown.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as Y from 'yjs';
import { countEvents, readMeta } from '../../lib/timeline/model';
import type { Logger } from '../log';
import type { TimelineStore } from '../store/types';

const SUFFIX = '.yupdate';

/** Writes a room's unpersisted updates (merged) to a spill file; returns its path. */
export async function spillUpdates(
  dir: string,
  timelineId: string,
  updates: Uint8Array[],
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${timelineId}.${Date.now()}${SUFFIX}`);
  // Write then rename, so a crash mid-write never leaves a truncated file that looks complete.
  await writeFile(`${file}.tmp`, Y.mergeUpdates(updates));
  await rename(`${file}.tmp`, file);
  return file;
}

/**
 * Appends every spilled update to its timeline's log and deletes the file. Files of timelines
 * that no longer exist are kept (renamed `.orphaned`) for an operator to inspect.
 */
export async function recoverSpilledUpdates(
  dir: string,
  store: TimelineStore,
  logger: Logger,
): Promise<number> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith(SUFFIX)).sort();
  } catch {
    return 0;
  }
  let recovered = 0;
  for (const name of names) {
    const file = path.join(dir, name);
    const timelineId = name.slice(0, name.indexOf('.'));
    const update = new Uint8Array(await readFile(file));
    const stored = await store.loadDoc(timelineId);
    if (!stored) {
      logger.error('spilled updates belong to a missing timeline; keeping the file', { file });
      await rename(file, `${file}.orphaned`);
      continue;
    }
    const doc = new Y.Doc();
    for (const part of stored.updates) Y.applyUpdate(doc, part);
    Y.applyUpdate(doc, update);
    await store.appendUpdate(timelineId, update, {
      title: readMeta(doc).title,
      eventCount: countEvents(doc),
    });
    doc.destroy();
    await rm(file);
    recovered++;
    logger.info('recovered updates saved during an outage', {
      timeline: timelineId,
      bytes: update.byteLength,
    });
  }
  return recovered;
}
