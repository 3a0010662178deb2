/**
 * Labels of the history panel, the diff view and the activity list. Dates and text come from
 * lib/format.ts (all UTC), re-exported here for these components.
 */
import type { SnapshotSummary } from '@/lib/timeline/schemas';

export { formatEventDate, formatMoment, formatMomentShort, plural, truncate } from '@/lib/format';

/** The name a version is listed under. */
export function snapshotLabel(snapshot: SnapshotSummary): string {
  if (snapshot.label) return snapshot.label;
  if (snapshot.kind === 'auto') return 'Automatic snapshot';
  if (snapshot.kind === 'pre-restore') return 'Before restoring a version';
  return 'Untitled version';
}

export const SNAPSHOT_KIND_LABELS: Record<SnapshotSummary['kind'], string> = {
  named: 'Saved',
  auto: 'Automatic',
  'pre-restore': 'Before restore',
};
