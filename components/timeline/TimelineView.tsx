'use client';
/**
 * The only module that talks to vis-timeline. It draws lanes and events from the document
 * snapshot, and turns vis interactions (double-click to add, drag to move or resize, drag to
 * another lane, delete) into the editing session's commands — vis never holds state of its own
 * that the document does not have.
 *
 * The visible window belongs to the person looking: it is set once when the timeline opens, and
 * afterwards moves only when this person acts (zoom, pan, Fit, Go to date, picking an event in
 * the table, re-dating the selected event themselves). A remote change never moves it.
 */
import moment from 'moment';
import { forwardRef, useCallback, useEffect, useImperativeHandle, useRef, useState } from 'react';
import Arrow from 'timeline-arrows';
import { DataSet } from 'vis-data/esnext';
import { Timeline, type TimelineOptions } from 'vis-timeline/esnext';
import type * as Y from 'yjs';
import type { VisitMark } from '@/lib/dashboard/sinceVisit';
import { describeError } from '@/lib/errors';
import { AxisIndex, isClusterId } from '@/lib/timeline/axisWindow';
import type { TimelineEvent, TimelineSnapshot } from '@/lib/timeline/model';
import { AxisTooltip, type HoveredItem } from './AxisTooltip';
import { type AxisWindow, centreOn, fitEvents, pickAddDate, snapDragged } from './axisRange';
import { eventIdOfItem, linkArrows } from './evidenceAxis';
import { Legend } from './Legend';
import { replaceArrows } from './linkArrowLayer';
import { FollowIndicator } from './presence/FollowIndicator';
import { attachPresenceLayer } from './presence/presenceLayer';
import type { EditingCommands } from './session/commands';
import { useEditingCommands, useEditingSession } from './session/EditingSessionProvider';
import {
  type EventItem,
  renderText,
  syncDataSet,
  toAxisEntry,
  toWindowItems,
  UNASSIGNED_LANE,
} from './visItems';

/** Frames an empty snapshot is given to fill after the sync before the opening range is chosen. */
const OPENING_WAIT_FRAMES = 30;

export interface TimelineViewHandle {
  /** Shows every event (today ±1 month when there is none), whatever panels are open. */
  fit(): void;
  zoomIn(): void;
  zoomOut(): void;
  /** Centres the axis on a date, keeping the zoom. */
  goTo(date: Date): void;
  /** Moves the axis, keeping the zoom, so that an event is in view; no-op when it already is. */
  reveal(eventId: string): void;
  /** Where the "Add event" button places a new event: inside the visible window. */
  pickAddDate(): Date;
}

interface Props {
  snapshot: TimelineSnapshot;
  selectedId: string | null;
  readOnly: boolean;
  /** The document has been loaded from the server: the moment to choose the opening range. */
  ready: boolean;
  /**
   * A window chosen by the page (the dashboard's histogram): shown when it changes, and opened
   * on instead of the events' extent. The person can still zoom and pan from there.
   */
  window?: AxisWindow | null;
  onSelect(id: string | null): void;
  onError(message: string): void;
  /** Events drawn faded: they do not match the filters (components/timeline/filters). */
  dimmedIds?: ReadonlySet<string>;
  /** Events marked on the axis (the dashboard's "new / changed since your last visit"). */
  marks?: ReadonlyMap<string, VisitMark>;
}

const DAY = 24 * 3600 * 1000;
const NO_ANIMATION = { animation: false } as const;

export const TimelineView = forwardRef<TimelineViewHandle, Props>(function TimelineView(
  {
    snapshot,
    selectedId,
    readOnly,
    ready,
    window: chosenWindow = null,
    onSelect,
    onError,
    dimmedIds,
    marks,
  },
  ref,
) {
  const commands = useEditingCommands();
  const { doc, origin, awareness, follow, partial } = useEditingSession();
  const containerRef = useRef<HTMLDivElement>(null);
  const timelineRef = useRef<Timeline | null>(null);
  const arrowsRef = useRef<Arrow | null>(null);
  const itemsRef = useRef(new DataSet<EventItem>());
  // Only the visible window (plus a margin) goes to vis; crowded lanes as counted bands.
  const axisRef = useRef(new AxisIndex<TimelineEvent>());
  const drawRef = useRef<() => void>(() => {});
  const groupsRef = useRef(
    new DataSet<{ id: string; content: string; order: number; style?: string }>(),
  );
  // The window as this person left it, kept across re-creations of the vis instance.
  const windowRef = useRef<AxisWindow | null>(null);
  // The opening window is chosen once the document is ready (below), unless the person moved the
  // axis before that (a big timeline shows its first events while the rest arrives).
  const opened = useRef(false);
  const movedBeforeOpening = useRef(false);
  // vis sets the window it was created with once more at its first draw (its "initial fit", on
  // its first `changed`): a window the page chose before that would be undone — a first part of
  // a big timeline, shown before vis had drawn, stayed off the axis. Such a window waits for it.
  const visFitted = useRef(false);
  const pendingWindow = useRef<AxisWindow | null>(null);
  const chooseWindow = useCallback((window: AxisWindow) => {
    const timeline = timelineRef.current;
    if (!timeline) return;
    if (visFitted.current) showWindow(timeline, window);
    else pendingWindow.current = window;
  }, []);
  const [hovered, setHovered] = useState<HoveredItem | null>(null);
  // Callbacks read the latest props without re-creating the vis instance.
  const latest = useRef({
    commands,
    snapshot,
    selectedId,
    onSelect,
    onError,
    readOnly,
    chosenWindow,
  });
  latest.current = { commands, snapshot, selectedId, onSelect, onError, readOnly, chosenWindow };

  const reveal = useCallback((eventId: string) => {
    const timeline = timelineRef.current;
    const event = latest.current.snapshot.events.find((e) => e.id === eventId);
    if (!timeline || !event) return;
    const centre = centreOn(event, timeline.getWindow());
    if (centre) timeline.moveTo(centre, NO_ANIMATION);
  }, []);

  useImperativeHandle(ref, () => ({
    fit: () => showWindow(timelineRef.current, fitAll(latest.current.snapshot.events)),
    zoomIn: () => timelineRef.current?.zoomIn(0.5),
    zoomOut: () => timelineRef.current?.zoomOut(0.5),
    goTo: (date) => timelineRef.current?.moveTo(date, NO_ANIMATION),
    reveal,
    pickAddDate: () => {
      const timeline = timelineRef.current;
      return timeline ? pickAddDate(timeline.getWindow()) : new Date();
    },
  }));

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const write = (action: (commands: EditingCommands) => void): boolean => {
      // Replay is read-only for everyone, editors included: the session's commands cannot know.
      if (latest.current.readOnly) {
        latest.current.onError('This view is read-only.');
        return false;
      }
      try {
        action(latest.current.commands);
        return true;
      } catch (error) {
        latest.current.onError(describeError(error));
        return false;
      }
    };
    const opening =
      windowRef.current ?? latest.current.chosenWindow ?? fitAll(latest.current.snapshot.events);
    const options: TimelineOptions = {
      // Everyone sees the same dates wherever they are: the axis is in UTC, like the side panel.
      moment: (date: moment.MomentInput) => moment(date).utc(),
      start: opening.start,
      end: opening.end,
      editable: readOnly ? false : { add: true, updateTime: true, updateGroup: true, remove: true },
      selectable: true,
      multiselect: false,
      stack: true,
      orientation: { axis: 'top', item: 'top' },
      groupOrder: 'order',
      height: '100%',
      // Lanes that do not fit the frame (many lanes, a phone) scroll inside it.
      verticalScroll: true,
      zoomMin: 3600 * 1000,
      zoomMax: 200 * 365 * DAY,
      margin: { item: { horizontal: 6, vertical: 6 } },
      tooltipOnItemUpdateTime: true,
      snap: snapDragged,
      // vis calls templates with null while it tears down; render nothing then.
      template: (item: EventItem | null) =>
        item?.clusterCount
          ? renderText(String(item.clusterCount), {
              'data-cluster-count': String(item.clusterCount),
              title: `${item.clusterCount} events: click to zoom in`,
            })
          : item?.eventTitle
            ? renderText(item.eventTitle, { 'data-event-id': String(item.id) })
            : '',
      groupTemplate: (group: { content: string } | null) =>
        group ? renderText(group.content) : '',
      onAdd: (item, callback) => {
        // The item appears when the document update comes back; vis must not add its own copy.
        callback(null);
        const { snapshot: current } = latest.current;
        const lane = current.lanes.find((l) => l.id === item.group) ?? current.lanes[0];
        if (!lane) {
          latest.current.onError('Add a lane first.');
          return;
        }
        let id = '';
        const ok = write((commands) => {
          id = commands.createEvent({
            title: 'New event',
            kind: 'point',
            start: new Date(item.start).toISOString(),
            lane: lane.id,
          });
        });
        if (ok) latest.current.onSelect(id);
      },
      onMove: (item, callback) => {
        const ok = write((commands) =>
          commands.moveEvent(String(item.id), {
            start: new Date(item.start).toISOString(),
            ...(item.end ? { end: new Date(item.end).toISOString() } : {}),
            ...(item.group && item.group !== UNASSIGNED_LANE ? { lane: String(item.group) } : {}),
          }),
        );
        callback(ok ? item : null);
      },
      onRemove: (item, callback) => {
        const ok = write((commands) => commands.deleteEvent(String(item.id)));
        callback(ok ? item : null);
        if (ok) latest.current.onSelect(null);
      },
    };
    // vis's typings of DataSet are narrower than its runtime; our items are valid DataItems.
    const timeline = new Timeline(
      container,
      itemsRef.current as never,
      groupsRef.current as never,
      options,
    );
    timeline.on('select', ({ items }: { items: (string | number)[] }) => {
      // A band is not an event: clicking it zooms in on it (below) and keeps the selection.
      if (items.length > 0 && isClusterId(String(items[0]))) {
        timeline.setSelection(latest.current.selectedId ? [latest.current.selectedId] : []);
        return;
      }
      latest.current.onSelect(items.length > 0 ? eventIdOfItem(String(items[0])) : null);
    });
    // The window is also written on the element, for tests and for anyone inspecting the page.
    // It is read from vis, not from the event: vis emits `rangechanged` 200 ms after a window set
    // in code, with that window, even when a drag has moved the axis since.
    const recordWindow = () => {
      const { start, end } = timeline.getWindow();
      windowRef.current = { start: new Date(start), end: new Date(end) };
      container.dataset.windowStart = windowRef.current.start.toISOString();
      container.dataset.windowEnd = windowRef.current.end.toISOString();
    };
    recordWindow();
    timeline.on('rangechanged', recordWindow);
    // vis looks at its container's size once a second: a side panel opening left the axis at its
    // old width (items and colleagues' pointers misplaced) for up to that long. Tell it at once.
    // Only the width: vis sets the height itself as it stacks items.
    let width = container.clientWidth;
    const resizes = new ResizeObserver(() => {
      if (container.clientWidth === width) return;
      width = container.clientWidth;
      timeline.redraw();
    });
    resizes.observe(container);
    // Someone who moves the axis while the timeline is still arriving keeps where they went.
    timeline.on('rangechanged', ({ byUser }: { byUser: boolean }) => {
      if (byUser && !opened.current) movedBeforeOpening.current = true;
    });
    // vis keeps its root hidden until the first redraw after the first `rangechanged` (which it
    // emits 200 ms after a window is set): without one (nothing changes then, as when a
    // timeline's stored copy is still being applied), the axis would stay blank. Ask for it.
    let shown = false;
    timeline.on('rangechanged', () => {
      if (shown) return;
      shown = true;
      timeline.redraw();
    });
    timeline.on('click', ({ item }: { item: string | number | null }) => {
      const band = item !== null && isClusterId(String(item)) ? itemsRef.current.get(item) : null;
      if (band?.end) {
        // The band as drawn is 85% of its stretch (visItems): show the whole stretch, padded.
        const from = new Date(band.start).getTime();
        const width = new Date(band.end).getTime() - from;
        showWindow(timeline, {
          start: new Date(from - width * 0.05),
          end: new Date(from + width * 1.23),
        });
      }
    });
    let drawFrame = 0;
    const scheduleDraw = () => {
      if (drawFrame === 0)
        drawFrame = requestAnimationFrame(() => {
          drawFrame = 0;
          drawRef.current();
        });
    };
    timeline.on('rangechange', scheduleDraw);
    timeline.on('rangechanged', scheduleDraw);
    // Hover is read from the DOM rather than vis's itemover, which background bands never emit.
    const showHovered = (event: MouseEvent) => {
      const id = findHoveredEvent(event.target);
      const bounds = container.getBoundingClientRect();
      setHovered(id ? { id, x: event.clientX - bounds.left, y: event.clientY - bounds.top } : null);
    };
    const hideHovered = () => setHovered(null);
    container.addEventListener('mouseover', showHovered);
    container.addEventListener('mouseleave', hideHovered);
    timeline.on('rangechange', hideHovered);
    timelineRef.current = timeline;
    visFitted.current = false;
    pendingWindow.current = null;
    // vis's own handler (its initial fit) was registered first, in its constructor: this runs
    // after it.
    timeline.on('changed', () => {
      if (visFitted.current) return;
      visFitted.current = true;
      const pending = pendingWindow.current;
      pendingWindow.current = null;
      if (pending) showWindow(timeline, pending);
    });
    // The selected event's links, drawn by timeline-arrows on every redraw of the axis.
    const arrows = new Arrow(timeline, [], {
      followRelationships: true,
      strokeWidth: 2,
    });
    arrowsRef.current = arrows;
    if (latest.current.selectedId) timeline.setSelection([latest.current.selectedId]);
    replaceArrows(arrows, linkArrows(latest.current.snapshot.events, latest.current.selectedId));
    // Colleagues' pointers, selections and the view being followed (README "Presence").
    const detachPresence = awareness
      ? attachPresenceLayer({ timeline, container, awareness, follow })
      : () => {};
    return () => {
      resizes.disconnect();
      detachPresence();
      cancelAnimationFrame(drawFrame);
      arrowsRef.current = null;
      container.removeEventListener('mouseover', showHovered);
      container.removeEventListener('mouseleave', hideHovered);
      windowRef.current = timeline.getWindow();
      timeline.destroy();
      timelineRef.current = null;
    };
  }, [readOnly, awareness, follow]);

  // Mirror the snapshot into vis's data sets, changing only what differs.
  useEffect(() => {
    const laneIds = new Set(snapshot.lanes.map((lane) => lane.id));
    const groups = snapshot.lanes.map((lane) => ({
      id: lane.id,
      content: lane.title,
      order: lane.order,
      style: `border-left: 4px solid ${lane.color};`,
    }));
    axisRef.current.sync(snapshot.events, toAxisEntry);
    if (snapshot.events.some((event) => !laneIds.has(event.lane))) {
      groups.push({
        id: UNASSIGNED_LANE,
        content: 'No lane',
        order: Number.MAX_SAFE_INTEGER,
        style: '',
      });
    }
    syncDataSet(groupsRef.current, groups);
    let keep: { selected: string | null | undefined; ids: Set<string> } = {
      selected: undefined,
      ids: new Set(),
    };
    drawRef.current = () => {
      const timeline = timelineRef.current;
      if (!timeline) return;
      const { start, end } = timeline.getWindow();
      // The selection and the ends of its link arrows are always drawn as themselves.
      const selected = latest.current.selectedId;
      if (keep.selected !== selected) keep = { selected, ids: keptIds(snapshot.events, selected) };
      const picked = axisRef.current.query({
        start: start.getTime(),
        end: end.getTime(),
        widthPx: containerRef.current?.clientWidth || 1000,
        keep: keep.ids,
      });
      syncDataSet(
        itemsRef.current,
        toWindowItems(axisRef.current, picked, laneIds, dimmedIds, marks),
      );
    };
    drawRef.current();
    // An event selected as it was created arrives here after the selection did, and vis only
    // marks items that exist when it is told: tell it again.
    const selected = latest.current.selectedId;
    if (selected) timelineRef.current?.setSelection([selected]);
  }, [snapshot, dimmedIds, marks]);

  // The opening range, chosen once the server's version is in: its events, else today ±1 month.
  // `ready` turns true when the provider has synced, but the snapshot is re-read once per
  // animation frame after a change (and rendered after that), so at that moment it can still be
  // the empty document of before the sync. Choose from the snapshot a few frames later; an empty
  // one is given up to OPENING_WAIT_FRAMES to fill before it counts as a new, empty timeline.
  useEffect(() => {
    if (opened.current || !ready) return;
    let waited = 0;
    let frame = 0;
    const choose = () => {
      const { events } = latest.current.snapshot;
      if (events.length === 0 && waited++ < OPENING_WAIT_FRAMES) {
        frame = requestAnimationFrame(choose);
        return;
      }
      if (opened.current || !timelineRef.current) return;
      opened.current = true;
      if (movedBeforeOpening.current) return;
      chooseWindow(latest.current.chosenWindow ?? fitAll(events));
    };
    frame = requestAnimationFrame(() => {
      frame = requestAnimationFrame(choose);
    });
    return () => cancelAnimationFrame(frame);
  }, [ready, chooseWindow]);

  // Events shown before that (the first part of a big timeline still arriving, the copy kept in
  // this browser while the server answers) are shown where they are, not off the axis: fitted to
  // the first part, then to the whole once it is all in; the opening range above is chosen again
  // from the whole document once it is ready.
  const previewed = useRef<'none' | 'part' | 'whole'>('none');
  // A bigger part (a worker's preview after the page's own first part) is fitted to again.
  const previewedCount = useRef(0);
  useEffect(() => {
    if (ready || opened.current || movedBeforeOpening.current) return;
    const count = snapshot.events.length;
    if (count === 0 || previewed.current === 'whole') return;
    if (previewed.current === 'part' && partial && count <= previewedCount.current) return;
    previewed.current = partial ? 'part' : 'whole';
    previewedCount.current = count;
    chooseWindow(latest.current.chosenWindow ?? fitAll(snapshot.events));
  }, [snapshot, ready, partial, chooseWindow]);

  // A window the page chose (not the person) is shown when it changes; none = the events' extent.
  const chosenStart = chosenWindow?.start.getTime();
  const chosenEnd = chosenWindow?.end.getTime();
  const chosenOnce = useRef(false);
  useEffect(() => {
    if (!chosenOnce.current) {
      chosenOnce.current = true;
      return; // the opening range above covers the first one
    }
    const next =
      chosenStart !== undefined && chosenEnd !== undefined
        ? { start: new Date(chosenStart), end: new Date(chosenEnd) }
        : fitAll(latest.current.snapshot.events);
    chooseWindow(next);
  }, [chosenStart, chosenEnd, chooseWindow]);

  useEffect(() => {
    // Selecting never moves the axis (no focus): the table's row click reveals explicitly.
    drawRef.current();
    timelineRef.current?.setSelection(selectedId ? [selectedId] : []);
  }, [selectedId]);

  // Only the selected event's links are drawn; a deselect removes them.
  const arrowKey = JSON.stringify(linkArrows(snapshot.events, selectedId));
  useEffect(() => {
    if (arrowsRef.current) replaceArrows(arrowsRef.current, JSON.parse(arrowKey));
  }, [arrowKey]);

  useFollowOwnEdits(doc, origin, snapshot, selectedId, reveal);

  return (
    <div className="timeline-canvas-wrap">
      <div ref={containerRef} className="timeline-canvas" data-testid="timeline" />
      <AxisTooltip hovered={hovered} snapshot={snapshot} />
      <Legend />
      <FollowIndicator />
    </div>
  );
});

const fitted = new WeakMap<readonly TimelineEvent[], AxisWindow>();

/** `fitEvents`, once per events array (it reads every event's dates: 100,000 at a time). */
function fitAll(events: readonly TimelineEvent[]): AxisWindow {
  if (events.length === 0) return fitEvents(events);
  let window = fitted.get(events);
  if (!window) {
    window = fitEvents(events);
    fitted.set(events, window);
  }
  return { start: new Date(window.start), end: new Date(window.end) };
}

function keptIds(events: TimelineSnapshot['events'], selectedId: string | null): Set<string> {
  const ids = new Set(selectedId ? [selectedId] : []);
  for (const arrow of linkArrows(events, selectedId)) ids.add(arrow.id_item_1).add(arrow.id_item_2);
  return ids;
}

/** The event under the pointer: the nearest vis item around the target that holds a label. */
function findHoveredEvent(target: EventTarget | null): string | null {
  let item = target instanceof Element ? target.closest('.vis-item') : null;
  while (item) {
    const label = item.querySelector('[data-event-id]');
    if (label) return label.getAttribute('data-event-id');
    item = item.parentElement?.closest('.vis-item') ?? null;
  }
  return null;
}

function showWindow(timeline: Timeline | null, window: AxisWindow): void {
  timeline?.setWindow(window.start, window.end, NO_ANIMATION);
}

/**
 * When this person gives the selected event new dates (in the side panel), the axis follows it if
 * it left the window. Someone else's change to it does not: only transactions with this
 * session's origin count.
 */
function useFollowOwnEdits(
  doc: Y.Doc | null,
  origin: unknown,
  snapshot: TimelineSnapshot,
  selectedId: string | null,
  reveal: (eventId: string) => void,
): void {
  const ownEdit = useRef(false);
  useEffect(() => {
    if (!doc) return;
    const mark = (transaction: Y.Transaction) => {
      if (transaction.origin === origin) ownEdit.current = true;
    };
    doc.on('afterTransaction', mark);
    return () => doc.off('afterTransaction', mark);
  }, [doc, origin]);

  const lastDates = useRef('');
  useEffect(() => {
    const event = snapshot.events.find((e) => e.id === selectedId);
    const key = event ? `${event.id}|${event.start}|${event.end ?? ''}` : '';
    const redatedByMe = ownEdit.current && event && lastDates.current.startsWith(`${event.id}|`);
    ownEdit.current = false;
    if (key === lastDates.current) return;
    lastDates.current = key;
    if (redatedByMe) reveal(event.id);
  }, [snapshot, selectedId, reveal]);
}
