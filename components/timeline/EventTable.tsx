'use client';
/**
 * The events as a table under the timeline: readable, sortable by any column, keyboard friendly.
 * Picking a row selects the event (the editor then moves the axis to it).
 */
import { useState } from 'react';
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
  const laneTitles = new Map(lanes.map((lane) => [lane.id, lane.title]));
  const { timelineId } = useEditingSession();
  const commentCounts = useCommentCounts(timelineId).data ?? {};
  if (events.length === 0) {
    return <p className="empty">No events yet. Double-click the timeline or press “Add event”.</p>;
  }
  const rows = sortEvents(events, sort.column, sort.direction, laneTitles, commentCounts);
  const toggle = (column: Column) =>
    setSort((current) => ({
      column,
      direction:
        current.column === column && current.direction === 'ascending' ? 'descending' : 'ascending',
    }));
  return (
    <table className="event-table" data-testid="event-table">
      <thead>
        <tr>
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
        {rows.map((event) => (
          // The title's button is the keyboard way to pick a row; the row takes mouse clicks.
          <tr
            key={event.id}
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
      </tbody>
    </table>
  );
}

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
