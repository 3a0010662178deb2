import { stringify } from 'csv-stringify/sync';
import { CSV_COLUMN_NAMES, formatCsvRecord } from '../../lib/import/csvColumns';
import type { ExportFormat } from './types';

/**
 * One row per event in the columns the CSV import reads (lib/import/csvColumns.ts), so an export
 * imports back as the same events and sources. Cells starting with `=`, `+`, `-`, `@` are
 * prefixed with `'` (csv-stringify `escape_formulas`): a title like `=HYPERLINK(…)` must not run
 * in a spreadsheet. Coordinates are written as numbers, which the escaping leaves alone.
 */
export const csvFormat: ExportFormat = {
  id: 'csv',
  offThread: true,
  label: 'Spreadsheet (CSV)',
  extension: 'csv',
  contentType: 'text/csv; charset=utf-8',
  render: ({ content, briefing }) => {
    const byId = new Map(content.events.map((event) => [event.id, event]));
    const records = briefing.events.flatMap((entry) => {
      const event = byId.get(entry.id);
      if (!event) return [];
      const record: Record<string, string | number> = formatCsvRecord(event, entry.lane.title);
      if (entry.location?.lat !== undefined && entry.location.lon !== undefined) {
        record.latitude = entry.location.lat;
        record.longitude = entry.location.lon;
      }
      return [record];
    });
    const text = stringify(records, {
      header: true,
      columns: [...CSV_COLUMN_NAMES],
      escape_formulas: true,
      // Spreadsheets expect CRLF; a BOM makes Excel read the file as UTF-8.
      record_delimiter: 'windows',
      bom: true,
    });
    return new TextEncoder().encode(text);
  },
};
