/**
 * Import formats: one parser per format, each a pure function of the file's text to an
 * ImportPlan (plan.ts), and the writer that applies a plan to a document (apply.ts).
 */
import { parseCsv } from './csv';
import { parseChronoboardJson } from './json';
import type { ImportFormat, ImportPlan } from './plan';
import { parseTimelineJs } from './timelinejs';

export { applyImportPlan, countImportPlan, type ImportCounts } from './apply';
export { detectImportFormat } from './detect';
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
