/**
 * The zod schemas of single values the timeline model stores (titles, dates, kinds, colours).
 * They live apart from the entity modules so that field tables and API schemas can both import
 * them without an import cycle.
 */
import { z } from 'zod';
import { HEX_COLOR } from '../colors';
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

/** A lane colour. */
export const Color = z.string().regex(HEX_COLOR, 'must be a colour such as #3b82f6');

/** Only web links: a javascript: or data: URL in a source would run when clicked. */
export const WebUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/** An event description: long free text, edited collaboratively. */
export const Description = z.string().max(100_000);

/** A stored date a reader can place on the timeline (readers are lenient; writers use IsoDate). */
export function isReadableDate(value: unknown): value is string {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}
