/**
 * Which import format a file is, from its name and content. Apart from the parsers so the browser
 * (the import dialog) can use it without loading them.
 */
import type { ImportFormat } from './plan';

/**
 * The format of a file from its name, then its content: `.csv` (or a first line of
 * comma-separated names) is CSV; JSON with `lanes` is our export, JSON with `events` TimelineJS.
 */
export function detectImportFormat(fileName: string, text: string): ImportFormat | undefined {
  const name = fileName.toLowerCase();
  if (name.endsWith('.csv') || name.endsWith('.tsv')) return 'csv';
  const head = text.trimStart().slice(0, 1);
  if (head === '{' || name.endsWith('.json')) {
    try {
      const data = JSON.parse(text) as Record<string, unknown>;
      if (Array.isArray(data.lanes)) return 'json';
      if (Array.isArray(data.events)) return 'timelinejs';
    } catch {
      // Not JSON after all: fall through to the content check.
    }
    return name.endsWith('.json') ? 'json' : undefined;
  }
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  return firstLine.includes(',') ? 'csv' : undefined;
}
