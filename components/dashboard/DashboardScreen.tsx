'use client';
/**
 * The dashboard: every figure is derived from the live document (so an analyst's edit shows at
 * once), the log-based panels from the REST API through react-query. Clicking a histogram bar
 * narrows the whole page to its time range; clicking a figure or a breakdown bar lists its events
 * and shows only them on the timeline.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  breakdownByConfidence,
  breakdownByLane,
  computeFigures,
  eventsInRange,
  type FigureKey,
  type TimeRange,
} from '@/lib/dashboard/figures';
import { binRange, histogramBins } from '@/lib/dashboard/histogram';
import { mergeFeed } from '@/lib/dashboard/liveFeed';
import {
  classifySinceVisit,
  summarizeSinceVisit,
  type VisitMark,
} from '@/lib/dashboard/sinceVisit';
import type { TimelineSnapshot } from '@/lib/timeline/model';
import { ACTIVITY_SINCE_LIMIT, dashboardKeys, useActivitySince } from '../api/dashboard';
import { historyKeys, useActivity } from '../api/history';
import { isNotFound } from '../api/request';
import { useTimeline } from '../api/timelines';
import type { PageAccess } from '../timeline/pageAccess';
import { documentArrival } from '../timeline/session/arrival';
import { useEditingSession } from '../timeline/session/EditingSessionProvider';
import { AccessEnded, TimelineNotFound } from '../timeline/TimelineNotices';
import { TimelineView } from '../timeline/TimelineView';
import { AroundNow } from './AroundNow';
import { ChangeFeed } from './ChangeFeed';
import { BreakdownChart, HistogramChart } from './charts';
import { DashboardHeader } from './DashboardHeader';
import { EventList } from './EventList';
import { Figures } from './Figures';
import { useLastVisit } from './useLastVisit';
import { useLiveFeed } from './useLiveFeed';
import { useWallMode } from './useWallMode';
import { useWholeRows } from './useWholeRows';

const WEEK_MS = 7 * 24 * 3600 * 1000;
/** The server writes the activity log about a second after an edit: ask for it a bit later. */
const LOG_DELAY_MS = 1_500;

/** What the event list shows: a figure's events, a breakdown bar's, or the changes since the visit. */
type Focus =
  | { kind: 'figure'; key: FigureKey }
  | { kind: 'lane' | 'confidence'; key: string; label: string }
  | { kind: 'since-visit' };

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

export function DashboardScreen({
  timelineId,
  access,
  initialWall,
}: {
  timelineId: string;
  access: PageAccess;
  initialWall: boolean;
}) {
  const { doc, awareness, snapshot, state, deniedReason, reading, partial } = useEditingSession();
  const summary = useTimeline(timelineId);
  const now = useNow(30_000);
  const [wall, enterWall] = useWallMode(initialWall);
  const rootRef = useRef<HTMLDivElement>(null);
  useWholeRows(rootRef, wall);
  const [bin, setBin] = useState<number | null>(null);
  const [focus, setFocus] = useState<Focus | null>(null);

  const visit = useLastVisit(timelineId, access.user !== null);
  const [openedAt] = useState(() => Date.now());
  // One log query serves this week's contributors and the changes since the last visit.
  const since = visit.ready
    ? new Date(
        Math.min(
          visit.previous ? Date.parse(visit.previous) : Number.POSITIVE_INFINITY,
          openedAt - WEEK_MS,
        ),
      ).toISOString()
    : null;
  const logSince = useActivitySince(timelineId, since);
  const recent = useActivity(timelineId, true, 30);

  // A live change will be in the log shortly: fetch it then rather than at the next interval.
  const queryClient = useQueryClient();
  const refetchTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const refetchLog = useCallback(() => {
    clearTimeout(refetchTimer.current);
    refetchTimer.current = setTimeout(() => {
      void queryClient.invalidateQueries({ queryKey: historyKeys.activity(timelineId) });
      void queryClient.invalidateQueries({ queryKey: dashboardKeys.activity(timelineId) });
    }, LOG_DELAY_MS);
  }, [queryClient, timelineId]);
  useEffect(() => () => clearTimeout(refetchTimer.current), []);
  const live = useLiveFeed(doc, awareness, state, refetchLog);

  // A part of the document (still arriving) is not counted: the figures wait for the whole.
  const derived = useDerived(partial ? null : snapshot, bin, logSince.data, visit.previous, now);

  if (state === 'denied') {
    return (
      <AccessEnded
        timelineId={timelineId}
        reason={deniedReason}
        viaShareLink={access.shareToken !== null}
      />
    );
  }
  if (state === 'not-found' || isNotFound(summary.error)) {
    return <TimelineNotFound timelineId={timelineId} />;
  }

  const { arriving, title, loadingEvents } = documentArrival(
    state,
    snapshot,
    summary.data,
    partial,
  );
  const { events, shown, lanes, figures, histogram, sinceVisit, range } = derived;
  const marks = sinceVisit?.marks ?? NO_MARKS;
  // The log query returns at most ACTIVITY_SINCE_LIMIT entries: beyond that the counts are partial.
  const logCapped = (logSince.data?.length ?? 0) >= ACTIVITY_SINCE_LIMIT;
  const focusIds = focusedIds(focus, derived);
  const focusTitle = describeFocus(focus, figures);
  const listed = focusIds ? shown.filter((event) => focusIds.has(event.id)) : null;
  const timelineSnapshot: TimelineSnapshot | null =
    snapshot && (listed ? { ...snapshot, events: listed } : snapshot);
  const feed = mergeFeed(recent.data ?? [], live, { fetchedAt: recent.dataUpdatedAt });
  const ready = Boolean(doc && snapshot && state !== 'connecting' && !reading);

  const selectBin = (index: number) => setBin((current) => (current === index ? null : index));
  const toggleFocus = (next: Focus) =>
    setFocus((current) => (JSON.stringify(current) === JSON.stringify(next) ? null : next));

  return (
    <div
      ref={rootRef}
      className={`dashboard${wall ? ' wall' : ''}`}
      data-testid="dashboard"
      data-wall={wall}
    >
      <DashboardHeader
        timelineId={timelineId}
        title={title}
        access={access}
        state={state}
        wall={wall}
        onWall={enterWall}
        period={range && { ...range, shown: shown.length, total: events.length }}
      />

      <div className="dash-status">
        <p
          className="since-visit"
          data-testid="since-visit"
          data-ready={visit.ready && !logSince.isPending}
        >
          {!visit.ready || (since && logSince.isPending)
            ? 'Checking what changed since your last visit…'
            : visit.previous && sinceVisit
              ? summarizeSinceVisit(sinceVisit.counts, Date.parse(visit.previous), now)
              : 'First visit: changes from now on will be marked next time.'}
          {logCapped && (
            <span className="muted" data-testid="since-visit-capped">
              {' '}
              (counted from the latest {ACTIVITY_SINCE_LIMIT.toLocaleString('en')} logged changes;
              older ones are not included)
            </span>
          )}
          {!wall && sinceVisit && sinceVisit.marks.size > 0 && (
            <>
              {' '}
              <button
                type="button"
                className="link-button"
                onClick={() => toggleFocus({ kind: 'since-visit' })}
              >
                Show them
              </button>
            </>
          )}
        </p>
        <p
          className="dash-range"
          data-testid="range"
          data-start={range ? new Date(range.start).toISOString() : ''}
          data-end={range ? new Date(range.end).toISOString() : ''}
        >
          {range ? (
            <>
              Showing <strong>{histogram.bins[bin!]?.label}</strong>
              {!wall && (
                <>
                  {' · '}
                  <button type="button" className="link-button" onClick={() => setBin(null)}>
                    Show the whole timeline
                  </button>
                </>
              )}
            </>
          ) : (
            'Showing the whole timeline'
          )}
        </p>
      </div>

      {arriving ? (
        <section className="dash-card dash-empty" data-testid="dashboard-loading">
          <h2>{loadingEvents ?? 'Loading the timeline…'}</h2>
          <p>The figures, charts and changes appear here once the timeline has arrived.</p>
        </section>
      ) : snapshot && events.length === 0 ? (
        <section className="dash-card dash-empty" data-testid="dashboard-empty">
          <h2>No events yet</h2>
          <p>
            When analysts add events to “{title}”, the figures, charts and changes appear here live
            — no need to reload.
          </p>
        </section>
      ) : null}

      {/* Nothing to count before the timeline has arrived: no zeros that look like facts. */}
      {!arriving && (
        <>
          <Figures
            figures={figures}
            selected={focus?.kind === 'figure' ? focus.key : null}
            onSelect={(key) => toggleFocus({ kind: 'figure', key })}
            interactive={!wall}
          />

          <div className="dash-grid">
            <section className="dash-card histogram-card" aria-label="Events over time">
              <div className="dash-card-head">
                <h2>Events over time</h2>
                {!wall && histogram.bins.length > 0 && (
                  <span className="muted">by {histogram.unit} · click a bar to focus on it</span>
                )}
              </div>
              {histogram.bins.length > 0 ? (
                <HistogramChart
                  bins={histogram.bins}
                  unit={histogram.unit}
                  selected={bin}
                  onSelect={selectBin}
                  interactive={!wall}
                />
              ) : (
                <p className="empty">The chart fills in as events are dated.</p>
              )}
            </section>

            <section className="dash-card" aria-label="Events by lane">
              <div className="dash-card-head">
                <h2>By lane</h2>
              </div>
              {derived.byLane.length > 0 ? (
                <BreakdownChart
                  title="Events by lane"
                  rows={derived.byLane}
                  testId="by-lane"
                  interactive={!wall}
                  onSelect={(row) => toggleFocus({ kind: 'lane', key: row.key, label: row.label })}
                />
              ) : (
                <p className="empty">No lanes yet.</p>
              )}
            </section>

            <section className="dash-card" aria-label="Events by confidence">
              <div className="dash-card-head">
                <h2>By confidence</h2>
              </div>
              <BreakdownChart
                title="Events by confidence"
                rows={derived.byConfidence}
                testId="by-confidence"
                interactive={!wall}
                onSelect={(row) =>
                  toggleFocus({ kind: 'confidence', key: row.key, label: row.label })
                }
              />
            </section>

            {!wall && listed && (
              <EventList
                title={focusTitle}
                events={listed}
                lanes={lanes}
                marks={marks}
                removed={focus?.kind === 'since-visit' ? sinceVisit?.removedTitles : undefined}
                onClose={() => setFocus(null)}
              />
            )}

            <section className="dash-card timeline-card" aria-label="Timeline">
              <div className="dash-card-head">
                <h2>Timeline{listed ? ` · ${focusTitle}` : ''}</h2>
                {[...marks.values()].some((mark) => mark !== 'removed') && <MarkLegend />}
              </div>
              <div className="dash-timeline">
                {doc && timelineSnapshot ? (
                  <TimelineView
                    // vis measures its labels once: the wall's larger type needs a new instance.
                    key={wall ? 'wall' : 'page'}
                    snapshot={timelineSnapshot}
                    selectedId={null}
                    readOnly
                    ready={ready}
                    window={
                      range ? { start: new Date(range.start), end: new Date(range.end) } : null
                    }
                    marks={sinceVisit?.marks}
                    onSelect={() => {}}
                    onError={() => {}}
                  />
                ) : (
                  <p className="loading">Connecting to the timeline…</p>
                )}
              </div>
            </section>

            <ChangeFeed
              entries={feed}
              error={recent.error && recent.data ? recent.error.message : null}
            />
            <AroundNow events={shown} now={now} lanes={lanes} marks={marks} />
          </div>
        </>
      )}
      {wall && <p className="wall-hint">Press Esc to leave the wall screen.</p>}
    </div>
  );
}

const NO_MARKS: ReadonlyMap<string, VisitMark> = new Map();

/** What the NEW and CHANGED badges on the timeline's events mean. */
function MarkLegend() {
  return (
    <ul className="mark-legend" aria-label="Marks on the timeline" data-testid="mark-legend">
      <li>
        <span className="mark-badge mark-badge-added" aria-hidden="true">
          New
        </span>
        added since your last visit
      </li>
      <li>
        <span className="mark-badge mark-badge-changed" aria-hidden="true">
          Changed
        </span>
        since your last visit
      </li>
    </ul>
  );
}

function useDerived(
  snapshot: TimelineSnapshot | null,
  bin: number | null,
  log: Parameters<typeof computeFigures>[1]['activity'] | undefined,
  previousVisit: string | null,
  now: number,
) {
  return useMemo(() => {
    const events = snapshot?.events ?? [];
    const histogram = histogramBins(events);
    const chosen = bin === null ? undefined : histogram.bins[bin];
    const range: TimeRange | null = chosen ? binRange(chosen) : null;
    const shown = eventsInRange(events, range);
    const activity = log ?? [];
    const liveIds = new Set(events.map((event) => event.id));
    return {
      events,
      shown,
      range,
      histogram,
      lanes: new Map((snapshot?.lanes ?? []).map((lane) => [lane.id, lane])),
      figures: computeFigures(shown, { now, activity }),
      byLane: breakdownByLane(shown, snapshot?.lanes ?? []),
      byConfidence: breakdownByConfidence(shown),
      sinceVisit:
        previousVisit && log ? classifySinceVisit(log, Date.parse(previousVisit), liveIds) : null,
    };
  }, [snapshot, bin, log, previousVisit, now]);
}

type Derived = ReturnType<typeof useDerived>;

function focusedIds(focus: Focus | null, derived: Derived): Set<string> | null {
  if (!focus) return null;
  switch (focus.kind) {
    case 'figure':
      return new Set(derived.figures.find((figure) => figure.key === focus.key)?.eventIds ?? []);
    case 'lane':
      return new Set(derived.byLane.find((row) => row.key === focus.key)?.eventIds ?? []);
    case 'confidence':
      return new Set(derived.byConfidence.find((row) => row.key === focus.key)?.eventIds ?? []);
    case 'since-visit':
      return new Set(derived.sinceVisit?.marks.keys() ?? []);
  }
}

function describeFocus(focus: Focus | null, figures: Derived['figures']): string {
  if (!focus) return '';
  switch (focus.kind) {
    case 'figure':
      return figures.find((figure) => figure.key === focus.key)?.label ?? '';
    case 'lane':
      return `Lane ${focus.label}`;
    case 'confidence':
      return focus.key === 'none' ? focus.label : `${focus.label} confidence`;
    case 'since-visit':
      return 'Changed since your last visit';
  }
}
