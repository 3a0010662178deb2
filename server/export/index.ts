/**
 * The registry of export formats: one module per format, listed here once. The export route
 * offers exactly what is registered; lib/export/options.ts lists the same ids for the dialog
 * (tests/unit/exportRegistry.test.ts keeps the two in step).
 */
import { buildExportFileName } from '../../lib/downloadName';
import { ValidationError } from '../../lib/errors';
import { csvFormat } from './csv';
import { docxFormat } from './docx';
import { icsFormat } from './ics';
import { jsonFormat } from './json';
import { pdfFormat } from './pdf';
import { pngFormat, svgFormat } from './picture';
import { pptxFormat } from './pptx';
import { timelineJsFormat } from './timelinejs';
import type { ExportFormat } from './types';

export type { ExportContent, ExportFormat, ExportInput } from './types';

export const EXPORT_FORMATS: readonly ExportFormat[] = [
  pdfFormat,
  docxFormat,
  pptxFormat,
  pngFormat,
  svgFormat,
  csvFormat,
  jsonFormat,
  timelineJsFormat,
  icsFormat,
];

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
