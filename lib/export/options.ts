/**
 * What can be asked of an export: the formats offered (the export dialog lists them; the server's
 * registry in server/export renders exactly these) and the briefing options of
 * `GET /api/timelines/<id>/export`. Shared by the route (validation) and the dialog (the URL).
 */
import { z } from 'zod';
import { type EventFilters, encodeFilters, isDay, parseFilters } from '../filters/filters';
import { IsoDate } from '../timeline/values';

/** A format as people choose it; `id` is the `format=` value. */
export interface ExportFormatChoice {
  id: string;
  label: string;
  extension: string;
}

export const EXPORT_FORMAT_CHOICES = [
  { id: 'pdf', label: 'PDF briefing', extension: 'pdf' },
  { id: 'docx', label: 'Word document', extension: 'docx' },
  { id: 'pptx', label: 'PowerPoint slides', extension: 'pptx' },
  { id: 'png', label: 'Picture (PNG)', extension: 'png' },
  { id: 'svg', label: 'Picture (SVG)', extension: 'svg' },
  { id: 'csv', label: 'Spreadsheet (CSV)', extension: 'csv' },
  { id: 'json', label: 'JSON (the full timeline)', extension: 'json' },
  { id: 'timelinejs', label: 'TimelineJS (Knight Lab)', extension: 'json' },
  { id: 'ics', label: 'Calendar (iCalendar)', extension: 'ics' },
] as const satisfies readonly ExportFormatChoice[];

export type ExportFormatId = (typeof EXPORT_FORMAT_CHOICES)[number]['id'];

/**
 * The formats that print comments with `comments=true` (under each event; PowerPoint in the
 * speaker notes; JSON as a `comments` list). The others are tables, calendars and pictures with
 * no place for a discussion: they ignore it.
 */
export const COMMENT_FORMATS: readonly ExportFormatId[] = ['pdf', 'docx', 'pptx', 'json'];
export const EXPORT_FORMAT_IDS = EXPORT_FORMAT_CHOICES.map((choice) => choice.id) as [
  ExportFormatId,
  ...ExportFormatId[],
];

/** Longest briefing summary (key judgments): a page or two of text. */
export const MAX_SUMMARY_LENGTH = 10_000;
/** Longest handling line: one line printed at the top and bottom of every page. */
export const MAX_HANDLING_LENGTH = 120;

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .optional()
    // An empty field of the dialog's form means "none".
    .transform((value) => (value === '' ? undefined : value));

const flag = z
  .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
  .optional()
  .transform((value) => value === 'true' || value === '1');

/**
 * The query of the export route. `from`/`to` keep the events that overlap the range; `snapshot`
 * exports a saved version instead of now; `scale` (2) doubles a PNG's pixels; `slides` makes one
 * PowerPoint slide per lane or per event.
 */
export const ExportQuery = z
  .object({
    // JSON when left out, as before the briefing formats existed (scripts rely on it).
    format: z
      .enum(EXPORT_FORMAT_IDS, { error: `must be one of: ${EXPORT_FORMAT_IDS.join(', ')}` })
      .default('json'),
    snapshot: z.string().trim().min(1, 'must not be empty').max(100).optional(),
    from: IsoDate.optional(),
    // A day (the dialog's date field, the editor's `to` filter) covers the whole UTC day, as the
    // editor's filter does; a time is taken as it is.
    to: z
      .string()
      .trim()
      .transform((value) => (isDay(value) ? `${value}T23:59:59.999Z` : value))
      .pipe(IsoDate)
      .optional(),
    title: optionalText(200),
    summary: optionalText(MAX_SUMMARY_LENGTH),
    handling: optionalText(MAX_HANDLING_LENGTH),
    comments: flag,
    slides: z.enum(['lane', 'event'], { error: 'must be lane or event' }).default('lane'),
    scale: z
      .enum(['1', '2'], { error: 'must be 1 or 2' })
      .optional()
      .transform((value) => (value === '2' ? 2 : 1)),
  })
  .refine((query) => !query.from || !query.to || Date.parse(query.from) <= Date.parse(query.to), {
    message: 'must not be before from',
    path: ['to'],
  });
export type ExportQuery = z.output<typeof ExportQuery>;
export type ExportQueryInput = z.input<typeof ExportQuery>;

/** The briefing options a format renders with (the query minus what picks the content). */
export interface BriefingOptions {
  title?: string;
  summary?: string;
  handling?: string;
  comments: boolean;
  from?: string;
  to?: string;
  scale: 1 | 2;
  /** PowerPoint: one slide per lane (default) or per event. */
  slides?: 'lane' | 'event';
}

/**
 * The editor's filters read from an export URL (lib/filters, the same names and parsing as the
 * editor's URL) minus `from`/`to`, which ExportQuery reads (a script may give a time there, the
 * editor only days; both narrow the same way). `dim` is accepted and changes nothing: an export
 * always holds only the matching events. Unlike the editor, which drops a bad value with a
 * notice, a script hears about it: `errors` holds one message per bad value, naming its parameter.
 */
export function readExportFilters(params: URLSearchParams): {
  filters: EventFilters;
  errors: string[];
} {
  const rest = new URLSearchParams(params);
  rest.delete('from');
  rest.delete('to');
  const { filters, ignored } = parseFilters(rest);
  return { filters: { ...filters, dim: false }, errors: ignored };
}

/**
 * The export URL parameters of some filters (the editor's or the dashboard's current ones), to
 * pass as `buildExportUrl`'s `filterQuery`. Dimming is left out: it does not narrow.
 */
export function encodeExportFilters(filters: EventFilters): string {
  return encodeFilters({ ...filters, dim: false });
}

/**
 * The export route's URL for a timeline and a query (the dialog's download link); `filterQuery`
 * (encodeExportFilters) narrows it to a filter, and its `from`/`to` win over the query's.
 */
export function buildExportUrl(
  timelineId: string,
  query: ExportQueryInput,
  filterQuery = '',
): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  for (const [key, value] of new URLSearchParams(filterQuery)) {
    if (key === 'from' || key === 'to') params.set(key, value);
    else params.append(key, value);
  }
  return `/api/timelines/${encodeURIComponent(timelineId)}/export?${params}`;
}
