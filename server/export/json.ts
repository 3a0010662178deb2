import type { ExportFormat } from './types';

/**
 * The full document model as JSON (`{ timeline, lanes, events }`, plus `snapshot` for a saved
 * version), the format imports read back. A range keeps only the events in it.
 */
export const jsonFormat: ExportFormat = {
  id: 'json',
  label: 'JSON (the full timeline)',
  extension: 'json',
  contentType: 'application/json; charset=utf-8',
  render: ({ content, briefing }) => {
    const kept = new Set(briefing.events.map((event) => event.id));
    const events = content.events.filter((event) => kept.has(event.id));
    return new TextEncoder().encode(JSON.stringify({ ...content, events }));
  },
};
