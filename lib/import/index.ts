/**
 * Import formats: one parser per format, each a pure function of the file's text to an
 * ImportPlan (plan.ts), and the writer that applies a plan to a document (apply.ts).
 */
import { parseCsv } from './csv';
import { parseChronoboardJson } from './json';
import type { ImportFormat, ImportPlan } from './plan';
import { parseTimelineJs } from './timelinejs';

export { applyImportPlan, countImportPlan, type ImportCounts } from './apply';
export { type ImportError, ImportFormat, type ImportPlan } from './plan';

const PARSERS: Record<ImportFormat, (text: string) => ImportPlan> = {
  csv: parseCsv,
  json: parseChronoboardJson,
  timelinejs: parseTimelineJs,
};

/** Parses a file in the given format. */
export function parseImport(format: ImportFormat, text: string): ImportPlan {
  return PARSERS[format](text);
}

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
