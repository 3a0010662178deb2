'use client';
/**
 * Version history of a timeline, in a side panel: a replay slider over the saved versions, the
 * versions themselves (save, compare with now or with each other, restore) and the activity log.
 * A restore goes through the REST API and reaches every open page through the websocket; the
 * editor only learns which version to show read-only (`replayId`).
 */
import { type FormEvent, useId, useMemo, useState } from 'react';
import type { Lane, TimelineSnapshot } from '@/lib/timeline/model';
import type { SnapshotSummary } from '@/lib/timeline/schemas';
import {
  type DiffTarget,
  useCreateSnapshot,
  useRestoreSnapshot,
  useSnapshots,
} from '../api/history';
import { FormError } from '../ui/FormError';
import { PanelHeader } from '../ui/PanelHeader';
import { ActivityList } from './ActivityList';
import { DiffView } from './DiffView';
import { formatMoment, plural, SNAPSHOT_KIND_LABELS, snapshotLabel } from './historyFormat';
import { ReplaySlider } from './Replay';

interface Props {
  timelineId: string;
  /** The display name saved versions and restores are attributed to. */
  author: string;
  /** False for viewers and view links: versions can be compared and replayed, not saved or restored. */
  canWrite: boolean;
  /** The live timeline: names lanes in comparisons and tells what restores did in the log. */
  live: TimelineSnapshot | null | undefined;
  /** The version shown read-only, or null for the live timeline. */
  replayId: string | null;
  onReplay(snapshotId: string | null): void;
  /** A version was restored from this panel (the page forgets this person's undo steps). */
  onRestored?(): void;
  onClose(): void;
}

type Tab = 'versions' | 'activity';

const NO_LANES: Lane[] = [];

export function HistoryPanel({
  timelineId,
  author,
  canWrite,
  live,
  replayId,
  onReplay,
  onRestored,
  onClose,
}: Props) {
  const [tab, setTab] = useState<Tab>('versions');
  const lanes = live?.lanes ?? NO_LANES;
  const events = live?.events;
  const liveEventIds = useMemo(
    () => (events ? new Set(events.map((event) => event.id)) : undefined),
    [events],
  );
  const snapshots = useSnapshots(timelineId);
  const ids = useId();
  const list = snapshots.data ?? [];

  return (
    <aside className="panel history-panel" aria-label="History" data-testid="history-panel">
      <PanelHeader title="History" closeLabel="Close history" onClose={onClose} />

      <ReplaySlider snapshots={list} replayId={replayId} onReplay={onReplay} />

      <div className="tabs" role="tablist" aria-label="History views">
        {(['versions', 'activity'] as const).map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            id={`${ids}-tab-${name}`}
            aria-controls={`${ids}-panel-${name}`}
            aria-selected={tab === name}
            className={tab === name ? 'tab active' : 'tab'}
            onClick={() => setTab(name)}
          >
            {name === 'versions' ? 'Versions' : 'Activity'}
          </button>
        ))}
      </div>

      {tab === 'versions' ? (
        <div
          role="tabpanel"
          id={`${ids}-panel-versions`}
          aria-labelledby={`${ids}-tab-versions`}
          className="tab-panel"
        >
          <Versions
            timelineId={timelineId}
            author={author}
            canWrite={canWrite}
            lanes={lanes}
            snapshots={snapshots}
            onRestored={onRestored}
          />
        </div>
      ) : (
        <div
          role="tabpanel"
          id={`${ids}-panel-activity`}
          aria-labelledby={`${ids}-tab-activity`}
          className="tab-panel"
        >
          <ActivityList timelineId={timelineId} liveEventIds={liveEventIds} />
        </div>
      )}
    </aside>
  );
}

function Versions({
  timelineId,
  author,
  canWrite,
  lanes,
  snapshots,
  onRestored,
}: {
  timelineId: string;
  author: string;
  canWrite: boolean;
  lanes: Lane[];
  snapshots: ReturnType<typeof useSnapshots>;
  onRestored?(): void;
}) {
  const [label, setLabel] = useState('');
  const [compare, setCompare] = useState<{ id: string; against: DiffTarget } | null>(null);
  const [confirmingId, setConfirmingId] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ text: string; undoId?: string } | null>(null);
  const create = useCreateSnapshot(timelineId);
  const restore = useRestoreSnapshot(timelineId);
  const list = snapshots.data ?? [];
  const byId = new Map(list.map((s) => [s.id, s]));

  const handleSave = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = label.trim();
    if (!trimmed) return;
    restore.reset();
    create.mutate(
      { label: trimmed, author },
      {
        onSuccess: (saved) => {
          setLabel('');
          setNotice({ text: `Saved “${snapshotLabel(saved)}”.` });
        },
      },
    );
  };

  const handleRestore = (snapshot: SnapshotSummary) => {
    create.reset();
    restore.mutate(
      { snapshotId: snapshot.id, author },
      {
        onSuccess: ({ backup }) => {
          onRestored?.();
          setConfirmingId(null);
          setCompare(null);
          setNotice({
            text: `Restored “${snapshotLabel(snapshot)}” for everyone. The state just before is kept as the newest version; Undo restores it.`,
            undoId: backup.id,
          });
        },
      },
    );
  };

  return (
    <div className="versions">
      {canWrite && (
        <form className="save-version" onSubmit={handleSave}>
          <label htmlFor={`${timelineId}-version-label`} className="field-label">
            Save the current state as a version
          </label>
          <div className="save-version-row">
            <input
              id={`${timelineId}-version-label`}
              aria-label="Version name"
              placeholder="Version name, e.g. Before the summit"
              value={label}
              maxLength={200}
              onChange={(e) => setLabel(e.target.value)}
            />
            <button type="submit" className="primary" disabled={!label.trim() || create.isPending}>
              {create.isPending ? 'Saving…' : 'Save version'}
            </button>
          </div>
          {create.error && (
            <FormError>
              Could not save the version: {create.error.message} Check the name and try again.
            </FormError>
          )}
        </form>
      )}

      {notice && (
        <div className="notice" role="status">
          <span>{notice.text}</span>
          <span className="notice-actions">
            {notice.undoId && byId.has(notice.undoId) && (
              <button
                type="button"
                disabled={restore.isPending}
                onClick={() => {
                  const backup = byId.get(notice.undoId!);
                  if (backup) handleRestore(backup);
                }}
              >
                Undo
              </button>
            )}
            <button
              type="button"
              className="icon-button"
              onClick={() => setNotice(null)}
              aria-label="Dismiss"
            >
              ×
            </button>
          </span>
        </div>
      )}
      {restore.error && (
        <FormError>
          Could not restore the version: {restore.error.message} Nothing was changed; try again in a
          moment.
        </FormError>
      )}

      {snapshots.isPending ? (
        <p className="loading">Loading versions…</p>
      ) : snapshots.error && !snapshots.data ? (
        <FormError>
          Could not load the versions: {snapshots.error.message} They are retried every few seconds.
        </FormError>
      ) : list.length === 0 ? (
        <p className="empty">
          {canWrite
            ? 'No versions yet. Save one above; versions are also taken automatically after a while of editing.'
            : 'No versions yet. Versions are taken automatically after a while of editing.'}
        </p>
      ) : (
        <ol className="version-list" aria-label="Versions" data-testid="version-list">
          {list.map((snapshot) => {
            const others = list.filter((other) => other.id !== snapshot.id);
            const comparing = compare?.id === snapshot.id ? compare : null;
            const otherSide =
              comparing && comparing.against !== 'now' ? byId.get(comparing.against) : undefined;
            const name = snapshotLabel(snapshot);
            return (
              <li
                key={snapshot.id}
                className={`version${comparing ? ' open' : ''}`}
                data-snapshot-id={snapshot.id}
                data-kind={snapshot.kind}
              >
                <div className="version-head">
                  <span className="version-label">{name}</span>
                  <span className={`chip chip-${snapshot.kind}`}>
                    {SNAPSHOT_KIND_LABELS[snapshot.kind]}
                  </span>
                </div>
                <div className="version-meta">
                  <time dateTime={snapshot.createdAt}>{formatMoment(snapshot.createdAt)}</time>
                  {' · '}
                  {snapshot.author ?? 'automatic'}
                  {' · '}
                  {plural(snapshot.eventCount, 'event')}
                </div>
                <div className="version-actions">
                  <button
                    type="button"
                    aria-pressed={comparing?.against === 'now'}
                    onClick={() =>
                      setCompare(
                        comparing?.against === 'now' ? null : { id: snapshot.id, against: 'now' },
                      )
                    }
                  >
                    Compare with now
                  </button>
                  {others.length > 0 && (
                    <select
                      aria-label={`Compare “${name}” with another version`}
                      value={otherSide?.id ?? ''}
                      onChange={(e) =>
                        setCompare(
                          e.target.value ? { id: snapshot.id, against: e.target.value } : null,
                        )
                      }
                    >
                      <option value="">Compare with…</option>
                      {others.map((other) => (
                        <option key={other.id} value={other.id}>
                          {snapshotLabel(other)} · {formatMoment(other.createdAt)}
                        </option>
                      ))}
                    </select>
                  )}
                  {canWrite && (
                    <button
                      type="button"
                      className="danger"
                      onClick={() => setConfirmingId(snapshot.id)}
                      disabled={restore.isPending}
                    >
                      Restore
                    </button>
                  )}
                </div>

                {confirmingId === snapshot.id && (
                  <div className="confirm" role="alertdialog" aria-label={`Restore “${name}”?`}>
                    <p>
                      Restore “{name}”? The timeline changes back to this version (
                      {plural(snapshot.eventCount, 'event')}) for everyone who has it open, right
                      away. Nothing is lost: the current state is saved first as a “Before
                      restoring…” version, which you can restore to undo this.
                    </p>
                    <div className="confirm-actions">
                      <button
                        type="button"
                        className="primary"
                        disabled={restore.isPending}
                        onClick={() => handleRestore(snapshot)}
                      >
                        {restore.isPending ? 'Restoring…' : 'Restore this version'}
                      </button>
                      <button type="button" onClick={() => setConfirmingId(null)}>
                        Cancel
                      </button>
                    </div>
                  </div>
                )}

                {comparing && (comparing.against === 'now' || otherSide) && (
                  <DiffView
                    key={`${comparing.id}:${comparing.against}`}
                    timelineId={timelineId}
                    lanes={lanes}
                    onClose={() => setCompare(null)}
                    {...orderSides(snapshot, otherSide ?? 'now')}
                  />
                )}
              </li>
            );
          })}
        </ol>
      )}
      {snapshots.hasNextPage && (
        <button
          type="button"
          className="load-more"
          disabled={snapshots.isFetchingNextPage}
          onClick={() => void snapshots.fetchNextPage()}
        >
          {snapshots.isFetchingNextPage ? 'Loading older versions…' : 'Load older versions'}
        </button>
      )}
    </div>
  );
}

/** A comparison always reads from the older version to the newer one (or now). */
function orderSides(
  a: SnapshotSummary,
  b: SnapshotSummary | 'now',
): { from: SnapshotSummary; to: SnapshotSummary | 'now' } {
  if (b === 'now' || a.createdAt <= b.createdAt) return { from: a, to: b };
  return { from: b, to: a };
}
