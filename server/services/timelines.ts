/**
 * Timeline operations behind the REST API. Content is read from the live document when a room
 * has it open (so an edit made over the websocket a moment ago is included), otherwise from the
 * store.
 */
import * as Y from 'yjs';
import { NotFoundError } from '../../lib/errors';
import { createId } from '../../lib/ids';
import { MAX_TITLE_LENGTH } from '../../lib/limits';
import {
  countEvents,
  initializeTimeline,
  readMeta,
  readTimeline,
  setTimelineTitle,
} from '../../lib/timeline/model';
import type { CreateTimelineBody, TimelineSummary } from '../../lib/timeline/schemas';
import type { CollabServer } from '../collab/server';
import type { EventBus } from '../events/bus';
import type { ExportContent } from '../export';
import type { TimelineRecord, TimelineStore } from '../store/types';
import { readTimelineDoc } from './docs';

/** The JSON export's shape: the timeline's summary and its whole content. */
export type TimelineExport = ExportContent;

export interface TimelineService {
  listTimelines(): Promise<TimelineSummary[]>;
  createTimeline(input: CreateTimelineBody): Promise<TimelineSummary>;
  /** Creates a timeline whose document is written by `write` (used by the seed). */
  createTimelineFromDoc(title: string, write: (doc: Y.Doc) => void): Promise<TimelineSummary>;
  getTimeline(id: string): Promise<TimelineSummary>;
  exportTimeline(id: string): Promise<TimelineExport>;
  /**
   * Deletes a timeline with its history and share links, after closing every live connection to
   * it (they see "not found"). Throws NotFoundError if there is no such timeline.
   */
  deleteTimeline(id: string): Promise<void>;
  /** Creates a copy of a timeline's current content, titled "<title> (copy)". */
  duplicateTimeline(id: string): Promise<TimelineSummary>;
}

/** The reason live connections of a deleted timeline are closed with (code 4404). */
export const TIMELINE_DELETED_REASON = 'this timeline was deleted';

/** Lanes a new, empty timeline starts with, so events can be added at once. */
const DEFAULT_LANES = [{ title: 'Events' }];

export function createTimelineService(deps: {
  store: TimelineStore;
  collab: CollabServer;
  /** Where a deletion is announced, so every instance closes the timeline's room (see app.ts). */
  bus?: EventBus;
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

  async function deleteTimeline(id: string): Promise<void> {
    if (!(await store.deleteTimeline(id))) throw new NotFoundError(`timeline ${id} not found`);
    // After the rows are gone, so a page opened meanwhile cannot load the room again; edits
    // received since are dropped with the room instead of being retried against missing rows.
    // With a bus, every instance (this one included) closes it through 'timeline.deleted'.
    if (deps.bus) await deps.bus.publish({ type: 'timeline.deleted', timelineId: id });
    else await deps.collab.closeTimeline(id, TIMELINE_DELETED_REASON);
  }

  async function duplicateTimeline(id: string): Promise<TimelineSummary> {
    await getTimeline(id);
    const source = await readTimelineDoc(deps, id, (doc) => ({
      state: Y.encodeStateAsUpdate(doc),
      title: readMeta(doc).title,
    }));
    const title = copyTitle(source.title);
    return createTimelineFromDoc(title, (doc) => {
      Y.applyUpdate(doc, source.state);
      setTimelineTitle(doc, title);
    });
  }

  return {
    deleteTimeline,
    duplicateTimeline,
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
  };
}

/** "<title> (copy)", shortened so it stays a valid title. */
export function copyTitle(title: string): string {
  const suffix = ' (copy)';
  return `${title.slice(0, MAX_TITLE_LENGTH - suffix.length).trimEnd()}${suffix}`;
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
