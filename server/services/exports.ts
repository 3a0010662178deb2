/**
 * Briefing exports behind the REST API: reads the content (now, or a saved version), builds the
 * briefing once (server/export/briefing.ts) and renders it in the asked format.
 */
import type { ExportQuery } from '../../lib/export/options';
import { type ExportContent, exportFileName, findExportFormat } from '../export';
import { buildBriefing } from '../export/briefing';
import { renderOffThread } from '../export/offThread';
import type { HistoryService } from './history';
import type { TimelineService } from './timelines';

/** A rendered export, ready to be sent as a download. */
export interface RenderedExport {
  body: Uint8Array;
  contentType: string;
  fileName: string;
}

export interface ExportService {
  /**
   * Renders a timeline (or, with `query.snapshot`, one of its saved versions) as a briefing in
   * `query.format`. `author` is who asked (printed on title pages).
   */
  renderExport(id: string, query: ExportQuery, author?: string): Promise<RenderedExport>;
}

export function createExportService(deps: {
  timelines: TimelineService;
  history: HistoryService;
}): ExportService {
  async function readContent(id: string, snapshotId?: string): Promise<ExportContent> {
    const timeline = await deps.timelines.exportTimeline(id);
    if (snapshotId === undefined) return timeline;
    const saved = await deps.history.getSnapshot(id, snapshotId);
    return { ...timeline, lanes: saved.lanes, events: saved.events, snapshot: saved.snapshot };
  }

  return {
    async renderExport(id, query, author) {
      const format = findExportFormat(query.format);
      const content = await readContent(id, query.snapshot);
      const { format: _format, snapshot: _snapshot, ...options } = query;
      const context = { now: new Date(), author };
      let body: Uint8Array;
      if (format.offThread) {
        body = await renderOffThread(format.id, { content, options, context });
      } else {
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
