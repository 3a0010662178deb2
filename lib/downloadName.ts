/**
 * File names of downloads: `<title>-<yyyy-mm-dd>.<ext>`, named after the timeline and the day of
 * the export (UTC), so several exports of several timelines sort and read well in a folder.
 */

/** Longest title part of a file name: file systems allow 255 bytes, and long names read badly. */
const MAX_NAME_LENGTH = 80;

/**
 * The timeline title as a file name part: characters that file systems or headers refuse
 * (`/ \ : * ? " < > |`, control characters) and runs of spaces become single dashes; letters
 * of every script are kept. Falls back to `timeline` when nothing is left.
 */
export function sanitizeFileName(title: string): string {
  const cleaned = title
    .normalize('NFC')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
    .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+/g, '-')
    .replace(/\s+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  const short = Array.from(cleaned)
    .slice(0, MAX_NAME_LENGTH)
    .join('')
    .replace(/[-.]+$/, '');
  return short || 'timeline';
}

/** `<title>-<yyyy-mm-dd>.<extension>` for a timeline exported at `at`. */
export function buildExportFileName(
  title: string,
  at: Date = new Date(),
  extension = 'json',
): string {
  return `${sanitizeFileName(title)}-${at.toISOString().slice(0, 10)}.${extension}`;
}

/**
 * A Content-Disposition header naming the download: an ASCII `filename` for old clients and the
 * exact UTF-8 name in `filename*` (RFC 6266).
 */
export function buildContentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
