'use client';
/** The timeline page: header with connection and presence, toolbar, vis-timeline, side panel, table. */
import dynamic from 'next/dynamic';
import Link from 'next/link';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { canWrite } from '@/lib/access';
import { describeError } from '@/lib/errors';
import { encodeExportFilters } from '@/lib/export/options';
import type { TimelineSnapshot } from '@/lib/timeline/model';
import { timelinePath } from '@/lib/timelinePaths';
import { SharePanel } from '../access/SharePanel';
import { UserMenu } from '../access/UserMenu';
import { useSnapshotContent } from '../api/history';
import { isNotFound } from '../api/request';
import { useTimeline } from '../api/timelines';
import { ReplayBanner } from '../history/Replay';
import { Toast } from '../ui/Toast';
import { EditorToolbar } from './EditorToolbar';
import { EventTable } from './EventTable';
import { FilterBar } from './filters/FilterBar';
import { useEventFilter } from './filters/useEventFilter';
import { useFitOnFilterChange } from './filters/useFitOnFilterChange';
import { TimelineActions } from './header/TimelineActions';
import { TimelineTitle } from './header/TimelineTitle';
import { LanesPanel } from './lanes/LanesPanel';
import { PresenceList } from './PresenceList';
import type { PageAccess } from './pageAccess';
import { usePublishActivity } from './presence/usePublishActivity';
import { SaveState } from './SaveState';
import { ShortcutsDialog } from './ShortcutsDialog';
import { documentArrival } from './session/arrival';
import { EditingSessionProvider, useEditingSession } from './session/EditingSessionProvider';
import { AccessEnded, TimelineNotFound } from './TimelineNotices';
import { TimelineView, type TimelineViewHandle } from './TimelineView';
import { useUndoToast } from './UndoControls';
import { useTimelineKeys } from './useTimelineKeys';

// Loaded when first opened (the event panel as soon as the timeline is drawn): they are not
// needed to draw it, and the description editor (CodeMirror) and the history's diff are big.
const loadEventPanel = () => import('./EventPanel').then((module) => module.EventPanel);
const EventPanel = dynamic(loadEventPanel, { ssr: false, loading: PanelLoading });
const HistoryPanel = dynamic(
  () => import('../history/HistoryPanel').then((module) => module.HistoryPanel),
  { ssr: false, loading: PanelLoading },
);

function PanelLoading() {
  return (
    <aside className="panel" aria-busy="true">
      <p className="loading">Loading…</p>
    </aside>
  );
}

const NO_EVENTS: TimelineSnapshot['events'] = [];

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
  // The selection (outlined on the axis) and whether its panel is open: the arrow keys move the
  // selection without opening the panel; a click or Enter opens it.
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [panelOpen, setPanelOpen] = useState(false);
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
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
  // Search and filters (URL-held): filter the events ONCE here for the axis and the list.
  const filter = useEventFilter(timelineId, doc, shown?.events ?? NO_EVENTS);
  useFitOnFilterChange(viewRef, filter);
  const dimmedIds = useMemo(
    () =>
      filter.active && filter.filters.dim
        ? new Set(shown?.events.filter((e) => !filter.matchingIds.has(e.id)).map((e) => e.id))
        : undefined,
    [filter.active, filter.filters.dim, filter.matchingIds, shown],
  );
  const visible = useMemo<TimelineSnapshot | null>(
    () =>
      shown && filter.active && !filter.filters.dim ? { ...shown, events: filter.matching } : shown,
    [shown, filter.active, filter.filters.dim, filter.matching],
  );

  const handleSelect = useCallback((id: string | null) => {
    setSelectedId(id);
    setPanelOpen(id !== null);
  }, []);
  const handleError = useCallback((message: string) => setError(message), []);
  // An event brought back by the toast's Undo is selected again (by id: it is a new Y.Map).
  const handleRestored = useCallback((ids: string[]) => {
    if (ids.length === 1) setSelectedId(ids[0] ?? null);
  }, []);
  const { toast, dismiss } = useUndoToast(session.undo, handleRestored);
  // A version restored from this page: the steps before it would undo into the restored state.
  const handleRestoredVersion = useCallback(() => session.undo?.clear(), [session.undo]);
  // "N" opens the new event's panel with its title focused, once the panel shows it.
  const [focusTitleOf, setFocusTitleOf] = useState<string | null>(null);

  const selected = shown?.events.find((event) => event.id === selectedId) ?? null;
  const panelEvent = panelOpen ? selected : null;
  const ready = Boolean(doc && snapshot && state !== 'connecting' && !session.reading);
  usePublishActivity(session.awareness, selectedId, panelEvent?.id ?? null);
  const { arriving, title, loadingEvents } = documentArrival(
    state,
    snapshot,
    summary.data,
    session.partial,
  );

  const handleAddEvent = (focusTitle = false) => {
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
      setPanelOpen(true);
      if (focusTitle) setFocusTitleOf(id);
      setError(null);
    } catch (err) {
      setError(describeError(err));
    }
  };

  useTimelineKeys({
    canEdit: ready && !readOnly,
    events: visible?.events ?? [],
    selectedId,
    panelOpen,
    view: viewRef,
    undo: session.undo,
    select: setSelectedId,
    setPanelOpen,
    addEvent: () => handleAddEvent(true),
    deleteEvent: (id) => {
      try {
        commands.deleteEvent(id);
        setSelectedId(null);
      } catch (err) {
        setError(describeError(err));
      }
    },
    showHelp: () => setShortcutsOpen(true),
    closeSidePanels: () => {
      setHistoryOpen(false);
      setShareOpen(false);
    },
  });
  // The panel's code is fetched once the timeline is ready, before anyone opens it.
  useEffect(() => {
    if (ready) void loadEventPanel();
  }, [ready]);
  const titleFocused = useCallback(() => setFocusTitleOf(null), []);

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
        <PresenceList people={session.people} follow={session.follow} />
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
        exportFilter={
          filter.active
            ? {
                query: encodeExportFilters(filter.filters),
                shown: filter.matching.length,
                total: filter.total,
              }
            : null
        }
        historyOpen={historyOpen}
        shareOpen={shareOpen}
        lanesOpen={lanesOpen}
        onAddEvent={() => handleAddEvent()}
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

      {shown && (
        <FilterBar
          state={filter}
          lanes={shown.lanes}
          events={shown.events}
          doc={doc}
          canEdit={canEdit && !replaying}
          author={session.user.name}
          loading={arriving}
        />
      )}

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
        className={`editor-body${panelEvent ? ' with-panel' : ''}${historyOpen || shareOpen || lanesOpen ? ' with-history' : ''}`}
      >
        {/* A click on the axis takes the focus from a button clicked before (Fit, Zoom): Enter
            then opens the selected event rather than pressing that button again. vis cancels
            the pointer's default, so the focus is moved here. */}
        <section
          className={`timeline-frame${replaying ? ' replaying' : ''}`}
          aria-label="Timeline"
          tabIndex={-1}
          onPointerDown={(event) => {
            const target = event.target as Element;
            if (!target.closest('button, a[href], input, select, textarea, summary')) {
              event.currentTarget.focus({ preventScroll: true });
            }
          }}
        >
          {doc && visible ? (
            <TimelineView
              ref={viewRef}
              snapshot={visible}
              dimmedIds={dimmedIds}
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
            <p className="overlay-note" data-testid="arrival-note">
              {session.partial && snapshot && snapshot.events.length > 0
                ? arrivedSoFar(snapshot.events.length, summary.data?.eventCount)
                : 'Loading the latest version…'}
            </p>
          )}
          {state !== 'connecting' && session.reading && (
            <p className="overlay-note" data-testid="reading-events">
              Reading the events…
            </p>
          )}
        </section>
        {panelEvent && doc && shown && (
          <EventPanel
            key={`${panelEvent.id}${replaying ? ':replay' : ''}`}
            event={panelEvent}
            lanes={shown.lanes}
            events={shown.events}
            readOnly={readOnly}
            historical={replaying}
            onClose={() => setPanelOpen(false)}
            onSelectEvent={(id) => {
              handleSelect(id);
              setPanelOpen(true);
              viewRef.current?.reveal(id);
            }}
            focusTitle={focusTitleOf === panelEvent.id}
            onTitleFocused={titleFocused}
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
            onRestored={handleRestoredVersion}
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

      {shown && visible && (
        <section className="table-section" aria-label="Events">
          <h2>
            Events{' '}
            <span className="count">
              {arriving
                ? '…'
                : filter.active
                  ? `${filter.matching.length} of ${shown.events.length}`
                  : shown.events.length}
            </span>
            {replaying && <span className="count"> · as of the version shown above</span>}
          </h2>
          {arriving ? (
            <p className="empty" data-testid="events-loading">
              {loadingEvents ?? 'Loading the events…'}
            </p>
          ) : visible.events.length === 0 && shown.events.length > 0 ? (
            <p className="empty">No events match the search and filters.</p>
          ) : (
            <EventTable
              events={visible.events}
              lanes={shown.lanes}
              selectedId={selectedId}
              dimmedIds={dimmedIds}
              onSelect={(id) => {
                handleSelect(id);
                viewRef.current?.reveal(id);
              }}
            />
          )}
        </section>
      )}
      <Toast toast={toast} onDismiss={dismiss} />
      {shortcutsOpen && (
        <ShortcutsDialog canEdit={canEdit} onClose={() => setShortcutsOpen(false)} />
      )}
    </div>
  );
}

/** What the axis says while a big timeline's first part is shown and the rest still arrives. */
function arrivedSoFar(shown: number, total: number | undefined): string {
  const count = (n: number) => n.toLocaleString('en-US');
  if (total && shown >= total)
    return `All ${count(shown)} events shown; editing opens in a moment…`;
  return total && total >= shown
    ? `Showing the first ${count(shown)} of ${count(total)} events; the rest is arriving…`
    : `Showing the first ${count(shown)} events; the rest is arriving…`;
}
