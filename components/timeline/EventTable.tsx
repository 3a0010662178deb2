'use client';
/** The events as a table under the timeline: readable, sortable by start, and keyboard friendly. */
import { formatEventDate as formatDate } from '@/lib/format';
import type { Lane, TimelineEvent } from '@/lib/timeline/model';

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
  const laneTitles = new Map(lanes.map((lane) => [lane.id, lane.title]));
  if (events.length === 0) {
    return <p className="empty">No events yet. Double-click the timeline or press “Add event”.</p>;
  }
  return (
    <table className="event-table" data-testid="event-table">
      <thead>
        <tr>
          <th scope="col">Title</th>
          <th scope="col">Lane</th>
          <th scope="col">Kind</th>
          <th scope="col">Start</th>
          <th scope="col">End</th>
          <th scope="col">Confidence</th>
        </tr>
      </thead>
      <tbody>
        {events.map((event) => (
          <tr
            key={event.id}
            data-event-id={event.id}
            aria-selected={event.id === selectedId}
            className={event.id === selectedId ? 'selected' : undefined}
          >
            <td>
              <button type="button" className="link-button" onClick={() => onSelect(event.id)}>
                {event.title || '(untitled)'}
              </button>
            </td>
            <td>{laneTitles.get(event.lane) ?? 'No lane'}</td>
            <td>{event.kind}</td>
            <td data-field="start">{formatDate(event.start)}</td>
            <td data-field="end">{formatDate(event.end)}</td>
            <td>{event.confidence ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
