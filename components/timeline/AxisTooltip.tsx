'use client';
/**
 * What hovering an event on the axis shows: its whole title, dates, lane and confidence, so a
 * label cut short by a narrow range can still be read. React renders it, so user text is text.
 */
import { formatEventDate } from '@/lib/format';
import { formatConfidence } from '@/lib/timeline/grading';
import type { TimelineSnapshot } from '@/lib/timeline/model';

export interface HoveredItem {
  id: string;
  /** Pointer position relative to the axis's container, in pixels. */
  x: number;
  y: number;
}

export function AxisTooltip({
  hovered,
  snapshot,
}: {
  hovered: HoveredItem | null;
  snapshot: TimelineSnapshot;
}) {
  const event = hovered && snapshot.events.find((e) => e.id === hovered.id);
  if (!hovered || !event) return null;
  const lane = snapshot.lanes.find((l) => l.id === event.lane)?.title ?? 'No lane';
  const dates = event.end
    ? `${formatEventDate(event.start)} – ${formatEventDate(event.end)}`
    : formatEventDate(event.start);
  return (
    <div
      role="tooltip"
      className="axis-tooltip"
      data-testid="axis-tooltip"
      style={{ left: hovered.x + 12, top: hovered.y + 16 }}
    >
      <strong>{event.title || '(untitled)'}</strong>
      <span>{dates}</span>
      <span>
        {lane}
        {event.confidence ? ` · ${formatConfidence(event.confidence)} confidence` : ''}
      </span>
    </div>
  );
}
