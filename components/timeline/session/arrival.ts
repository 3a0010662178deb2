/**
 * What a page shows before the document has arrived (a first visit, still connecting, nothing in
 * this browser): the timeline's title and size from the server's summary, so that nothing says
 * "Untitled timeline" or "No events yet" about a timeline that has events. The editor and the
 * dashboard share it.
 */
import type { TimelineSnapshot } from '@/lib/timeline/model';
import type { ConnectionState } from './connection';

export interface DocumentArrival {
  /** Nothing of the document has arrived yet. */
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
): DocumentArrival {
  const arriving =
    state === 'connecting' &&
    (!snapshot || (snapshot.events.length === 0 && snapshot.lanes.length === 0));
  return {
    arriving,
    title: (arriving ? summary?.title : snapshot?.meta.title) ?? summary?.title ?? 'Loading…',
    loadingEvents:
      summary && summary.eventCount > 0
        ? `Loading ${summary.eventCount.toLocaleString('en-US')} events…`
        : null,
  };
}
