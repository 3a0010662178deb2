/**
 * CSV files → an import plan. Three layouts are recognised by their header row:
 *
 * - Chronoboard's own columns (csvColumns.ts: `title`, `start`, … — what our CSV export writes);
 * - the TimelineJS spreadsheet template (`Year`, `Month`, …, `Headline`, `Text`, `Media`, `Type`,
 *   `Group`), each row a TimelineJS slide (csvTemplates.ts);
 * - Timesketch's CSV (`message`, `datetime` and/or `timestamp`, `timestamp_desc`, extra columns)
 *   (csvTemplates.ts).
 *
 * Rows are numbered as a spreadsheet shows them: the header is row 1.
 */
import { parse } from 'csv-parse/sync';
import { CSV_FIELD_COLUMNS, LIST_SEPARATOR } from './csvColumns';
import { addSpreadsheetRow, addTimesketchRow, type CsvRow } from './csvTemplates';
import { parseDateCell } from './dates';
import { failedPlan, type ImportPlan, PlanBuilder } from './plan';

export type CsvLayout = 'chronoboard' | 'timelinejs' | 'timesketch';

/** Which layout a header row is, or undefined when it is none of them. */
export function detectCsvLayout(headers: readonly string[]): CsvLayout | undefined {
  const has = (name: string) => headers.includes(name);
  if (has('message') && (has('datetime') || has('timestamp'))) return 'timesketch';
  if (has('year') && has('headline')) return 'timelinejs';
  if (has('title') && has('start')) return 'chronoboard';
  return undefined;
}

/** Parses a CSV file's text. */
export function parseCsv(text: string): ImportPlan {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  let headers: string[] = [];
  try {
    records = parse(text, {
      bom: true,
      columns: (header: string[]) => {
        headers = header.map((name) => name.trim().toLowerCase());
        return headers;
      },
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: false,
    });
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    return line
      ? { lanes: [], events: [], errors: [{ row: line, message: (error as Error).message }] }
      : failedPlan(`not a readable CSV file: ${(error as Error).message}`);
  }
  if (headers.length === 0)
    return failedPlan('the file is empty: the first row must name the columns');
  const layout = detectCsvLayout(headers);
  if (!layout) {
    return failedPlan(
      'unrecognised columns: expected Chronoboard’s (title, start, …), the TimelineJS template’s (Year, …, Headline) or Timesketch’s (message, datetime or timestamp)',
    );
  }
  const plan = new PlanBuilder();
  for (const { record, info } of records) {
    // csv-parse counts the line the record ends on; a record is one spreadsheet row.
    const row: CsvRow = { row: info.lines, cells: record };
    if (layout === 'chronoboard') addOwnRow(plan, row);
    else if (layout === 'timelinejs') addSpreadsheetRow(plan, row);
    else addTimesketchRow(plan, row, headers);
  }
  return plan.build();
}

/**
 * Our CSV export escapes cells a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab,
 * carriage return first) with a leading `'`, as csv-stringify's `escape_formulas` does; reading
 * our own columns back takes it off, so a title "=SUM(…)" or a year "-000500" round-trips.
 */
export function unescapeFormula(value: string): string {
  return /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}

/** One row of our own columns. */
function addOwnRow(plan: PlanBuilder, { row, cells }: CsvRow): void {
  const cell = (name: string) => unescapeFormula((cells[name] ?? '').trim());
  const input: Record<string, unknown> = { title: cell('title') };
  let failed = false;
  const fail = (field: string, message: string) => {
    plan.addError(row, field, message);
    failed = true;
  };

  if (!cell('start')) fail('start', 'a start date is required');
  else {
    const start = parseDateCell(cell('start'), 'start');
    if (!start.ok) fail('start', start.message);
    else {
      input.start = start.iso;
      if (start.precision === 'year' || start.precision === 'month')
        input.precision = start.precision;
    }
  }
  for (const [column, field] of [
    ['end', 'end'],
    ['start_earliest', 'startEarliest'],
    ['start_latest', 'startLatest'],
    ['end_earliest', 'endEarliest'],
    ['end_latest', 'endLatest'],
  ] as const) {
    if (!cell(column)) continue;
    const date = parseDateCell(cell(column), column);
    if (date.ok) input[field] = date.iso;
    else fail(column, date.message);
  }
  input.kind = cell('kind') || (input.end !== undefined ? 'range' : 'point');
  if (cell('confidence')) input.confidence = cell('confidence');
  if (cell('precision')) input.precision = cell('precision');
  if (cell('description')) input.description = cells.description;
  const tags = splitList(cell('tags'));
  if (tags.length > 0) input.tags = tags;
  if (cell('location') || cell('latitude') || cell('longitude')) {
    const location: Record<string, unknown> = { name: cell('location') };
    for (const [column, key] of [
      ['latitude', 'lat'],
      ['longitude', 'lon'],
    ] as const) {
      if (!cell(column)) continue;
      const value = Number(cell(column));
      if (Number.isFinite(value)) location[key] = value;
      else fail(column, `"${cell(column)}" is not a number`);
    }
    input.location = location;
  }
  if (cell('sources')) {
    try {
      const sources = JSON.parse(cell('sources')) as unknown;
      if (!Array.isArray(sources)) fail('sources', 'must be a JSON list of sources');
      else input.sources = sources;
    } catch {
      fail(
        'sources',
        'must be a JSON list of sources, e.g. [{"title":"Reuters","url":"https://…"}]',
      );
    }
  }
  const links = splitList(cell('links')).map((entry) => {
    const at = entry.indexOf(':');
    return { relation: entry.slice(0, at).trim(), eventId: entry.slice(at + 1).trim() };
  });
  if (links.some((link) => !link.relation || !link.eventId)) {
    fail('links', 'write each link as relation:eventId, e.g. causes:abc123');
  } else if (links.length > 0) input.links = links;
  if (failed) return;
  plan.addEvent(row, input, {
    id: cell('id') || undefined,
    laneTitle: cell('lane') || undefined,
    fieldName: (field) => CSV_FIELD_COLUMNS[field] ?? field,
  });
}

function splitList(value: string): string[] {
  return value
    .split(LIST_SEPARATOR)
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}
