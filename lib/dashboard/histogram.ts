/**
 * The histogram of events over time: bins aligned to calendar units in UTC (hours, days, weeks
 * starting Monday, months, quarters, years, decades, centuries), the finest unit that keeps the
 * whole timeline within `maxBins` bars. An event counts in the bin where it starts, so the bars
 * add up to the number of events.
 */
import type { TimelineEvent } from '../timeline/model';
import { eventSpan, type TimeRange } from './figures';

export interface HistogramBin {
  /** Start of the bin (ISO), inclusive. */
  start: string;
  /** End of the bin (ISO), exclusive. */
  end: string;
  label: string;
  count: number;
}

export type BinUnit =
  | 'hour'
  | 'day'
  | 'week'
  | 'month'
  | 'quarter'
  | 'year'
  | 'decade'
  | 'century'
  | 'millennium';

interface UnitSpec {
  unit: BinUnit;
  /** Fixed-length units step in ms; calendar units in months. */
  ms?: number;
  months?: number;
}

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
const UNITS: UnitSpec[] = [
  { unit: 'hour', ms: HOUR },
  { unit: 'day', ms: DAY },
  { unit: 'week', ms: 7 * DAY },
  { unit: 'month', months: 1 },
  { unit: 'quarter', months: 3 },
  { unit: 'year', months: 12 },
  { unit: 'decade', months: 120 },
  { unit: 'century', months: 1200 },
  { unit: 'millennium', months: 12000 },
];

// 1970-01-05 was a Monday: weeks are counted from there.
const MONDAY_EPOCH = 4 * DAY;

function floorTo(spec: UnitSpec, time: number): number {
  if (spec.ms) {
    const offset = spec.unit === 'week' ? MONDAY_EPOCH : 0;
    return Math.floor((time - offset) / spec.ms) * spec.ms + offset;
  }
  const date = new Date(time);
  const index = date.getUTCFullYear() * 12 + date.getUTCMonth();
  const floored = Math.floor(index / spec.months!) * spec.months!;
  return monthStart(floored);
}

function monthStart(monthIndex: number): number {
  const year = Math.floor(monthIndex / 12);
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex - year * 12, 1);
  date.setUTCHours(0, 0, 0, 0);
  return date.getTime();
}

function step(spec: UnitSpec, start: number): number {
  if (spec.ms) return start + spec.ms;
  const date = new Date(start);
  return monthStart(date.getUTCFullYear() * 12 + date.getUTCMonth() + spec.months!);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function yearLabel(year: number): string {
  return year <= 0 ? `${1 - year} BC` : String(year);
}

/** How a bin is named: `18 Feb 2019 09:00`, `18 Feb 2019`, `w/c 18 Feb 2019`, `Feb 2019`, `Q1 2019`, `2019`, `2010s`. */
export function labelBin(unit: BinUnit, start: number): string {
  const date = new Date(start);
  const year = date.getUTCFullYear();
  const day = `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${yearLabel(year)}`;
  switch (unit) {
    case 'hour':
      return `${day} ${String(date.getUTCHours()).padStart(2, '0')}:00`;
    case 'day':
      return day;
    case 'week':
      return `w/c ${day}`;
    case 'month':
      return `${MONTHS[date.getUTCMonth()]} ${yearLabel(year)}`;
    case 'quarter':
      return `Q${Math.floor(date.getUTCMonth() / 3) + 1} ${yearLabel(year)}`;
    case 'year':
      return yearLabel(year);
    default:
      return year < 0 ? `${yearLabel(year)}…` : `${yearLabel(year)}s`;
  }
}

/**
 * Bins the events' starts over `extent` (default: from the first start to the last start). The
 * unit is the finest one giving at most `maxBins` bins; empty bins are kept so gaps show.
 */
export function histogramBins(
  events: TimelineEvent[],
  options: { maxBins?: number; extent?: TimeRange } = {},
): { unit: BinUnit; bins: HistogramBin[] } {
  const maxBins = options.maxBins ?? 40;
  const starts = events.map((event) => eventSpan(event).start).filter(Number.isFinite);
  if (starts.length === 0 && !options.extent) return { unit: 'day', bins: [] };
  const from = options.extent?.start ?? Math.min(...starts);
  // The extent's end is exclusive; the last start is inside.
  const to = options.extent ? options.extent.end - 1 : Math.max(...starts);
  const spec =
    UNITS.find((candidate) => countBins(candidate, from, to) <= maxBins) ?? UNITS.at(-1)!;
  const bins: HistogramBin[] = [];
  const index = new Map<number, HistogramBin>();
  for (let start = floorTo(spec, from); start <= to; start = step(spec, start)) {
    const bin = {
      start: new Date(start).toISOString(),
      end: new Date(step(spec, start)).toISOString(),
      label: labelBin(spec.unit, start),
      count: 0,
    };
    bins.push(bin);
    index.set(start, bin);
  }
  for (const start of starts) {
    const bin = index.get(floorTo(spec, start));
    if (bin) bin.count += 1;
  }
  return { unit: spec.unit, bins };
}

function countBins(spec: UnitSpec, from: number, to: number): number {
  if (spec.ms) return Math.floor((floorTo(spec, to) - floorTo(spec, from)) / spec.ms) + 1;
  const a = new Date(floorTo(spec, from));
  const b = new Date(floorTo(spec, to));
  const months =
    (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
  return months / spec.months! + 1;
}

/** The range a bin covers, in ms. */
export function binRange(bin: Pick<HistogramBin, 'start' | 'end'>): TimeRange {
  return { start: Date.parse(bin.start), end: Date.parse(bin.end) };
}
