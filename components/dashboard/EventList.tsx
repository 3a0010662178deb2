'use client';
/** A list of events behind a figure or a bar, with their evidence and since-last-visit marks. */
import { CONFIDENCE_LABELS, confidenceLevelOf } from '@/lib/dashboard/evidence';
import { ATTENTION_LABELS, attentionReasons } from '@/lib/dashboard/figures';
import type { VisitMark } from '@/lib/dashboard/sinceVisit';
import { formatEventDate } from '@/lib/format';
import type { Lane, TimelineEvent } from '@/lib/timeline/model';

export const MARK_LABELS: Record<VisitMark, string> = {
  added: 'new',
  changed: 'changed',
  removed: 'removed',
};

export function VisitMarkChip({ mark }: { mark: VisitMark | undefined }) {
  if (!mark) return null;
  return (
    <span className={`chip mark mark-${mark}`} data-mark={mark}>
      {MARK_LABELS[mark]}
    </span>
  );
}

export function EventRow({
  event,
  lanes,
  mark,
  compact = false,
}: {
  event: TimelineEvent;
  lanes: ReadonlyMap<string, Lane>;
  mark: VisitMark | undefined;
  compact?: boolean;
}) {
  const lane = lanes.get(event.lane);
  const level = confidenceLevelOf(event);
  const reasons = attentionReasons(event);
  const dates = event.end
    ? `${formatEventDate(event.start)} – ${formatEventDate(event.end)}`
    : formatEventDate(event.start);
  return (
    <li className="event-row" data-event-id={event.id} data-mark={mark ?? ''}>
      <span className="event-row-title">
        <VisitMarkChip mark={mark} />
        {event.title || '(untitled event)'}
      </span>
      <span className="event-row-meta">
        <time dateTime={event.start}>{dates}</time>
        {lane && (
          <span className="event-row-lane">
            <span className="swatch" style={{ background: lane.color }} aria-hidden="true" />
            {lane.title}
          </span>
        )}
        {!compact && (
          <span className="event-row-evidence">
            {CONFIDENCE_LABELS[level ?? 'none']} confidence
            {reasons
              .filter((reason) => reason !== 'not-assessed' && reason !== 'low-confidence')
              .map((reason) => (
                <span key={reason} className="chip chip-warn">
                  {ATTENTION_LABELS[reason]}
                </span>
              ))}
          </span>
        )}
      </span>
    </li>
  );
}

export function EventList({
  title,
  events,
  lanes,
  marks,
  removed,
  onClose,
}: {
  title: string;
  events: TimelineEvent[];
  lanes: ReadonlyMap<string, Lane>;
  marks: ReadonlyMap<string, VisitMark>;
  /** Removed events (only titles are left) to list after the others. */
  removed?: ReadonlyMap<string, string>;
  onClose?(): void;
}) {
  const removedCount = removed?.size ?? 0;
  return (
    <section className="dash-card event-list-card" aria-label={title} data-testid="event-list">
      <div className="dash-card-head">
        <h2>
          {title} <span className="count">{events.length + removedCount}</span>
        </h2>
        {onClose && (
          <button type="button" className="link-button" onClick={onClose}>
            Clear
          </button>
        )}
      </div>
      {events.length + removedCount === 0 ? (
        <p className="empty">No events here.</p>
      ) : (
        <ol className="event-rows">
          {events.map((event) => (
            <EventRow key={event.id} event={event} lanes={lanes} mark={marks.get(event.id)} />
          ))}
          {[...(removed ?? [])].map(([id, eventTitle]) => (
            <li key={id} className="event-row removed" data-event-id={id} data-mark="removed">
              <span className="event-row-title">
                <VisitMarkChip mark="removed" />
                <s>{eventTitle || '(untitled event)'}</s>
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
