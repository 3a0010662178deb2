'use client';
/** Replay: the slider over the saved versions, and the banner above a version shown read-only. */
import { useId } from 'react';
import type { SnapshotSummary } from '@/lib/timeline/schemas';
import { formatMoment, plural, snapshotLabel } from './historyFormat';

/** Oldest first, the order the replay slider runs in. */
function chronological(snapshots: SnapshotSummary[]): SnapshotSummary[] {
  return [...snapshots].sort((a, b) =>
    a.createdAt === b.createdAt ? 0 : a.createdAt < b.createdAt ? -1 : 1,
  );
}

function describeSnapshot(snapshot: SnapshotSummary): string {
  return `“${snapshotLabel(snapshot)}” · ${formatMoment(snapshot.createdAt)} · ${plural(snapshot.eventCount, 'event')}`;
}

/** A range over the versions in time order, with "Now" (the live timeline) at the right end. */
export function ReplaySlider({
  snapshots,
  replayId,
  onReplay,
}: {
  snapshots: SnapshotSummary[];
  replayId: string | null;
  onReplay(snapshotId: string | null): void;
}) {
  const ordered = chronological(snapshots);
  const index = replayId ? ordered.findIndex((s) => s.id === replayId) : -1;
  const value = index >= 0 ? index : ordered.length;
  const current = index >= 0 ? ordered[index] : undefined;
  const valueText = current ? describeSnapshot(current) : 'Now — the live timeline';
  const outputId = useId();
  return (
    <section className="replay" aria-label="Replay" data-testid="replay">
      <label className="replay-label">
        <span>Replay</span>
        <input
          type="range"
          min={0}
          max={ordered.length}
          step={1}
          value={value}
          disabled={ordered.length === 0}
          aria-valuetext={valueText}
          aria-describedby={outputId}
          onChange={(event) => {
            const next = Number(event.target.value);
            onReplay(next >= ordered.length ? null : (ordered[next]?.id ?? null));
          }}
        />
      </label>
      <div className="replay-scale" aria-hidden="true">
        <span>{ordered[0] ? formatMoment(ordered[0].createdAt) : ''}</span>
        <span>Now</span>
      </div>
      <output id={outputId} className="replay-value" data-testid="replay-value">
        {ordered.length === 0
          ? 'Save a version to replay the timeline as it was then.'
          : current
            ? `Showing ${describeSnapshot(current)}`
            : 'Showing now — drag left to see earlier versions.'}
      </output>
    </section>
  );
}

/** Above the timeline while an earlier version is shown: what it is and the way back. */
export function ReplayBanner({
  snapshot,
  loading,
  error,
  onBack,
}: {
  snapshot: SnapshotSummary | undefined;
  loading: boolean;
  error: string | null;
  onBack(): void;
}) {
  return (
    <div className="replay-banner" role="status" data-testid="replay-banner">
      <span>
        {error ? (
          <>Could not load this version: {error} Go back to now, or pick another version.</>
        ) : snapshot ? (
          <>
            Viewing the version of <strong>{formatMoment(snapshot.createdAt)}</strong> (“
            {snapshotLabel(snapshot)}”) — read-only
            {loading ? ' · loading…' : ''}
          </>
        ) : (
          'Loading the version…'
        )}
      </span>
      <button type="button" className="primary" onClick={onBack}>
        Back to now
      </button>
    </div>
  );
}
