/**
 * The export contract: a format is a pure function of a timeline's content (and the briefing
 * options, as formats grow them) to bytes. Formats know nothing of HTTP, rooms or storage; the
 * timeline service reads the content (live room, or the store) and the route sets the headers.
 */
import type { TimelineSnapshot } from '../../lib/timeline/model';
import type { TimelineSummary } from '../../lib/timeline/schemas';

/** What every format renders: the timeline's summary and its whole document content. */
export interface ExportContent {
  timeline: TimelineSummary;
  lanes: TimelineSnapshot['lanes'];
  events: TimelineSnapshot['events'];
}

export interface ExportFormat {
  /** The `format=` value of the export route. */
  readonly id: string;
  /** What the export dialog calls it. */
  readonly label: string;
  /** File name extension, without the dot. */
  readonly extension: string;
  readonly contentType: string;
  render(content: ExportContent): Promise<Uint8Array> | Uint8Array;
}
