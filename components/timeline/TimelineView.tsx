'use client';
/**
 * The only module that talks to vis-timeline. It draws lanes and events from the document
 * snapshot, and turns vis interactions (double-click to add, drag to move or resize, drag to
 * another lane, delete) into the editing session's commands — vis never holds state of its own
 * that the document does not have.
 */
import moment from 'moment';
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';
import { DataSet } from 'vis-data/peer';
import { Timeline, type TimelineItem, type TimelineOptions } from 'vis-timeline/peer';
import { describeError } from '@/lib/errors';
import type { TimelineSnapshot } from '@/lib/timeline/model';
import type { EditingCommands } from './session/commands';
import { useEditingCommands } from './session/EditingSessionProvider';

export interface TimelineViewHandle {
  fit(): void;
  zoomIn(): void;
  zoomOut(): void;
  /** Middle of the visible window, where the "Add event" button places new events. */
  getCenter(): Date;
}

interface Props {
  snapshot: TimelineSnapshot;
  selectedId: string | null;
  readOnly: boolean;
  onSelect(id: string | null): void;
  onError(message: string): void;
}

interface EventItem extends TimelineItem {
  eventTitle: string;
}

const UNASSIGNED_LANE = '__unassigned__';
const DAY = 24 * 3600 * 1000;

/** Renders user text as a text node: never as HTML. */
function renderText(text: string, attributes: Record<string, string> = {}): HTMLElement {
  const element = document.createElement('span');
  element.textContent = text;
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

function toItem(event: TimelineSnapshot['events'][number], laneIds: Set<string>): EventItem {
  const type = event.kind === 'point' ? 'box' : event.kind;
  return {
    id: event.id,
    group: laneIds.has(event.lane) ? event.lane : UNASSIGNED_LANE,
    start: new Date(event.start),
    ...(event.end ? { end: new Date(event.end) } : {}),
    type,
    content: event.title,
    eventTitle: event.title,
    className: `cb-event cb-kind-${event.kind}${event.confidence ? ` cb-confidence-${event.confidence}` : ''}`,
  };
}

export const TimelineView = forwardRef<TimelineViewHandle, Props>(function TimelineView(
  { snapshot, selectedId, readOnly, onSelect, onError },
  ref,
) {
  const commands = useEditingCommands();
  const containerRef = useRef<HTMLDivElement>(null);
  const timelineRef = useRef<Timeline | null>(null);
  const itemsRef = useRef(new DataSet<EventItem>());
  const groupsRef = useRef(
    new DataSet<{ id: string; content: string; order: number; style?: string }>(),
  );
  // Callbacks read the latest props without re-creating the vis instance.
  const latest = useRef({ commands, snapshot, onSelect, onError, readOnly });
  latest.current = { commands, snapshot, onSelect, onError, readOnly };

  useImperativeHandle(ref, () => ({
    fit: () => timelineRef.current?.fit(),
    zoomIn: () => timelineRef.current?.zoomIn(0.5),
    zoomOut: () => timelineRef.current?.zoomOut(0.5),
    getCenter: () => {
      const window = timelineRef.current?.getWindow();
      return window ? new Date((window.start.getTime() + window.end.getTime()) / 2) : new Date();
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
    const options: TimelineOptions = {
      // Everyone sees the same dates wherever they are: the axis is in UTC, like the side panel.
      moment: (date: moment.MomentInput) => moment(date).utc(),
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
      // vis calls templates with null while it tears down; render nothing then.
      template: (item: EventItem | null) =>
        item ? renderText(item.eventTitle, { 'data-event-id': String(item.id) }) : '',
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
      latest.current.onSelect(items.length > 0 ? String(items[0]) : null);
    });
    timelineRef.current = timeline;
    if (itemsRef.current.length > 0) timeline.fit({ animation: false });
    return () => {
      timeline.destroy();
      timelineRef.current = null;
    };
  }, [readOnly]);

  // Mirror the snapshot into vis's data sets, changing only what differs.
  const fittedOnce = useRef(false);
  useEffect(() => {
    const laneIds = new Set(snapshot.lanes.map((lane) => lane.id));
    const groups = snapshot.lanes.map((lane) => ({
      id: lane.id,
      content: lane.title,
      order: lane.order,
      style: `border-left: 4px solid ${lane.color};`,
    }));
    const items = snapshot.events.map((event) => toItem(event, laneIds));
    if (items.some((item) => item.group === UNASSIGNED_LANE)) {
      groups.push({
        id: UNASSIGNED_LANE,
        content: 'No lane',
        order: Number.MAX_SAFE_INTEGER,
        style: '',
      });
    }
    syncDataSet(groupsRef.current, groups);
    syncDataSet(itemsRef.current, items);
    if (!fittedOnce.current && items.length > 0) {
      fittedOnce.current = true;
      timelineRef.current?.fit({ animation: false });
    }
  }, [snapshot]);

  useEffect(() => {
    timelineRef.current?.setSelection(selectedId ? [selectedId] : []);
  }, [selectedId]);

  // When the selected event is (re)dated outside the visible window — picked in the table, or
  // given new dates in the side panel — bring it into view. Panning away afterwards is left alone.
  const lastFocused = useRef('');
  useEffect(() => {
    const timeline = timelineRef.current;
    const event = snapshot.events.find((e) => e.id === selectedId);
    if (!timeline || !event) return;
    const key = `${event.id}|${event.start}|${event.end ?? ''}`;
    if (lastFocused.current === key) return;
    lastFocused.current = key;
    const visible = timeline.getWindow();
    const start = Date.parse(event.start);
    const end = event.end ? Date.parse(event.end) : start;
    if (end < visible.start.getTime() || start > visible.end.getTime()) {
      timeline.focus(event.id, { animation: false });
    }
  }, [selectedId, snapshot]);

  return <div ref={containerRef} className="timeline-canvas" data-testid="timeline" />;
});

function syncDataSet<T extends { id: string | number }>(dataSet: DataSet<T>, next: T[]): void {
  const nextIds = new Set(next.map((entry) => entry.id));
  const removed = dataSet.getIds().filter((id) => !nextIds.has(id as T['id']));
  if (removed.length > 0) dataSet.remove(removed);
  const changed: T[] = [];
  const replaced: T[] = [];
  for (const entry of next) {
    const current = dataSet.get(entry.id as never) as unknown as T | null;
    if (current && shallowEqual(current, entry)) continue;
    // update() merges fields, so a field that disappeared (a range's end) needs a replacement.
    if (current && Object.keys(current).some((key) => !(key in entry))) replaced.push(entry);
    else changed.push(entry);
  }
  if (replaced.length > 0) {
    dataSet.remove(replaced.map((entry) => entry.id));
    dataSet.add(replaced as never);
  }
  if (changed.length > 0) dataSet.update(changed as never);
}

function shallowEqual(a: object, b: object): boolean {
  const keysA = Object.keys(a) as (keyof typeof a)[];
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((key) => {
    const x = a[key] as unknown;
    const y = (b as typeof a)[key] as unknown;
    return x instanceof Date && y instanceof Date ? x.getTime() === y.getTime() : x === y;
  });
}
