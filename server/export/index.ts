/**
 * The registry of export formats: one module per format, listed here once. The export route and
 * the export dialog offer exactly what is registered.
 */
import { buildExportFileName } from '../../lib/downloadName';
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

/** `<timeline-title>-<yyyy-mm-dd>.<ext>`, the same name the editor's download link gives. */
export function exportFileName(title: string, extension: string, now = new Date()): string {
  return buildExportFileName(title, now, extension);
}
