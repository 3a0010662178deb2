/**
 * The CSV layouts of other tools: the TimelineJS spreadsheet template (each row a slide, so it
 * goes through the TimelineJS slide mapping) and Timesketch's CSV export/import format.
 */
import { MAX_TITLE_LENGTH } from '../limits';
import { type DateParts, parseDateCell, parseEpochCell, parseTimeCell } from './dates';
import { convertHtmlToText } from './html';
import type { PlanBuilder } from './plan';
import { addSlide } from './timelinejs';

/** A data row: its line number and its cells by lower-cased header. */
export interface CsvRow {
  row: number;
  cells: Record<string, string>;
}

/** TimelineJS slide field → the template column a message should name. */
const SPREADSHEET_COLUMNS: Record<string, string> = {
  'start_date.year': 'Year',
  'start_date.month': 'Month',
  'start_date.day': 'Day',
  'start_date.hour': 'Time',
  'start_date.minute': 'Time',
  'start_date.second': 'Time',
  'start_date.millisecond': 'Time',
  start_date: 'Year',
  'end_date.year': 'End Year',
  'end_date.month': 'End Month',
  'end_date.day': 'End Day',
  'end_date.hour': 'End Time',
  'end_date.minute': 'End Time',
  'end_date.second': 'End Time',
  end_date: 'End Year',
  'text.headline': 'Headline',
  'text.text': 'Text',
  media: 'Media',
};

/**
 * One row of the TimelineJS spreadsheet template: `Type` `title` describes the timeline, `era`
 * rows are background bands, any other row an event.
 */
export function addSpreadsheetRow(plan: PlanBuilder, { row, cells }: CsvRow): void {
  const cell = (name: string) => (cells[name] ?? '').trim();
  const type = cell('type').toLowerCase();
  if (type === 'title') {
    const parts = [cell('headline'), cell('text')].map((html) => convertHtmlToText(html).text);
    const description = parts.filter(Boolean).join('\n');
    if (description) plan.timelineDescription = description;
    return;
  }
  const dates: Record<string, DateParts> = {};
  for (const [key, prefix] of [
    ['start_date', ''],
    ['end_date', 'end '],
  ] as const) {
    const parts: DateParts = {
      year: cell(`${prefix}year`),
      month: cell(`${prefix}month`),
      day: cell(`${prefix}day`),
    };
    const time = cell(`${prefix}time`);
    if (time) {
      const clock = parseTimeCell(time);
      if (!clock) {
        plan.addError(row, prefix ? 'End Time' : 'Time', `"${time}" is not a time such as 13:45`);
        return;
      }
      Object.assign(parts, clock);
    }
    dates[key] = parts;
  }
  const slide = {
    start_date: dates.start_date,
    end_date: dates.end_date,
    text: { headline: cells.headline ?? '', text: cells.text ?? '' },
    media: {
      url: cell('media'),
      credit: cells['media credit'] ?? '',
      caption: cells['media caption'] ?? '',
    },
    group: cell('group'),
  };
  addSlide(
    plan,
    row,
    slide,
    type === 'era' ? 'era' : 'event',
    (field) => SPREADSHEET_COLUMNS[field] ?? field,
  );
}

/** Timesketch columns with a meaning of their own; every other column is kept in the description. */
const TIMESKETCH_KNOWN = new Set(['message', 'datetime', 'timestamp', 'timestamp_desc']);
const MAX_TAG_LENGTH = 64;

/**
 * One Timesketch row: `message` → title (a longer one is kept whole in the description),
 * `datetime` (else `timestamp`, in micro-, milli- or seconds) → start, `timestamp_desc` → a tag,
 * other non-empty columns → `column: value` lines of the description.
 */
export function addTimesketchRow(
  plan: PlanBuilder,
  { row, cells }: CsvRow,
  headers: string[],
): boolean {
  const cell = (name: string) => (cells[name] ?? '').trim();
  const message = cell('message');
  if (!message) return plan.addError(row, 'message', 'a message is required');
  const date = cell('datetime')
    ? parseDateCell(cell('datetime'), 'datetime')
    : cell('timestamp')
      ? parseEpochCell(cell('timestamp'), 'timestamp')
      : { ok: false as const, field: 'datetime', message: 'a datetime or timestamp is required' };
  if (!date.ok) return plan.addError(row, date.field, date.message);

  const lines: string[] = [];
  const oneLine = message.replace(/\s+/g, ' ');
  const title =
    oneLine.length <= MAX_TITLE_LENGTH ? oneLine : `${oneLine.slice(0, MAX_TITLE_LENGTH - 1)}…`;
  if (title !== message) lines.push(message);
  const input: Record<string, unknown> = { title, start: date.iso, kind: 'point' };
  const kind = cell('timestamp_desc');
  if (kind && kind.length <= MAX_TAG_LENGTH) input.tags = [kind];
  else if (kind) lines.push(`timestamp_desc: ${kind}`);
  for (const header of headers) {
    if (TIMESKETCH_KNOWN.has(header) || !cell(header)) continue;
    lines.push(`${header}: ${cell(header)}`);
  }
  if (lines.length > 0) input.description = lines.join('\n');
  return plan.addEvent(row, input, {
    fieldName: (field) => (field === 'title' ? 'message' : field === 'start' ? 'datetime' : field),
  });
}
