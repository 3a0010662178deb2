/**
 * The time axis of the exported picture: the span shown and "nice" tick marks (years, months,
 * days or hours), labelled in UTC like the rest of a briefing.
 */
import { formatYear } from './briefingDates';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface Tick {
  at: number;
  label: string;
}

/** The shown span: the events' span with a margin, at least a day wide. */
export function chooseSpan(times: number[]): { start: number; end: number } {
  if (times.length === 0) {
    const now = Date.now();
    return { start: now - 15 * DAY, end: now + 15 * DAY };
  }
  let start = Math.min(...times);
  let end = Math.max(...times);
  if (end - start < DAY) {
    start -= DAY / 2;
    end += DAY / 2;
  }
  const margin = (end - start) * 0.04;
  return { start: start - margin, end: end + margin };
}

function utc(year: number, month = 0, day = 1, hour = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  date.setUTCHours(hour, 0, 0, 0);
  return date.getTime();
}

/** Between about 4 and 12 ticks at round dates inside the span. */
export function chooseTicks(start: number, end: number): Tick[] {
  const span = end - start;
  const from = new Date(start);
  const ticks: Tick[] = [];
  const push = (at: number, label: string) => {
    if (at >= start && at <= end) ticks.push({ at, label });
  };
  if (span > 3 * 365 * DAY) {
    const years = span / (365.25 * DAY);
    const step =
      [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000].find((s) => years / s <= 10) ?? 10_000;
    const first = Math.ceil(from.getUTCFullYear() / step) * step;
    for (let year = first; utc(year) <= end; year += step) push(utc(year), formatYear(year));
  } else if (span > 60 * DAY) {
    const months = span / (30.44 * DAY);
    const step = [1, 2, 3, 6, 12].find((s) => months / s <= 10) ?? 12;
    let year = from.getUTCFullYear();
    let month = Math.ceil(from.getUTCMonth() / step) * step;
    for (;;) {
      if (month >= 12) {
        year += Math.floor(month / 12);
        month %= 12;
      }
      const at = utc(year, month);
      if (at > end) break;
      push(at, month === 0 ? `${MONTHS[month]} ${formatYear(year)}` : MONTHS[month]!);
      month += step;
    }
  } else if (span > 2 * DAY) {
    const days = span / DAY;
    const step = [1, 2, 5, 7, 14].find((s) => days / s <= 10) ?? 14;
    const first = utc(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + 1);
    for (let at = first; at <= end; at += step * DAY) {
      const date = new Date(at);
      push(
        at,
        `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${formatYear(date.getUTCFullYear())}`,
      );
    }
  } else {
    const hours = span / HOUR;
    const step = [1, 2, 3, 6, 12].find((s) => hours / s <= 10) ?? 12;
    const first = Math.ceil(start / (step * HOUR)) * step * HOUR;
    for (let at = first; at <= end; at += step * HOUR) {
      const date = new Date(at);
      const time = date.toISOString().slice(11, 16);
      push(at, time === '00:00' ? `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]}` : time);
    }
  }
  return ticks;
}
