'use client';
/**
 * Ongoing and upcoming events relative to now, and where the story has got to: the events around
 * the timeline's latest date (a timeline about the past has nothing "upcoming" today).
 */
import { eventsAround, latestDate } from '@/lib/dashboard/figures';
import type { VisitMark } from '@/lib/dashboard/sinceVisit';
import { formatDay } from '@/lib/format';
import type { Lane, TimelineEvent } from '@/lib/timeline/model';
import { EventRow } from './EventList';

function Group({
  title,
  events,
  empty,
  lanes,
  marks,
  testId,
}: {
  title: string;
  events: TimelineEvent[];
  empty: string;
  lanes: ReadonlyMap<string, Lane>;
  marks: ReadonlyMap<string, VisitMark>;
  testId: string;
}) {
  return (
    <div className="around-group" data-testid={testId} data-rows-box data-rows-min>
      <h3>{title}</h3>
      {events.length === 0 ? (
        <p className="empty">{empty}</p>
      ) : (
        <ol className="event-rows" data-whole-rows>
          {events.map((event) => (
            <EventRow
              key={event.id}
              event={event}
              lanes={lanes}
              mark={marks.get(event.id)}
              compact
            />
          ))}
        </ol>
      )}
    </div>
  );
}

export function AroundNow({
  events,
  now,
  lanes,
  marks,
}: {
  events: TimelineEvent[];
  now: number;
  lanes: ReadonlyMap<string, Lane>;
  marks: ReadonlyMap<string, VisitMark>;
}) {
  const current = eventsAround(events, now);
  const latest = latestDate(events);
  const story = latest === null ? null : eventsAround(events, latest);
  return (
    <section className="dash-card around-card" aria-label="Ongoing and upcoming" data-rows-box>
      <div className="dash-card-head">
        <h2>Now and next</h2>
        <span className="muted">today {formatDay(new Date(now))}</span>
      </div>
      <div className="around-grid">
        <Group
          title="Ongoing now"
          events={current.ongoing}
          empty="Nothing under way today."
          lanes={lanes}
          marks={marks}
          testId="ongoing-now"
        />
        <Group
          title="Upcoming"
          events={current.upcoming}
          empty="Nothing dated after today."
          lanes={lanes}
          marks={marks}
          testId="upcoming"
        />
        {story && latest !== null && latest < now && (
          <Group
            title={`Latest, up to ${formatDay(new Date(latest))}`}
            events={[...story.ongoing, ...story.recent].slice(0, 5)}
            empty="Nothing yet."
            lanes={lanes}
            marks={marks}
            testId="latest"
          />
        )}
      </div>
    </section>
  );
}
