/**
 * Briefing exports behind the REST API: reads the content (now, or a saved version), keeps the
 * events of the asked filter (the editor's filters, lib/filters, applied here as the editor applies
 * them), adds their comments when asked, builds the briefing once (server/export/briefing.ts) and
 * renders it in the asked format.
 *
 * The export registry, the renderers and the search index are loaded on the first export, not
 * with the service: a process that never exports (the collaboration-only one) never holds docx,
 * resvg or ical-generator (tests/integration/collabOnly.test.ts).
 */
import type { CommentSummary } from '../../lib/comments';
import type { ExportQuery } from '../../lib/export/options';
import {
  changedSinceIds,
  type EventFilters,
  filterEvents,
  hasActiveFilters,
} from '../../lib/filters/filters';
import type { ExportContent } from '../export';
import type { CommentService } from './comments';
import type { HistoryService } from './history';
import type { TimelineService } from './timelines';

/**
 * Activity entries read for "changed since": the newest 1,000 since the day. The editor reads the
 * newest 1,000 of all and keeps those since the day, which is the same set: the export holds
 * what the editor shows even when older changes fall beyond the log's page.
 */
const CHANGED_SINCE_LIMIT = 1_000;

/** A rendered export, ready to be sent as a download. */
export interface RenderedExport {
  body: Uint8Array;
  contentType: string;
  fileName: string;
}

/** What to export: the route's query and the editor's filters read from the same URL. */
export type ExportRequest = ExportQuery & { filters?: EventFilters };

export interface ExportService {
  /**
   * Renders a timeline (or, with `query.snapshot`, one of its saved versions) as a briefing in
   * `query.format`, narrowed to `query.filters`. `author` is who asked (printed on title pages).
   */
  renderExport(id: string, query: ExportRequest, author?: string): Promise<RenderedExport>;
}

export function createExportService(deps: {
  timelines: TimelineService;
  history: HistoryService;
  comments: CommentService;
}): ExportService {
  async function readContent(id: string, snapshotId?: string): Promise<ExportContent> {
    const timeline = await deps.timelines.exportTimeline(id);
    if (snapshotId === undefined) return timeline;
    const saved = await deps.history.getSnapshot(id, snapshotId);
    return { ...timeline, lanes: saved.lanes, events: saved.events, snapshot: saved.snapshot };
  }

  /** The events the editor shows with `filters` (its search covers comment bodies too). */
  async function applyFilters(
    id: string,
    events: ExportContent['events'],
    filters: EventFilters,
    readComments: () => Promise<CommentSummary[]>,
  ): Promise<ExportContent['events']> {
    let searchHits: Set<string> | null = null;
    if (filters.q) {
      const bodies = new Map<string, string[]>();
      for (const comment of await readComments()) {
        bodies.set(comment.eventId, [...(bodies.get(comment.eventId) ?? []), comment.body]);
      }
      const extra = new Map([...bodies].map(([eventId, list]) => [eventId, list.join('\n')]));
      const { searchEvents } = await import('../../lib/search/searchIndex');
      searchHits = searchEvents(events, filters.q, extra);
    }
    let changedIds: Set<string> | null = null;
    if (filters.changedSince) {
      // The log's `since` is exclusive: start a moment before the day.
      const since = new Date(Date.parse(`${filters.changedSince}T00:00:00.000Z`) - 1);
      const entries = await deps.history.listActivity(id, CHANGED_SINCE_LIMIT, since);
      changedIds = changedSinceIds(entries, filters.changedSince, CHANGED_SINCE_LIMIT).ids;
    }
    return filterEvents(events, filters, { searchHits, changedIds }).matching;
  }

  return {
    async renderExport(id, query, author) {
      const { findExportFormat, exportFileName } = await import('../export');
      const format = findExportFormat(query.format);
      const read = await readContent(id, query.snapshot);
      const { format: _format, snapshot: _snapshot, filters, ...options } = query;
      let allComments: Promise<CommentSummary[]> | undefined;
      const readComments = () => {
        allComments ??= deps.comments.listComments(id);
        return allComments;
      };
      const events =
        filters && hasActiveFilters(filters)
          ? await applyFilters(id, read.events, filters, readComments)
          : read.events;
      const kept = new Set(events.map((event) => event.id));
      const content: ExportContent = {
        ...read,
        events,
        ...(options.comments
          ? { comments: (await readComments()).filter((comment) => kept.has(comment.eventId)) }
          : {}),
      };
      const context = { now: new Date(), author };
      let body: Uint8Array;
      if (format.offThread) {
        const { renderOffThread } = await import('../export/offThread');
        body = await renderOffThread(format.id, { content, options, context });
      } else {
        const { buildBriefing } = await import('../export/briefing');
        const briefing = buildBriefing(content, options, context);
        body = await format.render({ content, briefing, options });
      }
      return {
        body,
        contentType: format.contentType,
        fileName: exportFileName(content.timeline.title, format.extension),
      };
    },
  };
}
