/**
 * Timeline operations behind the REST API. Content is read from the live document when a room
 * has it open (so an edit made over the websocket a moment ago is included), otherwise from the
 * store.
 */
import * as Y from 'yjs';
import { NotFoundError } from '../../lib/errors';
import { createId } from '../../lib/ids';
import { countEvents, initializeTimeline, readTimeline } from '../../lib/timeline/model';
import type { CreateTimelineBody, TimelineSummary } from '../../lib/timeline/schemas';
import type { CollabServer } from '../collab/server';
import { type ExportContent, exportFileName, findExportFormat } from '../export';
import type { TimelineRecord, TimelineStore } from '../store/types';
import { readTimelineDoc } from './docs';

/** The JSON export's shape: the timeline's summary and its whole content. */
export type TimelineExport = ExportContent;

/** A rendered export, ready to be sent as a download. */
export interface RenderedExport {
  body: Uint8Array;
  contentType: string;
  fileName: string;
}

export interface TimelineService {
  listTimelines(): Promise<TimelineSummary[]>;
  createTimeline(input: CreateTimelineBody): Promise<TimelineSummary>;
  /** Creates a timeline whose document is written by `write` (used by the seed). */
  createTimelineFromDoc(title: string, write: (doc: Y.Doc) => void): Promise<TimelineSummary>;
  getTimeline(id: string): Promise<TimelineSummary>;
  exportTimeline(id: string): Promise<TimelineExport>;
  /** Renders the timeline in a registered export format (server/export). */
  renderExport(id: string, formatId: string): Promise<RenderedExport>;
}

/** Lanes a new, empty timeline starts with, so events can be added at once. */
const DEFAULT_LANES = [{ title: 'Events' }];

export function createTimelineService(deps: {
  store: TimelineStore;
  collab: CollabServer;
}): TimelineService {
  const { store } = deps;

  async function createTimelineFromDoc(title: string, write: (doc: Y.Doc) => void) {
    const id = createId();
    const doc = new Y.Doc();
    try {
      write(doc);
      await store.createTimeline(
        { id, title, eventCount: countEvents(doc) },
        Y.encodeStateAsUpdate(doc),
      );
    } finally {
      doc.destroy();
    }
    return getTimeline(id);
  }

  async function getTimeline(id: string): Promise<TimelineSummary> {
    const record = await store.getTimeline(id);
    if (!record) throw new NotFoundError(`timeline ${id} not found`);
    return toSummary(record);
  }

  async function exportTimeline(id: string): Promise<TimelineExport> {
    const record = await getTimeline(id);
    const content = await readTimelineDoc(deps, id, readTimeline);
    return {
      timeline: { ...record, title: content.meta.title, eventCount: content.events.length },
      lanes: content.lanes,
      events: content.events,
    };
  }

  return {
    async listTimelines() {
      return (await store.listTimelines()).map(toSummary);
    },
    createTimeline: ({ title }) =>
      createTimelineFromDoc(title, (doc) =>
        initializeTimeline(doc, { title, lanes: DEFAULT_LANES }),
      ),
    createTimelineFromDoc,
    getTimeline,
    exportTimeline,
    async renderExport(id, formatId) {
      const format = findExportFormat(formatId);
      const content = await exportTimeline(id);
      return {
        body: await format.render(content),
        contentType: format.contentType,
        fileName: exportFileName(content.timeline.title, format.extension),
      };
    },
  };
}

function toSummary(record: TimelineRecord): TimelineSummary {
  return {
    id: record.id,
    title: record.title,
    eventCount: record.eventCount,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}
