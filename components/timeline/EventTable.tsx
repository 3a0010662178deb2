'use client';
/**
 * The events as a table under the timeline: readable, sortable by any column, keyboard friendly.
 * Picking a row selects the event (the editor then moves the axis to it).
 *
 * A long list is virtualised (@tanstack/react-virtual): it scrolls inside its own frame and only
 * the rows in view (plus a few) are in the DOM, spacer rows standing for the rest. It stays a
 * real table: `aria-rowcount`/`aria-rowindex` tell assistive technology where a row is in the
 * whole list, and Tab still walks the rows' buttons (the frame scrolls, new rows appear).
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useCommentCounts } from '@/components/api/comments';
import type { CommentCount } from '@/lib/comments';
import { formatEventDate as formatDate, plural } from '@/lib/format';
import { CONFIDENCE_ORDER, formatConfidence } from '@/lib/timeline/grading';
import type { Lane, TimelineEvent } from '@/lib/timeline/model';
import { corroborationRank, describeCorroboration } from './panel/evidenceText';
import { useEditingSession } from './session/EditingSessionProvider';

type Column =
  | 'title'
  | 'lane'
  | 'kind'
  | 'start'
  | 'end'
  | 'confidence'
  | 'corroboration'
  | 'tags'
  | 'comments';
type Direction = 'ascending' | 'descending';

/** Up to this many rows the table is drawn whole (no inner scrolling for ordinary timelines). */
const VIRTUAL_FROM = 200;
/** A one-line row's height (px), the estimate before a row is measured. */
const ROW_PX = 37;

const COLUMNS: { key: Column; label: string }[] = [
  { key: 'title', label: 'Title' },
  { key: 'lane', label: 'Lane' },
  { key: 'kind', label: 'Kind' },
  { key: 'start', label: 'Start' },
  { key: 'end', label: 'End' },
  { key: 'confidence', label: 'Confidence' },
  { key: 'corroboration', label: 'Corroboration' },
  { key: 'tags', label: 'Tags' },
  { key: 'comments', label: 'Comments' },
];

export function EventTable({
  events,
  lanes,
  selectedId,
  onSelect,
  dimmedIds,
}: {
  events: TimelineEvent[];
  lanes: Lane[];
  selectedId: string | null;
  onSelect(id: string): void;
  /** Rows shown faded: they do not match the filters. */
  dimmedIds?: ReadonlySet<string>;
}) {
  const [sort, setSort] = useState<{ column: Column; direction: Direction }>({
    column: 'start',
    direction: 'ascending',
  });
  const laneTitles = useMemo(() => new Map(lanes.map((lane) => [lane.id, lane.title])), [lanes]);
  const { timelineId } = useEditingSession();
  const commentCounts = useCommentCounts(timelineId).data ?? NO_COUNTS;
  const rows = useMemo(
    () => sortEvents(events, sort.column, sort.direction, laneTitles, commentCounts),
    [events, sort, laneTitles, commentCounts],
  );
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtual = rows.length > VIRTUAL_FROM;
  const virtualizer = useVirtualizer({
    count: virtual ? rows.length : 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_PX,
    overscan: 12,
  });
  // The selected row is brought into the frame (picked on the axis, walked with the keys).
  const selectedIndex = virtual && selectedId ? rows.findIndex((e) => e.id === selectedId) : -1;
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);
  if (events.length === 0) {
    return <p className="empty">No events yet. Double-click the timeline or press “Add event”.</p>;
  }
  const windowRows = virtual ? virtualizer.getVirtualItems() : null;
  const shown = windowRows
    ? windowRows.map((row) => ({ event: rows[row.index]!, index: row.index }))
    : rows.map((event, index) => ({ event, index }));
  const padTop = windowRows?.[0]?.start ?? 0;
  const padBottom = windowRows ? virtualizer.getTotalSize() - (windowRows.at(-1)?.end ?? 0) : 0;
  const toggle = (column: Column) =>
    setSort((current) => ({
      column,
      direction:
        current.column === column && current.direction === 'ascending' ? 'descending' : 'ascending',
    }));
  return (
    <div ref={scrollRef} className={virtual ? 'event-table-scroll' : undefined}>
      <table className="event-table" data-testid="event-table" aria-rowcount={rows.length + 1}>
        <thead>
          <tr aria-rowindex={1}>
            {COLUMNS.map(({ key, label }) => (
              <th
                key={key}
                scope="col"
                aria-sort={sort.column === key ? sort.direction : 'none'}
                data-column={key}
              >
                <button type="button" className="sort-button" onClick={() => toggle(key)}>
                  {label}
                  <span aria-hidden="true">
                    {sort.column === key ? (sort.direction === 'ascending' ? '▲' : '▼') : ''}
                  </span>
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {padTop > 0 && <tr className="spacer" style={{ height: padTop }} />}
          {shown.map(({ event, index }) => (
            // The title's button is the keyboard way to pick a row; the row takes mouse clicks.
            <tr
              key={event.id}
              ref={virtual ? virtualizer.measureElement : undefined}
              data-index={index}
              aria-rowindex={index + 2}
              data-event-id={event.id}
              aria-selected={event.id === selectedId}
              className={
                [event.id === selectedId && 'selected', dimmedIds?.has(event.id) && 'dimmed']
                  .filter(Boolean)
                  .join(' ') || undefined
              }
              onClick={() => onSelect(event.id)}
            >
              <td>
                <button type="button" className="link-button">
                  {event.title || '(untitled)'}
                </button>
              </td>
              <td>{laneTitles.get(event.lane) ?? 'No lane'}</td>
              <td>{event.kind}</td>
              <td data-field="start">{formatDate(event.start)}</td>
              <td data-field="end">{formatDate(event.end)}</td>
              <td data-field="confidence">
                {event.confidence ? formatConfidence(event.confidence) : ''}
              </td>
              <td data-field="corroboration">{describeCorroboration(event)}</td>
              <td data-field="tags" className="tags-cell">
                {(event.tags ?? []).join(', ')}
              </td>
              <CommentCountCell count={commentCounts[event.id]} />
            </tr>
          ))}
          {padBottom > 0 && <tr className="spacer" style={{ height: padBottom }} />}
        </tbody>
      </table>
    </div>
  );
}

const NO_COUNTS: Record<string, CommentCount> = {};

/** Comments on the event: how many, and whether threads are open (says so on hover). */
function CommentCountCell({ count }: { count: CommentCount | undefined }) {
  if (!count || count.total === 0)
    return <td className="comment-count-cell" data-field="comments" />;
  return (
    <td
      className={`comment-count-cell${count.open > 0 ? ' has-open' : ''}`}
      data-field="comments"
      title={`${plural(count.total, 'comment')}, ${plural(count.open, 'open thread')}`}
    >
      {count.total}
      {count.open > 0 && <span className="visually-hidden">, {count.open} open</span>}
    </td>
  );
}

/** A copy of the events in the column's order; empty values last, ties keep the given order. */
function sortEvents(
  events: TimelineEvent[],
  column: Column,
  direction: Direction,
  laneTitles: Map<string, string>,
  commentCounts: Record<string, CommentCount>,
): TimelineEvent[] {
  const readCell = (event: TimelineEvent): string => {
    if (column === 'lane') return laneTitles.get(event.lane) ?? '';
    // Zero-padded so that text order is number order; no comments is empty (sorted last).
    if (column === 'comments') {
      const total = commentCounts[event.id]?.total ?? 0;
      return total > 0 ? String(total).padStart(6, '0') : '';
    }
    if (column === 'tags') return (event.tags ?? []).join(', ');
    // Ranked, not alphabetical: ascending is low → high confidence, unsourced → most publishers.
    if (column === 'confidence')
      return event.confidence
        ? String(CONFIDENCE_ORDER.length - CONFIDENCE_ORDER.indexOf(event.confidence))
        : '';
    if (column === 'corroboration') return String(corroborationRank(event) + 1);
    return event[column] ?? '';
  };
  // ISO dates (and padded counts and ranks) compare as text; words compare as people read them.
  const compare =
    column === 'start' || column === 'end' || column === 'comments'
      ? (x: string, y: string) => (x < y ? -1 : 1)
      : (x: string, y: string) =>
          x.localeCompare(y, undefined, { sensitivity: 'base', numeric: true });
  const sign = direction === 'ascending' ? 1 : -1;
  return [...events].sort((a, b) => {
    const x = readCell(a);
    const y = readCell(b);
    if (x === y) return 0;
    if (x === '') return 1;
    if (y === '') return -1;
    return sign * compare(x, y);
  });
}
