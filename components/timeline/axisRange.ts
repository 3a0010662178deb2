/**
 * Where the axis looks: the range a timeline opens on, what "Fit" shows, where "Add event" puts a
 * new event. Pure functions of dates, so they are the same whatever panels narrow the axis.
 */

export interface AxisWindow {
  start: Date;
  end: Date;
}

interface Dated {
  start: string;
  end?: string;
}

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
/** Shortest window "Fit" shows, so one point is seen with its neighbourhood, not an hour. */
const MIN_FIT_SPAN = 14 * DAY;

/** Today ±1 month (UTC): where a timeline without events opens. */
export function surroundToday(now: Date = new Date()): AxisWindow {
  const start = new Date(now);
  start.setUTCMonth(start.getUTCMonth() - 1);
  const end = new Date(now);
  end.setUTCMonth(end.getUTCMonth() + 1);
  return { start, end };
}

/**
 * The window that shows every event with some room around it (more on the right, where point
 * labels run), or today ±1 month when there is none.
 */
export function fitEvents(events: readonly Dated[], now: Date = new Date()): AxisWindow {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const event of events) {
    const start = Date.parse(event.start);
    const end = event.end ? Date.parse(event.end) : start;
    if (Number.isNaN(start)) continue;
    first = Math.min(first, start);
    last = Math.max(last, Number.isNaN(end) ? start : end);
  }
  if (!Number.isFinite(first)) return surroundToday(now);
  let span = last - first;
  if (span < MIN_FIT_SPAN) {
    const middle = (first + last) / 2;
    first = middle - MIN_FIT_SPAN / 2;
    last = middle + MIN_FIT_SPAN / 2;
    span = MIN_FIT_SPAN;
  }
  return { start: new Date(first - span * 0.05), end: new Date(last + span * 0.25) };
}

/**
 * Where "Add event" puts a new event: the middle of the visible window, rounded to a whole day
 * (or hour, or minute when zoomed in that far) without leaving the window.
 */
export function pickAddDate(window: AxisWindow): Date {
  const start = window.start.getTime();
  const end = window.end.getTime();
  const middle = (start + end) / 2;
  for (const unit of [DAY, HOUR, 60 * 1000]) {
    const rounded = Math.floor(middle / unit) * unit;
    if (rounded >= start && rounded <= end && end - start >= 2 * unit) return new Date(rounded);
  }
  return new Date(Math.floor(middle / 1000) * 1000);
}

/**
 * The centre to move the axis to so that an event is in view at the current zoom, or null when
 * it is already entirely visible. An event longer than the window is shown from its start.
 */
export function centreOn(event: Dated, window: AxisWindow): Date | null {
  const start = Date.parse(event.start);
  const end = event.end ? Date.parse(event.end) : start;
  if (Number.isNaN(start)) return null;
  const visibleStart = window.start.getTime();
  const visibleEnd = window.end.getTime();
  if (start >= visibleStart && end <= visibleEnd) return null;
  const span = visibleEnd - visibleStart;
  if (end - start > span * 0.9) return new Date(start + span * 0.45);
  return new Date((start + end) / 2);
}

/** How finely a dragged event lands, per scale of vis's time axis (ms). */
const SNAP_MS: Record<string, number> = {
  year: DAY,
  month: DAY,
  week: DAY,
  day: 12 * HOUR,
  weekday: 6 * HOUR,
  hour: HOUR / 2,
  minute: 60 * 1000,
};

/**
 * Where a dragged event lands (vis's `snap` option): on whole UTC days when the axis shows weeks,
 * months or years, finer when it shows days or hours. vis's own rounding snaps to the first of a
 * month at the opening zoom, so a drag of a week moved nothing, or a whole month.
 */
export function snapDragged(date: Date, scale: string): number {
  const unit = SNAP_MS[scale] ?? 1000;
  return Math.round(date.getTime() / unit) * unit;
}
