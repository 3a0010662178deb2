/**
 * What the axis shows of an event's evidence, as pure functions of the model (no DOM, no vis), so
 * they can be tested alone: the item's style classes (confidence, corroboration), the faded
 * extensions of uncertain dates, and the arrows of the selected event's links.
 */
import { corroborationOf } from '@/lib/timeline/corroboration';
import { precisionOf, type TimelineEvent } from '@/lib/timeline/event';
import type { LinkRelation } from '@/lib/timeline/values';

/**
 * The classes of an event's item: its kind, its confidence (`cb-confidence-unset` when not
 * assessed, so the axis can tell "not assessed" from "low"), and `cb-single-source` /
 * `cb-unsourced` from its corroboration. The styles and the badge letter live in globals.css.
 */
export function eventItemClass(event: Pick<TimelineEvent, 'kind' | 'confidence' | 'sources'>) {
  const { singleSource, unsourced } = corroborationOf(event);
  return [
    'cb-event',
    `cb-kind-${event.kind}`,
    `cb-confidence-${event.confidence ?? 'unset'}`,
    singleSource ? 'cb-single-source' : '',
    unsourced ? 'cb-unsourced' : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** A faded stretch of the axis where an uncertain start or end may lie. */
export interface UncertainSpan {
  /** The vis item id: the event's id and the part, never a valid event id (`~`). */
  id: string;
  eventId: string;
  part: 'start' | 'end';
  start: string;
  end: string;
}

/** The separator of extension item ids; event ids never contain it (lib/ids.ts). */
export const EXTENSION_ID_MARK = '~';

/**
 * The uncertain stretches of an event: from the earliest to the latest a start (or end) may be,
 * each bound defaulting to the date itself. None when no bound widens the date.
 */
export function uncertainSpans(
  event: Pick<
    TimelineEvent,
    'id' | 'start' | 'end' | 'startEarliest' | 'startLatest' | 'endEarliest' | 'endLatest'
  >,
): UncertainSpan[] {
  const parts = [
    { part: 'start', date: event.start, low: event.startEarliest, high: event.startLatest },
    { part: 'end', date: event.end, low: event.endEarliest, high: event.endLatest },
  ] as const;
  const spans: UncertainSpan[] = [];
  for (const { part, date, low, high } of parts) {
    if (date === undefined || (low === undefined && high === undefined)) continue;
    const start = low ?? date;
    const end = high ?? date;
    if (Date.parse(start) >= Date.parse(end)) continue;
    spans.push({
      id: `${event.id}${EXTENSION_ID_MARK}${part}`,
      eventId: event.id,
      part,
      start,
      end,
    });
  }
  return spans;
}

/** The event an axis item stands for (an extension item stands for its event). */
export function eventIdOfItem(itemId: string): string {
  const mark = itemId.indexOf(EXTENSION_ID_MARK);
  return mark === -1 ? itemId : itemId.slice(0, mark);
}

/** One arrow of timeline-arrows: from item 1 to item 2 (`direction` 0: a plain line). */
export interface LinkArrow {
  id: string;
  id_item_1: string;
  id_item_2: string;
  direction: 0 | 1;
  /** 0 solid (cause), 1 dashed (related). */
  line: 0 | 1;
  color: string;
  /** 1: a straight line between the items' edges (bezier curves loop when a cause is later). */
  type: 1;
}

const CAUSE_COLOR = '#b45309';
const RELATED_COLOR = '#64748b';

/**
 * The arrows of the selected event's links, its own and those of events pointing at it: a cause
 * points at its effect, "related" is a dashed line without a head. One arrow per pair of events
 * (the selected event's own link wins); links to events that are not on the axis are skipped.
 */
export function linkArrows(
  events: readonly Pick<TimelineEvent, 'id' | 'links'>[],
  selectedId: string | null,
): LinkArrow[] {
  if (!selectedId) return [];
  const present = new Set(events.map((event) => event.id));
  if (!present.has(selectedId)) return [];
  const arrows = new Map<string, LinkArrow>();
  const add = (from: string, to: string, relation: LinkRelation) => {
    const other = from === selectedId ? to : from;
    if (other === selectedId || !present.has(other) || arrows.has(other)) return;
    // "A caused by B" is drawn as B → A.
    const [cause, effect] = relation === 'caused-by' ? [to, from] : [from, to];
    const related = relation === 'related';
    arrows.set(other, {
      id: `${cause}>${effect}`,
      id_item_1: cause,
      id_item_2: effect,
      direction: related ? 0 : 1,
      line: related ? 1 : 0,
      color: related ? RELATED_COLOR : CAUSE_COLOR,
      type: 1,
    });
  };
  const selected = events.find((event) => event.id === selectedId);
  for (const link of selected?.links ?? []) add(selectedId, link.eventId, link.relation);
  for (const event of events) {
    if (event.id === selectedId) continue;
    for (const link of event.links ?? []) {
      if (link.eventId === selectedId) add(event.id, selectedId, link.relation);
    }
  }
  return [...arrows.values()];
}

const PRECISION_LABELS = { year: 'to the year', month: 'to the month', day: 'to the day' };

/**
 * An event's dates as precisely as they are known: `2019`, `2019-02`, `2019-02-18` or
 * `2019-02-18 09:30 UTC` (precision `time`). A stored year or month precision hides the
 * digits that are not known; the words after the date say so ("known to the month").
 */
export function formatPreciseDate(
  iso: string | undefined,
  precision: ReturnType<typeof precisionOf>,
): string {
  if (!iso) return '';
  const [date = iso, time = ''] = iso.split('T');
  // Extended years (`-000500-…`) carry a sign and six digits: cut from the end of the date.
  if (precision === 'year') return date.slice(0, -6);
  if (precision === 'month') return date.slice(0, -3);
  if (precision === 'day' || time === '00:00:00.000Z') return date;
  return `${date} ${time.slice(0, 5)} UTC`;
}

/** The dates of an event for its tooltip: "2019-02 – 2019-03 (known to the month)". */
export function describeEventDates(
  event: Pick<TimelineEvent, 'start' | 'end' | 'precision'>,
): string {
  const precision = precisionOf(event);
  const start = formatPreciseDate(event.start, precision);
  const dates = event.end ? `${start} – ${formatPreciseDate(event.end, precision)}` : start;
  return precision === 'time' ? dates : `${dates} (known ${PRECISION_LABELS[precision]})`;
}
