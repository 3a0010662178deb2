/**
 * The registry of export formats: one module per format, listed here once. The export route and
 * the export dialog offer exactly what is registered.
 */
import { ValidationError } from '../../lib/errors';
import { jsonFormat } from './json';
import type { ExportFormat } from './types';

export type { ExportContent, ExportFormat } from './types';

export const EXPORT_FORMATS: readonly ExportFormat[] = [jsonFormat];

/** The registered format with this id; a ValidationError naming the choices otherwise. */
export function findExportFormat(id: string): ExportFormat {
  const format = EXPORT_FORMATS.find((candidate) => candidate.id === id);
  if (!format) {
    throw new ValidationError(
      `format must be one of: ${EXPORT_FORMATS.map((f) => f.id).join(', ')}`,
    );
  }
  return format;
}

/**
 * `<timeline-title>-<yyyy-mm-dd>.<ext>`: the title reduced to characters every file system and
 * Content-Disposition header accept (letters and digits of any script, `-`), the date in UTC.
 */
export function exportFileName(title: string, extension: string, now = new Date()): string {
  const slug =
    title
      .normalize('NFKC')
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80)
      .replace(/-+$/, '') || 'timeline';
  return `${slug}-${now.toISOString().slice(0, 10)}.${extension}`;
}
