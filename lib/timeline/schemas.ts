import { z } from 'zod';
import { MAX_SNAPSHOT_PAGE, SNAPSHOT_PAGE_SIZE } from '../limits';
import { Title } from './values';

// The value and entity schemas live with their field tables; they are re-exported here so that
// API code finds every schema in one place.
export { type EventFields, EventInput, EventPatch } from './event';
export { LaneInput, LanePatch } from './lane';
export { SourceInput, SourcePatch } from './source';
export {
  Confidence,
  ConfidenceInput,
  Credibility,
  EventKind,
  IsoDate,
  LinkRelation,
  Location,
  Precision,
  Reliability,
  Tag,
  Title,
} from './values';

/** Body of `POST /api/timelines`. */
export const CreateTimelineBody = z.object({ title: Title }).strict();
export type CreateTimelineBody = z.infer<typeof CreateTimelineBody>;

/**
 * Who did something, until accounts exist: the display name the person chose in their browser.
 * Never trusted for authorization — only shown in history.
 */
export const AuthorName = z.string().trim().min(1).max(60);

/** Body of `POST /api/timelines/<id>/snapshots`. */
export const CreateSnapshotBody = z
  .object({
    label: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
    author: AuthorName.optional(),
  })
  .strict();
export type CreateSnapshotBody = z.infer<typeof CreateSnapshotBody>;

/** Body of `POST /api/timelines/<id>/snapshots/<snapshotId>/restore`. */
export const RestoreSnapshotBody = z.object({ author: AuthorName.optional() }).strict();
export type RestoreSnapshotBody = z.infer<typeof RestoreSnapshotBody>;

/** A history snapshot as the API returns it. */
export const SnapshotSummary = z.object({
  id: z.string(),
  kind: z.enum(['auto', 'named', 'pre-restore']),
  label: z.string().nullable(),
  author: z.string().nullable(),
  eventCount: z.number().int(),
  createdAt: z.string(),
});
export type SnapshotSummary = z.infer<typeof SnapshotSummary>;

/** Query of `GET /api/timelines/<id>/snapshots`: a page size and where the page starts. */
export const SnapshotListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_SNAPSHOT_PAGE).default(SNAPSHOT_PAGE_SIZE),
  cursor: z.string().max(200).optional(),
});
export type SnapshotListQuery = z.infer<typeof SnapshotListQuery>;

/** One page of snapshots, newest first; `nextCursor` asks for the following page (null: none). */
export const SnapshotPage = z.object({
  snapshots: z.array(SnapshotSummary),
  nextCursor: z.string().nullable(),
});
export type SnapshotPage = z.infer<typeof SnapshotPage>;

/** One activity log entry as the API returns it. */
export const ActivitySummary = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.string(),
  action: z.enum(['created', 'updated', 'deleted', 'restored']),
  eventId: z.string(),
  eventTitle: z.string(),
  fields: z.array(z.string()),
  /** Events covered: 1, or for a bulk change (an import) how many (eventId is then ''). */
  count: z.number().int(),
});
export type ActivitySummary = z.infer<typeof ActivitySummary>;

/** What the timeline list (`GET /api/timelines`) returns for each timeline. */
export const TimelineSummary = z.object({
  id: z.string(),
  title: z.string(),
  eventCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TimelineSummary = z.infer<typeof TimelineSummary>;

/** Formats a zod error as one readable sentence for a 400 response. */
export function formatZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.length > 0 ? issue.path.join('.') : 'body';
      return `${where}: ${issue.message}`;
    })
    .join('; ');
}
