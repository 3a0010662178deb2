import { z } from 'zod';
import { MAX_TITLE_LENGTH } from '../limits';

/** How an event is drawn: a point in time, a bar with a start and an end, or a shaded band. */
export const EventKind = z.enum(['point', 'range', 'background']);
export type EventKind = z.infer<typeof EventKind>;

/** How sure the analysts are of an event; free text elsewhere is not allowed to keep filters simple. */
export const Confidence = z.enum(['confirmed', 'reported', 'assessment', 'unverified']);
export type Confidence = z.infer<typeof Confidence>;

const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;

/** True if the string is an ISO 8601 date or date-time naming a real calendar instant. */
function isRealIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [, year, month, day, hour = '0', minute = '0', second = '0'] = match;
  const daysInMonth = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
  // Date.parse would roll 2019-02-30 over into March; refuse impossible fields instead.
  return (
    Number(month) >= 1 &&
    Number(month) <= 12 &&
    Number(day) >= 1 &&
    Number(day) <= daysInMonth &&
    Number(hour) <= 23 &&
    Number(minute) <= 59 &&
    Number(second) <= 59 &&
    !Number.isNaN(Date.parse(value))
  );
}

/**
 * A date or date-time. Accepts `YYYY-MM-DD` and ISO 8601 date-times with an offset or `Z`;
 * stored normalized to the UTC form `YYYY-MM-DDTHH:mm:ss.sssZ` so that documents compare as strings.
 */
export const IsoDate = z
  .string()
  .trim()
  .refine(isRealIsoDate, {
    message: 'must be an ISO 8601 date such as 2019-02-18 or 2019-02-18T09:30:00Z',
  })
  .transform((value) => new Date(value).toISOString());

export const Title = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_TITLE_LENGTH, `must be at most ${MAX_TITLE_LENGTH} characters`);

export const SourceInput = z.object({
  title: Title,
  // Only web links: a javascript: or data: URL in a source would run when clicked.
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
});
export type SourceInput = z.infer<typeof SourceInput>;

const eventFieldShape = {
  title: Title,
  start: IsoDate,
  end: IsoDate.optional(),
  kind: EventKind,
  lane: z.string().min(1, 'must name a lane'),
  description: z.string().max(100_000).optional(),
  confidence: Confidence.optional(),
  sources: z.array(SourceInput).max(100).optional(),
};

function checkEventShape(
  event: { kind?: EventKind; start?: string; end?: string },
  ctx: z.RefinementCtx,
): void {
  if (event.kind === 'point' && event.end !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['end'], message: 'a point event has no end' });
  }
  if ((event.kind === 'range' || event.kind === 'background') && event.end === undefined) {
    ctx.addIssue({ code: 'custom', path: ['end'], message: `a ${event.kind} event needs an end` });
  }
  if (event.start !== undefined && event.end !== undefined && event.end < event.start) {
    ctx.addIssue({ code: 'custom', path: ['end'], message: 'end must not be before start' });
  }
}

/** A complete new event, as written by the UI, the REST API or the seed. */
export const EventInput = z.object(eventFieldShape).superRefine(checkEventShape);
export type EventInput = z.input<typeof EventInput>;
export type EventFields = z.output<typeof EventInput>;

/**
 * A change to some fields of an event. `end: null` removes the end (turning a range into a point
 * needs `{ kind: 'point', end: null }`). The resulting event is re-validated as a whole.
 */
export const EventPatch = z.object({
  title: Title.optional(),
  start: IsoDate.optional(),
  end: IsoDate.nullable().optional(),
  kind: EventKind.optional(),
  lane: z.string().min(1).optional(),
  description: z.string().max(100_000).optional(),
  confidence: Confidence.nullable().optional(),
});
export type EventPatch = z.input<typeof EventPatch>;

export const LaneInput = z.object({
  title: Title,
  order: z.number().finite().optional(),
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour such as #3b82f6')
    .optional(),
});
export type LaneInput = z.input<typeof LaneInput>;

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

/** One activity log entry as the API returns it. */
export const ActivitySummary = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.string(),
  action: z.enum(['created', 'updated', 'deleted', 'restored']),
  eventId: z.string(),
  eventTitle: z.string(),
  fields: z.array(z.string()),
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
