import type { ExportFormat } from './types';

/** The full document model as JSON (`{ timeline, lanes, events }`), the format imports read back. */
export const jsonFormat: ExportFormat = {
  id: 'json',
  label: 'JSON (the full timeline)',
  extension: 'json',
  contentType: 'application/json; charset=utf-8',
  render: (content) => new TextEncoder().encode(JSON.stringify(content)),
};
