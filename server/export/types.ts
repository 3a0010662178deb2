/**
 * The export contract: a format is a pure function of a timeline's content and its briefing (the
 * content arranged for reading, server/export/briefing.ts) to bytes. Formats know nothing of HTTP,
 * rooms or storage; the export service reads the content (live room, store, or a saved version)
 * and the route sets the headers.
 */
import type { CommentSummary } from '../../lib/comments';
import type { BriefingOptions, ExportFormatId } from '../../lib/export/options';
import type { TimelineSnapshot } from '../../lib/timeline/model';
import type { SnapshotSummary, TimelineSummary } from '../../lib/timeline/schemas';
import type { Briefing } from './briefing';

/** A timeline's summary and its document content (as of now, or of a saved version). */
export interface ExportContent {
  timeline: TimelineSummary;
  lanes: TimelineSnapshot['lanes'];
  events: TimelineSnapshot['events'];
  /** The saved version exported, when not the current one. */
  snapshot?: SnapshotSummary;
  /**
   * The comments of the exported events, oldest first, when the briefing includes comments
   * (`comments=true`); read with the same permission as the comments API.
   */
  comments?: CommentSummary[];
}

/** What a format renders: the content in range, its briefing, and the options asked for. */
export interface ExportInput {
  content: ExportContent;
  briefing: Briefing;
  options: BriefingOptions;
}

export interface ExportFormat {
  /** The `format=` value of the export route (lib/export/options.ts lists them). */
  readonly id: ExportFormatId;
  /** What the export dialog calls it. */
  readonly label: string;
  /** File name extension, without the dot. */
  readonly extension: string;
  readonly contentType: string;
  /** Rendered in the export worker thread: the format blocks the event loop for long (offThread.ts). */
  readonly offThread?: boolean;
  render(input: ExportInput): Promise<Uint8Array> | Uint8Array;
}
