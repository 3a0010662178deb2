'use client';
/** The timeline page: header with connection and presence, toolbar, vis-timeline, side panel, table. */
import Link from 'next/link';
import { useCallback, useMemo, useRef, useState } from 'react';
import { canWrite } from '@/lib/access';
import { describeError } from '@/lib/errors';
import { createEvent, createLane, type TimelineSnapshot } from '@/lib/timeline/model';
import { useSnapshotContent, useTimeline, withShareToken } from './api';
import { EventPanel } from './EventPanel';
import { EventTable } from './EventTable';
import { HistoryPanel, ReplayBanner } from './HistoryPanel';
import { SaveState } from './SaveState';
import { SharePanel } from './SharePanel';
import type { PageAccess } from './TimelinePage';
import { TimelineView, type TimelineViewHandle } from './TimelineView';
import { UserMenu } from './UserMenu';
import { useCollabSession, usePresence, useTimelineSnapshot } from './useCollabDoc';
import { useDisplayName } from './useDisplayName';

export function TimelineEditor({ timelineId, access }: { timelineId: string; access: PageAccess }) {
  const { name, setName, user } = useDisplayName(access.user?.name ?? null, access.mode);
  const { session, state, deniedReason } = useCollabSession(timelineId, user, access.shareToken);
  const snapshot = useTimelineSnapshot(session?.doc);
  const people = usePresence(session?.awareness);
  const summary = useTimeline(timelineId);
  const viewRef = useRef<TimelineViewHandle>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [laneTitle, setLaneTitle] = useState('');
  const [historyOpen, setHistoryOpen] = useState(false);
  const [shareOpen, setShareOpen] = useState(false);
  const canEdit = access.mode === 'edit';
  const canShare = access.user !== null && canWrite(access.user.role);
  // The version the history panel's replay slider shows read-only; null = the live timeline.
  const [replayId, setReplayId] = useState<string | null>(null);
  const replay = useSnapshotContent(timelineId, replayId);
  const replaySnapshot = useMemo<TimelineSnapshot | undefined>(
    () =>
      replay.data && {
        meta: { title: replay.data.timeline.title },
        lanes: replay.data.lanes,
        events: replay.data.events,
      },
    [replay.data],
  );
  const replaying = replayId !== null;
  const readOnly = replaying || !canEdit;
  // What the timeline and the table show: the live document, or the replayed version.
  const shown = replaying ? (replaySnapshot ?? snapshot) : snapshot;

  const handleSelect = useCallback((id: string | null) => setSelectedId(id), []);
  const handleError = useCallback((message: string) => setError(message), []);

  if (state === 'denied') {
    return (
      <main className="page narrow">
        <h1>No access to this timeline</h1>
        <p role="alert" data-testid="access-ended">
          The server ended access: {deniedReason ?? 'no access'}.
        </p>
        <p>
          {access.shareToken
            ? 'Ask the person who shared the link for a new one.'
            : 'Sign in again, or ask an admin for access.'}{' '}
          <a
            href={access.shareToken ? '/login' : `/login?next=/t/${encodeURIComponent(timelineId)}`}
          >
            Sign in
          </a>
        </p>
      </main>
    );
  }

  if (state === 'not-found' || summary.error?.message.includes('not found')) {
    return (
      <main className="page narrow">
        <h1>Timeline not found</h1>
        <p>
          There is no timeline with the id <code>{timelineId}</code>. It may have been deleted, or
          the link is incomplete.
        </p>
        <Link href="/">Back to all timelines</Link>
      </main>
    );
  }

  const doc = session?.doc;
  const selected = shown?.events.find((event) => event.id === selectedId) ?? null;
  const ready = doc && snapshot && state !== 'connecting';

  const handleAddEvent = () => {
    if (!doc || !snapshot || readOnly) return;
    const lane = snapshot.lanes.find((l) => l.id === selected?.lane) ?? snapshot.lanes[0];
    if (!lane) {
      setError('Add a lane first.');
      return;
    }
    const center = viewRef.current?.getCenter() ?? new Date();
    center.setUTCHours(0, 0, 0, 0);
    try {
      const id = createEvent(doc, {
        title: 'New event',
        kind: 'point',
        start: center.toISOString(),
        lane: lane.id,
      });
      setSelectedId(id);
      setError(null);
    } catch (err) {
      setError(describeError(err));
    }
  };

  const handleAddLane = (event: React.FormEvent) => {
    event.preventDefault();
    if (!doc || readOnly) return;
    try {
      createLane(doc, { title: laneTitle });
      setLaneTitle('');
      setError(null);
    } catch (err) {
      setError(describeError(err));
    }
  };

  return (
    <div className="editor">
      <header className="topbar">
        {access.user && (
          <Link href="/" className="back-link" aria-label="All timelines">
            ← Timelines
          </Link>
        )}
        <h1 className="timeline-title" data-testid="timeline-title">
          {snapshot?.meta.title ?? summary.data?.title ?? 'Loading…'}
        </h1>
        <SaveState state={state} tracker={session?.saveTracker} />
        <ul className="presence" aria-label="People here" data-testid="presence">
          {people.map((person) => (
            <li
              key={person.clientId}
              title={`${person.name}${person.self ? ' (you)' : ''}${person.viewing ? ' · viewing' : ''}`}
              data-viewing={person.viewing}
            >
              <span className="avatar" style={{ background: person.color }} aria-hidden="true">
                {initials(person.name)}
              </span>
              <span className="presence-name">
                {person.name}
                {person.self ? ' (you)' : ''}
                {person.viewing ? <span className="muted"> · viewing</span> : null}
              </span>
            </li>
          ))}
        </ul>
        {access.user ? (
          <UserMenu user={access.user} />
        ) : (
          <label className="name-field">
            Your name
            <input value={name} maxLength={60} onChange={(e) => setName(e.target.value)} />
          </label>
        )}
      </header>

      <div className="toolbar" role="toolbar" aria-label="Timeline tools">
        {canEdit ? (
          <>
            <button
              type="button"
              className="primary"
              onClick={handleAddEvent}
              disabled={!ready || readOnly}
            >
              + Add event
            </button>
            <form className="inline-form" onSubmit={handleAddLane}>
              <input
                aria-label="New lane name"
                placeholder="New lane name"
                value={laneTitle}
                maxLength={120}
                onChange={(e) => setLaneTitle(e.target.value)}
                disabled={!ready || readOnly}
              />
              <button type="submit" disabled={!ready || readOnly || !laneTitle.trim()}>
                Add lane
              </button>
            </form>
          </>
        ) : (
          <span className="read-only-note" data-testid="read-only">
            <span className="chip chip-view">View only</span>
            {access.shareToken ? 'Opened with a view link: ' : 'Your role is viewer: '}
            you see every change live but cannot edit.
          </span>
        )}
        <span className="toolbar-spacer" />
        <button type="button" onClick={() => viewRef.current?.zoomIn()} aria-label="Zoom in">
          +
        </button>
        <button type="button" onClick={() => viewRef.current?.zoomOut()} aria-label="Zoom out">
          −
        </button>
        <button type="button" onClick={() => viewRef.current?.fit()}>
          Fit
        </button>
        <button
          type="button"
          aria-expanded={historyOpen}
          onClick={() => {
            setHistoryOpen((open) => !open);
            setShareOpen(false);
          }}
        >
          History
        </button>
        {canShare && (
          <button
            type="button"
            aria-expanded={shareOpen}
            onClick={() => {
              setShareOpen((open) => !open);
              setHistoryOpen(false);
            }}
          >
            Share
          </button>
        )}
        <a
          className="button"
          href={withShareToken(
            `/api/timelines/${encodeURIComponent(timelineId)}/export?format=json`,
          )}
          download
        >
          Export JSON
        </a>
      </div>

      {error && (
        <div className="alert" role="alert">
          {error}
          <button
            type="button"
            className="icon-button"
            onClick={() => setError(null)}
            aria-label="Dismiss"
          >
            ×
          </button>
        </div>
      )}

      {replaying && (
        <ReplayBanner
          snapshot={replay.data?.snapshot}
          loading={replay.isFetching}
          error={replay.error?.message ?? null}
          onBack={() => setReplayId(null)}
        />
      )}

      <div
        className={`editor-body${selected ? ' with-panel' : ''}${historyOpen || shareOpen ? ' with-history' : ''}`}
      >
        <section className={`timeline-frame${replaying ? ' replaying' : ''}`} aria-label="Timeline">
          {doc && shown ? (
            <TimelineView
              ref={viewRef}
              doc={doc}
              snapshot={shown}
              selectedId={selectedId}
              readOnly={readOnly}
              onSelect={handleSelect}
              onError={handleError}
            />
          ) : (
            <p className="loading">Connecting to the timeline…</p>
          )}
          {state === 'connecting' && doc && (
            <p className="overlay-note">Loading the latest version…</p>
          )}
        </section>
        {selected && doc && shown && (
          <EventPanel
            key={`${selected.id}${replaying ? ':replay' : ''}`}
            doc={doc}
            event={selected}
            lanes={shown.lanes}
            readOnly={readOnly}
            onClose={() => setSelectedId(null)}
          />
        )}
        {historyOpen && (
          <HistoryPanel
            timelineId={timelineId}
            author={user.name}
            canWrite={canEdit}
            live={snapshot}
            replayId={replayId}
            onReplay={setReplayId}
            onClose={() => setHistoryOpen(false)}
          />
        )}
        {shareOpen && canShare && (
          <SharePanel timelineId={timelineId} onClose={() => setShareOpen(false)} />
        )}
      </div>

      {shown && (
        <section className="table-section" aria-label="Events">
          <h2>
            Events <span className="count">{shown.events.length}</span>
            {replaying && <span className="count"> · as of the version shown above</span>}
          </h2>
          <EventTable
            events={shown.events}
            lanes={shown.lanes}
            selectedId={selectedId}
            onSelect={setSelectedId}
          />
        </section>
      )}
    </div>
  );
}

/** "Ana Lim" → "AL", "Analyst 878" → "A8": two characters that tell people apart. */
function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters =
    words.length > 1 ? [words[0]![0], words[1]![0]] : [...(words[0] ?? '?')].slice(0, 2);
  return letters.join('').toUpperCase();
}
