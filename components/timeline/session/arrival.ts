/**
 * What a page shows before the document has arrived (a first visit, still connecting, nothing in
 * this browser): the timeline's title and size from the server's summary, so that nothing says
 * "Untitled timeline" or "No events yet" about a timeline that has events. The editor and the
 * dashboard share it.
 */
import type { TimelineSnapshot } from '@/lib/timeline/model';
import type { ConnectionState } from './connection';

export interface DocumentArrival {
  /**
   * The document has not arrived yet: nothing of it, or only a part (a first visit to a big
   * timeline shows the part on the axis; counts and lists wait for the whole).
   */
  arriving: boolean;
  /** The title to show: the document's once it has arrived, the server's summary's before. */
  title: string;
  /** "Loading 100,000 events…" when the summary gives a count, else null. */
  loadingEvents: string | null;
}

export function documentArrival(
  state: ConnectionState,
  snapshot: TimelineSnapshot | null | undefined,
  summary: { title: string; eventCount: number } | undefined,
  partial = false,
): DocumentArrival {
  const arriving =
    state === 'connecting' &&
    (partial || !snapshot || (snapshot.events.length === 0 && snapshot.lanes.length === 0));
  return {
    arriving,
    title: (arriving ? summary?.title : snapshot?.meta.title) ?? summary?.title ?? 'Loading…',
    loadingEvents:
      summary && summary.eventCount > 0
        ? `Loading ${summary.eventCount.toLocaleString('en-US')} events…`
        : null,
  };
}
