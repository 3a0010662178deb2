import type { ExportFormat } from './types';

/**
 * The full document model as JSON (`{ timeline, lanes, events }`, plus `snapshot` for a saved
 * version), the format imports read back. A range or a filter keeps only the events in it; with
 * `comments=true` their comments come too, as the comments API lists them.
 */
export const jsonFormat: ExportFormat = {
  id: 'json',
  label: 'JSON (the full timeline)',
  extension: 'json',
  contentType: 'application/json; charset=utf-8',
  render: ({ content, briefing }) => {
    const kept = new Set(briefing.events.map((event) => event.id));
    const events = content.events.filter((event) => kept.has(event.id));
    // Comments ride along only when asked for (`comments=true`): the API's shape, per kept event.
    const comments = briefing.includeComments
      ? (content.comments ?? []).filter((comment) => kept.has(comment.eventId))
      : undefined;
    return new TextEncoder().encode(JSON.stringify({ ...content, events, comments }));
  },
};
