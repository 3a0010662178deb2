/**
 * The rules of automatic snapshots as pure functions: when one is worth taking, and which old
 * ones thinning deletes. Kept apart from the extension so they can be tested without a room.
 */
import * as Y from 'yjs';
import { SNAPSHOT_THINNING } from '../../../lib/limits';
import type { SnapshotRecord } from '../../store/types';

/**
 * What a document contains, comparably: its state vector and delete set (`Y.snapshot`). Two
 * documents with equal content fingerprints hold the same items and deletions, however the
 * bytes of their encodings happen to be merged. The state vector alone is not enough: a
 * deletion does not advance it.
 */
export function fingerprintDoc(doc: Y.Doc): Y.Snapshot {
  return Y.snapshot(doc);
}

/** The fingerprint of an encoded document state (decoded into a scratch document). */
export function fingerprintState(state: Uint8Array): Y.Snapshot {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    return Y.snapshot(doc);
  } finally {
    doc.destroy();
  }
}

/** True when two fingerprints describe the same content. */
export function isSameContent(a: Y.Snapshot, b: Y.Snapshot): boolean {
  return Y.equalSnapshots(a, b);
}

/**
 * How long until an automatic snapshot may be taken, given the previous automatic one: 0 when
 * it may be taken now.
 */
export function waitBeforeAutoSnapshot(
  previousAuto: Pick<SnapshotRecord, 'createdAt'> | undefined,
  now: Date,
  minSpacingMs: number,
): number {
  if (!previousAuto) return 0;
  return Math.max(0, previousAuto.createdAt.getTime() + minSpacingMs - now.getTime());
}

/**
 * The automatic snapshots thinning deletes, from `older`: automatic snapshots taken before the
 * keep-everything window, newest first (as the store lists them). The newest of each UTC day is
 * kept, the rest are returned, at most `maxDeletes` of them. Because the list is newest first,
 * the first one seen of a day is that day's newest even when `older` is a truncated page.
 */
export function selectSnapshotsToThin(
  older: readonly Pick<SnapshotRecord, 'id' | 'kind' | 'createdAt'>[],
  maxDeletes: number = SNAPSHOT_THINNING.maxDeletes,
): string[] {
  const keptDays = new Set<string>();
  const doomed: string[] = [];
  for (const snapshot of older) {
    if (snapshot.kind !== 'auto') continue;
    const day = snapshot.createdAt.toISOString().slice(0, 10);
    if (!keptDays.has(day)) {
      keptDays.add(day);
      continue;
    }
    doomed.push(snapshot.id);
    if (doomed.length >= maxDeletes) break;
  }
  return doomed;
}
