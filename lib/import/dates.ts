/**
 * Dates as import files write them: TimelineJS's `{ year, month, day, hour, … }` parts (years of
 * any size, BC included), partial ISO dates (`2019`, `2019-03`) and the date-time spellings of
 * Timesketch exports. Each becomes an ISO instant plus the precision the file gave it.
 */

export type DatePrecision = 'year' | 'month' | 'day' | 'time';

export type DateResult =
  | { ok: true; iso: string; precision: DatePrecision }
  | { ok: false; field: string; message: string };

/** The largest |year| a JavaScript Date (and so every Chronoboard client) can place. */
export const MAX_ABS_YEAR = 271_820;

export const COSMOLOGICAL_MESSAGE =
  'cosmological-scale timelines (years beyond ±271,820) are not supported: Chronoboard places events on a calendar';

export interface DateParts {
  year?: unknown;
  month?: unknown;
  day?: unknown;
  hour?: unknown;
  minute?: unknown;
  second?: unknown;
  millisecond?: unknown;
}

const PART_RANGES: [keyof DateParts, number, number][] = [
  ['month', 1, 12],
  ['day', 1, 31],
  ['hour', 0, 23],
  ['minute', 0, 59],
  ['second', 0, 59],
  ['millisecond', 0, 999],
];

function isBlank(value: unknown): boolean {
  return (
    value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
  );
}

function readInteger(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value)) return Number(value);
  return undefined;
}

/**
 * TimelineJS date parts → an ISO instant. The precision is the finest part given: a year alone
 * is `year` (placed on 1 January), and so on. A part given without the one above it (a day
 * without a month) is refused, as TimelineJS ignores it.
 */
export function convertDateParts(parts: DateParts, prefix = ''): DateResult {
  const fail = (part: string, message: string): DateResult => ({
    ok: false,
    field: `${prefix}${part}`,
    message,
  });
  if (isBlank(parts.year)) return fail('year', 'a year is required');
  const year = readInteger(parts.year);
  if (year === undefined) return fail('year', `"${String(parts.year)}" is not a whole year`);
  if (Math.abs(year) > MAX_ABS_YEAR) return fail('year', COSMOLOGICAL_MESSAGE);
  const values: Record<string, number> = {
    year,
    month: 1,
    day: 1,
    hour: 0,
    minute: 0,
    second: 0,
    millisecond: 0,
  };
  let precision: DatePrecision = 'year';
  let previousGiven = true;
  for (const [part, min, max] of PART_RANGES) {
    const raw = parts[part];
    if (isBlank(raw)) {
      previousGiven = false;
      continue;
    }
    const value = readInteger(raw);
    if (value === undefined || value < min || value > max) {
      return fail(part, `"${String(raw)}" is not a ${part} (${min}–${max})`);
    }
    if (!previousGiven) return fail(part, `a ${part} needs the parts above it (year, month, day…)`);
    values[part] = value;
    precision = part === 'month' ? 'month' : part === 'day' ? 'day' : 'time';
  }
  const date = new Date(0);
  date.setUTCFullYear(year, values.month! - 1, values.day!);
  date.setUTCHours(values.hour!, values.minute!, values.second!, values.millisecond!);
  if (date.getUTCDate() !== values.day) {
    return fail('day', `${year}-${String(values.month).padStart(2, '0')} has no day ${values.day}`);
  }
  return { ok: true, iso: date.toISOString(), precision };
}

/** A spreadsheet time cell (`13:45`, `1:45 PM`, `13:45:10`) as hour/minute/second parts. */
export function parseTimeCell(value: string): DateParts | undefined {
  const match =
    /^\s*(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?(?:\.(\d{1,3}))?\s*([ap]\.?m\.?)?\s*$/i.exec(value);
  if (!match) return undefined;
  let hour = Number(match[1]);
  const meridiem = match[5]?.toLowerCase().replace(/\./g, '');
  if (meridiem === 'pm' && hour < 12) hour += 12;
  if (meridiem === 'am' && hour === 12) hour = 0;
  return {
    hour,
    minute: match[2] ?? 0,
    second: match[3] ?? 0,
    millisecond: match[4] ? match[4].padEnd(3, '0') : undefined,
  };
}

const PARTIAL = /^([-+]\d{4,6}|\d{4})(?:-(\d{2}))?$/;

/**
 * A date cell of our own CSV or a Timesketch `datetime`: a full ISO date-time (normalized to
 * UTC), a date, or a partial date (`2019`, `2019-03`, `-0500`). A date-time without an offset,
 * as Timesketch sometimes writes, is read as UTC; `+0000` offsets are accepted.
 */
export function parseDateCell(value: string, field: string): DateResult {
  const text = value.trim();
  const partial = PARTIAL.exec(text);
  if (partial) {
    const result = convertDateParts({ year: partial[1], month: partial[2] });
    return result.ok ? result : { ok: false, field, message: `"${text}": ${result.message}` };
  }
  let iso = text
    .replace(/^(\d{4}-\d{2}-\d{2}) (\d)/, '$1T$2')
    .replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const hasTime = iso.includes('T');
  if (hasTime && !/(Z|[+-]\d{2}:\d{2})$/i.test(iso)) iso = `${iso}Z`;
  const match = /^([-+]\d{6}|\d{4})-(\d{2})-(\d{2})/.exec(iso);
  const ms = Date.parse(iso);
  if (!match || Number.isNaN(ms)) {
    return {
      ok: false,
      field,
      message: `"${text}" is not a date (use ISO 8601, e.g. 2019-02-18 or 2019-02-18T09:30:00Z)`,
    };
  }
  // Date.parse rolls 2019-02-30 into March; refuse impossible calendar days instead.
  const check = convertDateParts({ year: match[1], month: match[2], day: match[3] });
  if (!check.ok) return { ok: false, field, message: `"${text}": ${check.message}` };
  return { ok: true, iso: new Date(ms).toISOString(), precision: hasTime ? 'time' : 'day' };
}

/**
 * A Unix timestamp as Timesketch writes it: microseconds since 1970, though files also carry
 * seconds or milliseconds; the unit is told apart by the number of digits, as Timesketch does.
 */
export function parseEpochCell(value: string, field: string): DateResult {
  const text = value.trim();
  if (!/^-?\d+$/.test(text)) return { ok: false, field, message: `"${text}" is not a timestamp` };
  const digits = text.replace('-', '').length;
  const number = Number(text);
  const ms =
    digits <= 11
      ? number * 1000
      : digits <= 14
        ? number
        : digits <= 17
          ? number / 1000
          : number / 1e6;
  const date = new Date(Math.floor(ms));
  if (Number.isNaN(date.getTime()))
    return { ok: false, field, message: `"${text}" is out of range` };
  return { ok: true, iso: date.toISOString(), precision: 'time' };
}
