'use client';
/** The timeline page: header with connection and presence, toolbar, vis-timeline, side panel, table. */
import Link from 'next/link';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { canWrite } from '@/lib/access';
import { describeError } from '@/lib/errors';
import type { TimelineSnapshot } from '@/lib/timeline/model';
import { timelinePath } from '@/lib/timelinePaths';
import { SharePanel } from '../access/SharePanel';
import { UserMenu } from '../access/UserMenu';
import { useSnapshotContent } from '../api/history';
import { isNotFound } from '../api/request';
import { useTimeline } from '../api/timelines';
import { HistoryPanel } from '../history/HistoryPanel';
import { ReplayBanner } from '../history/Replay';
import { EditorToolbar } from './EditorToolbar';
import { EventPanel } from './EventPanel';
import { EventTable } from './EventTable';
import { TimelineActions } from './header/TimelineActions';
import { TimelineTitle } from './header/TimelineTitle';
import { LanesPanel } from './lanes/LanesPanel';
import { PresenceList } from './PresenceList';
import type { PageAccess } from './pageAccess';
import { SaveState } from './SaveState';
import { EditingSessionProvider, useEditingSession } from './session/EditingSessionProvider';
import { AccessEnded, TimelineNotFound } from './TimelineNotices';
import { TimelineView, type TimelineViewHandle } from './TimelineView';

export function TimelineEditor({ timelineId, access }: { timelineId: string; access: PageAccess }) {
  return (
    <EditingSessionProvider timelineId={timelineId} access={access}>
      <TimelineScreen timelineId={timelineId} access={access} />
    </EditingSessionProvider>
  );
}

function TimelineScreen({ timelineId, access }: { timelineId: string; access: PageAccess }) {
  const session = useEditingSession();
  const { doc, snapshot, state, commands } = session;
  const summary = useTimeline(timelineId);
  const viewRef = useRef<TimelineViewHandle>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [historyOpen, setHistoryOpen] = useState(false);
  const [shareOpen, setShareOpen] = useState(false);
  const [lanesOpen, setLanesOpen] = useState(false);
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
  // Esc closes the event panel, or else the history or share panel.
  useEffect(() => {
    const closePanel = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      if (selectedId) setSelectedId(null);
      else {
        setHistoryOpen(false);
        setShareOpen(false);
      }
    };
    document.addEventListener('keydown', closePanel);
    return () => document.removeEventListener('keydown', closePanel);
  }, [selectedId]);

  if (state === 'denied') {
    return (
      <AccessEnded
        timelineId={timelineId}
        reason={session.deniedReason}
        viaShareLink={access.shareToken !== null}
      />
    );
  }
  if (state === 'not-found' || isNotFound(summary.error)) {
    return <TimelineNotFound timelineId={timelineId} />;
  }

  const selected = shown?.events.find((event) => event.id === selectedId) ?? null;
  const ready = Boolean(doc && snapshot && state !== 'connecting');
  const title = snapshot?.meta.title ?? summary.data?.title ?? 'Loading…';

  const handleAddEvent = () => {
    if (!doc || !snapshot || readOnly) return;
    const lane = snapshot.lanes.find((l) => l.id === selected?.lane) ?? snapshot.lanes[0];
    if (!lane) {
      setError('Add a lane first.');
      return;
    }
    // Inside the visible window, whatever the zoom (a whole day when the window shows days).
    const start = viewRef.current?.pickAddDate() ?? new Date();
    try {
      const id = commands.createEvent({
        title: 'New event',
        kind: 'point',
        start: start.toISOString(),
        lane: lane.id,
      });
      setSelectedId(id);
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
        <TimelineTitle
          title={title}
          canRename={canEdit && ready && !replaying}
          onRename={(next) => commands.setTitle(next)}
        />
        {access.user && snapshot && (
          <TimelineActions timelineId={timelineId} title={title} role={access.user.role} />
        )}
        <Link
          href={timelinePath(timelineId, 'dashboard', access.shareToken)}
          className="button dashboard-link"
          data-testid="dashboard-link"
        >
          Dashboard
        </Link>
        <SaveState state={state} tracker={session.saveTracker ?? undefined} />
        <PresenceList people={session.people} />
        {access.user ? (
          <UserMenu user={access.user} />
        ) : (
          <label className="name-field">
            Your name
            <input
              value={session.displayName}
              maxLength={60}
              onChange={(e) => session.setDisplayName(e.target.value)}
            />
          </label>
        )}
      </header>

      <EditorToolbar
        timelineId={timelineId}
        canEdit={canEdit}
        canShare={canShare}
        ready={ready}
        readOnly={readOnly}
        view={viewRef}
        title={title}
        historyOpen={historyOpen}
        shareOpen={shareOpen}
        lanesOpen={lanesOpen}
        onAddEvent={handleAddEvent}
        onToggleHistory={() => {
          setHistoryOpen((open) => !open);
          setShareOpen(false);
          setLanesOpen(false);
        }}
        onToggleShare={() => {
          setShareOpen((open) => !open);
          setHistoryOpen(false);
          setLanesOpen(false);
        }}
        onToggleLanes={() => {
          setLanesOpen((open) => !open);
          setHistoryOpen(false);
          setShareOpen(false);
        }}
        onError={setError}
      />

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
        className={`editor-body${selected ? ' with-panel' : ''}${historyOpen || shareOpen || lanesOpen ? ' with-history' : ''}`}
      >
        <section className={`timeline-frame${replaying ? ' replaying' : ''}`} aria-label="Timeline">
          {doc && shown ? (
            <TimelineView
              ref={viewRef}
              snapshot={shown}
              selectedId={selectedId}
              readOnly={readOnly}
              ready={ready}
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
            event={selected}
            lanes={shown.lanes}
            readOnly={readOnly}
            historical={replaying}
            onClose={() => setSelectedId(null)}
          />
        )}
        {historyOpen && (
          <HistoryPanel
            timelineId={timelineId}
            author={session.user.name}
            canWrite={canEdit}
            live={snapshot}
            replayId={replayId}
            onReplay={setReplayId}
            onClose={() => setHistoryOpen(false)}
          />
        )}
        {lanesOpen && shown && (
          <LanesPanel
            lanes={shown.lanes}
            events={shown.events}
            readOnly={readOnly || !ready}
            onClose={() => setLanesOpen(false)}
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
            onSelect={(id) => {
              setSelectedId(id);
              viewRef.current?.reveal(id);
            }}
          />
        </section>
      )}
    </div>
  );
}
