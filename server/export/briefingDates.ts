/**
 * Dates as a briefing prints them: at the precision the analysts know them (a year, a month, a
 * day, or a time in UTC), with the uncertainty bounds when an event has them. Years outside
 * 1–9999 (extended ISO years) print as "501 BC" / "12000".
 */
import type { Precision } from './evidence';

const MONTHS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
] as const;

/** A year as people read it: astronomical year 0 is 1 BC, -500 is 501 BC. */
export function formatYear(year: number): string {
  return year <= 0 ? `${1 - year} BC` : String(year);
}

/** `2019`, `Feb 2019`, `18 Feb 2019` or `18 Feb 2019 09:30 UTC`. */
export function formatAtPrecision(iso: string, precision: Precision): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const year = formatYear(date.getUTCFullYear());
  if (precision === 'year') return year;
  const month = `${MONTHS[date.getUTCMonth()]} ${year}`;
  if (precision === 'month') return month;
  const day = `${date.getUTCDate()} ${month}`;
  if (precision === 'day') return day;
  const time = date.toISOString().split('T')[1]?.slice(0, 5) ?? '00:00';
  return `${day} ${time} UTC`;
}

/** An event's dates in one phrase: a point's date, or "from – to" for a range. */
export function formatExtent(start: string, end: string | undefined, precision: Precision): string {
  const from = formatAtPrecision(start, precision);
  if (end === undefined) return from;
  const to = formatAtPrecision(end, precision);
  return from === to ? from : `${from} – ${to}`;
}

/** "start between X and Y; end between …" for uncertain bounds, or '' when there are none. */
export function formatUncertainty(
  bounds: {
    startEarliest?: string;
    startLatest?: string;
    endEarliest?: string;
    endLatest?: string;
  },
  precision: Precision,
): string {
  const phrase = (what: string, earliest?: string, latest?: string) => {
    const at = (iso: string) => formatAtPrecision(iso, precision);
    if (earliest && latest) return `${what} between ${at(earliest)} and ${at(latest)}`;
    if (earliest) return `${what} not before ${at(earliest)}`;
    if (latest) return `${what} not after ${at(latest)}`;
    return '';
  };
  return [
    phrase('start', bounds.startEarliest, bounds.startLatest),
    phrase('end', bounds.endEarliest, bounds.endLatest),
  ]
    .filter(Boolean)
    .join('; ');
}
