/**
 * How document events become vis-timeline items and data-set rows, kept apart from the component
 * that owns the vis instance. Only TimelineView imports this module.
 */
import type { DataSet } from 'vis-data/esnext';
import type { TimelineItem } from 'vis-timeline/esnext';
import type { VisitMark } from '@/lib/dashboard/sinceVisit';
import type { AxisCluster, AxisEntry, AxisIndex } from '@/lib/timeline/axisWindow';
import type { TimelineEvent, TimelineSnapshot } from '@/lib/timeline/model';
import { eventItemClass, uncertainSpans } from './evidenceAxis';

export interface EventItem extends TimelineItem {
  /** The label; '' for the faded extension of an uncertain date, which has none. */
  eventTitle: string;
  /** A band standing for this many events of a crowded lane (lib/timeline/axisWindow.ts). */
  clusterCount?: number;
}

/** The group of events whose lane no longer exists. */
export const UNASSIGNED_LANE = '__unassigned__';

/** Renders user text as a text node: never as HTML. */
export function renderText(text: string, attributes: Record<string, string> = {}): HTMLElement {
  const element = document.createElement('span');
  element.textContent = text;
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

/**
 * The vis item of an event. A point is vis's `point` (a dot in its own lane, label beside it), not
 * a `box`, whose stem runs from the axis through every lane above. A `mark` (the dashboard's
 * "new / changed since your last visit") becomes the class `cb-mark-<mark>`.
 */
export function toItem(
  event: TimelineSnapshot['events'][number],
  laneIds: Set<string>,
  mark?: VisitMark,
): EventItem {
  return {
    id: event.id,
    group: laneIds.has(event.lane) ? event.lane : UNASSIGNED_LANE,
    start: new Date(event.start),
    ...(event.end ? { end: new Date(event.end) } : {}),
    type: event.kind,
    content: event.title,
    eventTitle: event.title,
    className: mark ? `${eventItemClass(event)} cb-mark-${mark}` : eventItemClass(event),
  };
}

/**
 * The faded extensions of an event's uncertain start and end (earliest → latest): background
 * items in the event's lane, drawn behind it and never selected or dragged.
 */
export function toExtensionItems(
  event: TimelineSnapshot['events'][number],
  laneIds: Set<string>,
): EventItem[] {
  return uncertainSpans(event).map((span) => ({
    id: span.id,
    group: laneIds.has(event.lane) ? event.lane : UNASSIGNED_LANE,
    start: new Date(span.start),
    end: new Date(span.end),
    type: 'background',
    content: '',
    eventTitle: '',
    editable: false,
    selectable: false,
    className: `cb-uncertain cb-uncertain-${span.part}`,
  }));
}

/** Where an event sits for the axis index; uncertain bounds widen it so its extension shows. */
export function toAxisEntry(event: TimelineEvent): AxisEntry {
  const start = Date.parse(event.startEarliest ?? event.start);
  const end = Date.parse(event.endLatest ?? event.end ?? event.startLatest ?? event.start);
  return { id: event.id, lane: event.lane, start, end: Math.max(start, end) };
}

/**
 * The items of what the axis shows of a window: the events the index picked (with their
 * uncertain extensions, dimmed when filtered out) and a band per cluster of a crowded lane.
 */
export function toWindowItems(
  index: AxisIndex<TimelineEvent>,
  picked: { events: string[]; clusters: AxisCluster[] },
  laneIds: Set<string>,
  dimmedIds: ReadonlySet<string> | undefined,
  marks?: ReadonlyMap<string, VisitMark>,
): EventItem[] {
  const items: EventItem[] = [];
  for (const id of picked.events) {
    const event = index.get(id);
    if (!event) continue;
    const dimmed = dimmedIds?.has(id) ?? false;
    for (const item of [
      toItem(event, laneIds, marks?.get(id)),
      ...toExtensionItems(event, laneIds),
    ]) {
      items.push(dimmed ? { ...item, className: `${item.className ?? ''} cb-dimmed` } : item);
    }
  }
  for (const cluster of picked.clusters) {
    // Neighbouring bands touch; vis stacks items closer than its horizontal margin (6 px) into
    // separate rows, so each is drawn a little short (bands are at least 64 px wide).
    const drawnEnd = cluster.start + (cluster.end - cluster.start) * 0.85;
    items.push({
      id: cluster.id,
      group: laneIds.has(cluster.lane) ? cluster.lane : UNASSIGNED_LANE,
      start: new Date(cluster.start),
      end: new Date(drawnEnd),
      type: 'range',
      content: '',
      eventTitle: '',
      clusterCount: cluster.count,
      editable: false,
      className: 'cb-cluster',
    });
  }
  return items;
}

/** Makes a data set hold exactly `next`, touching only the rows that differ. */
export function syncDataSet<T extends { id: string | number }>(
  dataSet: DataSet<T>,
  next: T[],
): void {
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
