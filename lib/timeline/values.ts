/**
 * The zod schemas of single values the timeline model stores (titles, dates, kinds, colours).
 * They live apart from the entity modules so that field tables and API schemas can both import
 * them without an import cycle.
 */
import { z } from 'zod';
import { HEX_COLOR } from '../colors';
import { ID_PATTERN } from '../ids';
import { MAX_TITLE_LENGTH } from '../limits';

/** How an event is drawn: a point in time, a bar with a start and an end, or a shaded band. */
export const EventKind = z.enum(['point', 'range', 'background']);
export type EventKind = z.infer<typeof EventKind>;

/**
 * How sure the analysts are of an event: the US intelligence community's analytic confidence
 * (ICD 203): high, moderate, low. Unset means "not assessed". Labels live in grading.ts.
 */
export const Confidence = z.enum(['high', 'moderate', 'low']);
export type Confidence = z.infer<typeof Confidence>;

/** The four values documents held before the ICD 203 scale, and what each now reads as. */
export const LEGACY_CONFIDENCE: Readonly<Record<string, Confidence>> = {
  confirmed: 'high',
  reported: 'moderate',
  assessment: 'moderate',
  unverified: 'low',
};

/** A stored or entered confidence in today's scale: legacy names mapped, anything else undefined. */
export function toConfidence(value: unknown): Confidence | undefined {
  if (typeof value !== 'string') return undefined;
  if ((Confidence.options as readonly string[]).includes(value)) return value as Confidence;
  return Object.hasOwn(LEGACY_CONFIDENCE, value) ? LEGACY_CONFIDENCE[value] : undefined;
}

/** What inputs accept: the new values, and the legacy names (mapped), so old clients and files work. */
export const ConfidenceInput = z.preprocess(
  (value) => (typeof value === 'string' ? (toConfidence(value) ?? value) : value),
  Confidence,
);

/** How precisely an event's start and end are known. */
export const Precision = z.enum(['year', 'month', 'day', 'time']);
export type Precision = z.infer<typeof Precision>;

/** A free tag: trimmed, 1–64 characters. */
export const Tag = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters');

/** Most tags one event carries. */
export const MAX_TAGS = 50;

/** Where an event happened: a place name, with coordinates (both or neither). */
export const Location = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
    lat: z.number().min(-90).max(90).optional(),
    lon: z.number().min(-180).max(180).optional(),
  })
  .strict()
  .refine((location) => (location.lat === undefined) === (location.lon === undefined), {
    message: 'latitude and longitude go together: give both or neither',
    path: ['lat'],
  });
export type Location = z.infer<typeof Location>;

/** How one event relates to another it links to. */
export const LinkRelation = z.enum(['causes', 'caused-by', 'related']);
export type LinkRelation = z.infer<typeof LinkRelation>;

/** An event id another event may link to. */
export const EventId = z.string().regex(ID_PATTERN, 'must be a valid event id');

/** Most links one event carries. */
export const MAX_LINKS = 200;

/** Admiralty (NATO) scale: reliability of a source, A (completely reliable) … F (cannot be judged). */
export const Reliability = z.enum(['A', 'B', 'C', 'D', 'E', 'F']);
export type Reliability = z.infer<typeof Reliability>;

/** Admiralty (NATO) scale: credibility of the information, 1 (confirmed) … 6 (cannot be judged). */
export const Credibility = z
  .number()
  .int('must be a whole number from 1 to 6')
  .min(1, 'must be a whole number from 1 to 6')
  .max(6, 'must be a whole number from 1 to 6')
  .transform((value) => value as Credibility);
export type Credibility = 1 | 2 | 3 | 4 | 5 | 6;

// Years outside 0000–9999 are written with a sign and six digits (`-000500`, `+012000`), as
// Date#toISOString writes them.
const ISO_DATE =
  /^(\d{4}|[+-]\d{6})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;

/** True if the string is an ISO 8601 date or date-time naming a real calendar instant. */
function isRealIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [, year, month, day, hour = '0', minute = '0', second = '0'] = match;
  // ISO 8601 has no negative zero year; V8 would parse it as something else entirely.
  if (year === '-000000') return false;
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  const lastDay = new Date(0);
  lastDay.setUTCFullYear(Number(year), Number(month), 0);
  const daysInMonth = lastDay.getUTCDate();
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
 * A date or date-time. Accepts `YYYY-MM-DD` (or an extended year, `-000500-01-01`) and ISO 8601
 * date-times with an offset or `Z`; stored normalized to the UTC form `YYYY-MM-DDTHH:mm:ss.sssZ`
 * (`±YYYYYY-…` outside years 0–9999). Compare stored dates with compareDates, not as strings.
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

/** Orders two readable stored dates in time (string order fails for extended years). */
export function compareDates(a: string, b: string): number {
  return Date.parse(a) - Date.parse(b);
}
