'use client';
/**
 * The events as a table under the timeline: readable, sortable by any column, keyboard friendly.
 * Picking a row selects the event (the editor then moves the axis to it).
 */
import { useState } from 'react';
import { formatEventDate as formatDate } from '@/lib/format';
import { formatConfidence } from '@/lib/timeline/grading';
import type { Lane, TimelineEvent } from '@/lib/timeline/model';

type Column = 'title' | 'lane' | 'kind' | 'start' | 'end' | 'confidence';
type Direction = 'ascending' | 'descending';

const COLUMNS: { key: Column; label: string }[] = [
  { key: 'title', label: 'Title' },
  { key: 'lane', label: 'Lane' },
  { key: 'kind', label: 'Kind' },
  { key: 'start', label: 'Start' },
  { key: 'end', label: 'End' },
  { key: 'confidence', label: 'Confidence' },
];

export function EventTable({
  events,
  lanes,
  selectedId,
  onSelect,
}: {
  events: TimelineEvent[];
  lanes: Lane[];
  selectedId: string | null;
  onSelect(id: string): void;
}) {
  const [sort, setSort] = useState<{ column: Column; direction: Direction }>({
    column: 'start',
    direction: 'ascending',
  });
  const laneTitles = new Map(lanes.map((lane) => [lane.id, lane.title]));
  if (events.length === 0) {
    return <p className="empty">No events yet. Double-click the timeline or press “Add event”.</p>;
  }
  const rows = sortEvents(events, sort.column, sort.direction, laneTitles);
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
            className={event.id === selectedId ? 'selected' : undefined}
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
            <td>{event.confidence ? formatConfidence(event.confidence) : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A copy of the events in the column's order; empty values last, ties keep the given order. */
function sortEvents(
  events: TimelineEvent[],
  column: Column,
  direction: Direction,
  laneTitles: Map<string, string>,
): TimelineEvent[] {
  const readCell = (event: TimelineEvent): string =>
    column === 'lane' ? (laneTitles.get(event.lane) ?? '') : (event[column] ?? '');
  // ISO dates compare as text; words compare as people read them.
  const compare =
    column === 'start' || column === 'end'
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
