/**
 * Imports behind the REST API: a file (CSV, our JSON export, TimelineJS JSON) is parsed into a
 * plan (lib/import), then counted (dry run) or applied to the live room through a direct
 * connection in one transaction, so every connected client receives it as one change. The answer
 * waits until the change is durable.
 */
import {
  applyImportPlan,
  countImportPlan,
  type ImportError,
  type ImportFormat,
  parseImport,
} from '../../lib/import/index';
import type { ImportPlan } from '../../lib/import/plan';
import type { DirectConnection } from '../collab/direct';
import type { CollabServer } from '../collab/server';

export interface ImportRequest {
  format: ImportFormat;
  text: string;
  /** Count what would be created; write nothing. */
  dryRun: boolean;
  /** Import the readable rows of a file that also has unreadable ones (after a preview). */
  skipInvalid: boolean;
}

export interface ImportResult {
  dryRun: boolean;
  /** Events created (or, in a dry run, that would be). */
  events: number;
  /** Lanes created (or that would be). */
  lanes: number;
  /** Every row that is not imported, with its field and reason. */
  errors: ImportError[];
  /** True when nothing was written because of `errors` (the route answers 400). */
  rejected: boolean;
  /** A few of the events, for the preview: title, start, lane name. */
  sample: { row: number; title: string; start: string; lane: string }[];
}

export interface ImportService {
  importFile(timelineId: string, actor: string, request: ImportRequest): Promise<ImportResult>;
}

/** Events the dry run shows as a sample. */
const SAMPLE_SIZE = 10;

export function createImportService(deps: { collab: CollabServer }): ImportService {
  return {
    async importFile(timelineId, actor, { format, text, dryRun, skipInvalid }) {
      const plan = parseImport(format, text);
      const sample = plan.events.slice(0, SAMPLE_SIZE).map((planned) => ({
        row: planned.row,
        title: planned.event.title,
        start: planned.event.start,
        lane: planned.laneTitle ?? '',
      }));
      const unreadable = plan.errors.some((error) => error.row === 0);
      const rejected =
        unreadable ||
        (!dryRun && plan.errors.length > 0 && !skipInvalid) ||
        (!dryRun && plan.events.length === 0);
      const direct = await deps.collab.openDirect(timelineId, actor);
      try {
        if (dryRun || rejected) {
          const counts = countImportPlan(direct.doc, plan);
          return { dryRun, ...counts, errors: plan.errors, rejected, sample };
        }
        const { errors } = plan;
        // applyImportPlan's own transaction joins this one, so it carries the actor. The plan
        // (100,000 events' worth of objects) is not kept while the change is being written.
        const counts = applyInOneTransaction(direct, plan);
        await direct.whenPersisted();
        return { dryRun, ...counts, errors, rejected: false, sample };
      } finally {
        direct.release();
      }
    },
  };
}

function applyInOneTransaction(direct: DirectConnection, plan: ImportPlan) {
  let counts = { events: 0, lanes: 0 };
  direct.transact((doc) => {
    counts = applyImportPlan(doc, plan);
  });
  return counts;
}
