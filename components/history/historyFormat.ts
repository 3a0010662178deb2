/** Text formatting shared by the history panel, the diff view and the activity list (all UTC). */
import type { SnapshotSummary } from '@/lib/timeline/schemas';

/** An event date the way the events table shows it: `2019-02-18`, or `2019-02-18 09:30 UTC`. */
export function formatEventDate(iso: string | undefined): string {
  if (!iso) return '';
  return iso.endsWith('T00:00:00.000Z')
    ? iso.slice(0, 10)
    : `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

/** When something happened: `2026-03-01 14:02 UTC`. */
export function formatMoment(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

/** When something happened, shorter for today: `14:02 UTC`, else `2026-03-01 14:02 UTC`. */
export function formatMomentShort(iso: string, now: Date = new Date()): string {
  return iso.slice(0, 10) === now.toISOString().slice(0, 10)
    ? `${iso.slice(11, 16)} UTC`
    : formatMoment(iso);
}

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

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * Shortens text for a one-line view (line breaks become spaces); `truncated` says whether the
 * full text differs from what is shown, so the caller can offer it.
 */
export function truncate(text: string, max: number): { text: string; truncated: boolean } {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return { text: flat, truncated: flat !== text };
  return { text: `${flat.slice(0, max - 1).trimEnd()}…`, truncated: true };
}
