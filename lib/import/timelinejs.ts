/**
 * Knight Lab's TimelineJS JSON (https://timeline.knightlab.com/docs/json-format.html) → an import
 * plan. Slides become events (a slide with an end date a range), `group` names the lane, eras
 * become background bands in an "Eras" lane, the title slide becomes the timeline's description
 * and media become sources (url, credit → publisher, caption → title, or excerpt when long).
 * HTML in texts becomes plain text; its links become sources. Partial dates keep their precision.
 * Cosmological-scale files are refused: Chronoboard places events on a calendar.
 */
import { z } from 'zod';
import {
  COSMOLOGICAL_MESSAGE,
  convertDateParts,
  type DateParts,
  type DatePrecision,
  MAX_ABS_YEAR,
} from './dates';
import { convertHtmlToText, toWebUrl } from './html';
import { failedPlan, type ImportPlan, PlanBuilder } from './plan';

const Part = z.union([z.string(), z.number()]).nullish();
const TjsDate = z
  .object({
    year: Part,
    month: Part,
    day: Part,
    hour: Part,
    minute: Part,
    second: Part,
    millisecond: Part,
  })
  .loose();
const TjsText = z.object({ headline: z.string().nullish(), text: z.string().nullish() }).loose();
const TjsMedia = z
  .object({
    url: z.string().nullish(),
    caption: z.string().nullish(),
    credit: z.string().nullish(),
  })
  .loose();

/** One slide (event, era or the title), checked leniently: unknown keys are ignored. */
export const TimelineJsSlide = z
  .object({
    start_date: TjsDate.nullish(),
    end_date: TjsDate.nullish(),
    text: TjsText.nullish(),
    media: TjsMedia.nullish(),
    group: z.union([z.string(), z.number()]).nullish(),
  })
  .loose();
export type TimelineJsSlide = z.infer<typeof TimelineJsSlide>;

const TimelineJsFile = z
  .object({
    title: z.unknown().optional(),
    events: z.array(z.unknown(), { error: 'a TimelineJS file needs an "events" list' }),
    eras: z.array(z.unknown()).nullish(),
    scale: z.string().nullish(),
  })
  .loose();

/** The lane eras are drawn in. */
export const ERAS_LANE_TITLE = 'Eras';
/** Longest caption used as a source's title; a longer one is kept as the source's excerpt. */
const MAX_CAPTION_TITLE = 200;
const MAX_PUBLISHER = 200;
const PRECISION_ORDER: DatePrecision[] = ['year', 'month', 'day', 'time'];

/** Parses a TimelineJS JSON file's text. */
export function parseTimelineJs(text: string): ImportPlan {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return failedPlan(`not valid JSON: ${(error as Error).message}`);
  }
  const file = TimelineJsFile.safeParse(data);
  if (!file.success) return failedPlan(file.error.issues[0]!.message, 'events');
  const { events, eras, title, scale } = file.data;
  if (scale === 'cosmological') return failedPlan(COSMOLOGICAL_MESSAGE, 'scale');
  const cosmic = findCosmicYear(events, 'event') ?? findCosmicYear(eras ?? [], 'era');
  if (cosmic) return failedPlan(`${cosmic}: ${COSMOLOGICAL_MESSAGE}`, 'scale');

  const plan = new PlanBuilder();
  const titleSlide = TimelineJsSlide.safeParse(title ?? {});
  if (title && titleSlide.success) {
    const headline = convertHtmlToText(titleSlide.data.text?.headline ?? '').text;
    const body = convertHtmlToText(titleSlide.data.text?.text ?? '').text;
    const description = [headline, body].filter(Boolean).join('\n');
    if (description) plan.timelineDescription = description;
  }
  for (const [index, raw] of events.entries()) addSlide(plan, index + 1, raw, 'event');
  for (const [index, raw] of (eras ?? []).entries()) addSlide(plan, index + 1, raw, 'era');
  return plan.build();
}

/**
 * Adds one slide (an event, or an era when `role` is 'era') to the plan. Shared with the TimelineJS
 * spreadsheet template of the CSV importer, whose rows are slides spelled as columns.
 */
export function addSlide(
  plan: PlanBuilder,
  row: number,
  raw: unknown,
  role: 'event' | 'era',
  fieldName: (field: string) => string = (field) => (role === 'era' ? `era.${field}` : field),
): boolean {
  const parsed = TimelineJsSlide.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return plan.addError(row, fieldName(issue.path.join('.') || 'slide'), issue.message);
  }
  const slide = parsed.data;
  if (!slide.start_date)
    return plan.addError(row, fieldName('start_date'), 'a start date is required');
  const start = convertDateParts(slide.start_date as DateParts, 'start_date.');
  if (!start.ok) return plan.addError(row, fieldName(start.field), start.message);
  const hasEnd = slide.end_date && slide.end_date.year !== undefined && slide.end_date.year !== '';
  const end = hasEnd ? convertDateParts(slide.end_date as DateParts, 'end_date.') : undefined;
  if (end && !end.ok) return plan.addError(row, fieldName(end.field), end.message);
  if (role === 'era' && !end)
    return plan.addError(row, fieldName('end_date'), 'an era needs an end date');

  const headline = convertHtmlToText(slide.text?.headline ?? '');
  const body = convertHtmlToText(slide.text?.text ?? '');
  let title = headline.text.replace(/\n/g, ' ');
  if (!title && role === 'era') title = `Era ${row}`;
  if (!title) return plan.addError(row, fieldName('text.headline'), 'a headline is required');

  const sources = buildSources(slide, [...headline.links, ...body.links]);
  const precision = [start.precision, end?.ok ? end.precision : start.precision].sort(
    (a, b) => PRECISION_ORDER.indexOf(b) - PRECISION_ORDER.indexOf(a),
  )[0];
  const input: Record<string, unknown> = {
    title,
    start: start.iso,
    kind: role === 'era' ? 'background' : end ? 'range' : 'point',
    precision,
  };
  if (end?.ok) input.end = end.iso;
  if (body.text) input.description = body.text;
  if (sources.length > 0) input.sources = sources;
  const group = slide.group === null || slide.group === undefined ? '' : String(slide.group).trim();
  return plan.addEvent(row, input, {
    laneTitle: role === 'era' ? ERAS_LANE_TITLE : group || undefined,
    fieldName: (field) => fieldName(TIMELINEJS_FIELD_NAMES[field] ?? field),
  });
}

/** Our field → the TimelineJS field a message should name. */
const TIMELINEJS_FIELD_NAMES: Record<string, string> = {
  title: 'text.headline',
  description: 'text.text',
  start: 'start_date',
  end: 'end_date',
  sources: 'media',
};

function buildSources(slide: TimelineJsSlide, links: { url: string; text: string }[]) {
  const sources: Record<string, string>[] = [];
  const seen = new Set<string>();
  const url = toWebUrl(slide.media?.url ?? undefined);
  if (url) {
    const caption = convertHtmlToText(slide.media?.caption ?? '').text.replace(/\n/g, ' ');
    const credit = shorten(
      convertHtmlToText(slide.media?.credit ?? '').text.replace(/\n/g, ' '),
      MAX_PUBLISHER,
    );
    const source: Record<string, string> = { url };
    if (caption && caption.length <= MAX_CAPTION_TITLE) source.title = caption;
    else {
      source.title = credit || new URL(url).hostname.replace(/^www\./, '');
      if (caption) source.excerpt = caption;
    }
    if (credit) source.publisher = credit;
    sources.push(source);
    seen.add(url);
  }
  for (const link of links) {
    if (seen.has(link.url)) continue;
    seen.add(link.url);
    sources.push({ url: link.url, title: shorten(link.text, MAX_CAPTION_TITLE) || link.url });
  }
  return sources;
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/** "event 3 (year -13800000000)" for the first slide whose year no calendar can hold. */
function findCosmicYear(slides: unknown[], role: string): string | undefined {
  for (const [index, slide] of slides.entries()) {
    for (const key of ['start_date', 'end_date']) {
      const year = (slide as Record<string, { year?: unknown }> | null)?.[key]?.year;
      const value =
        typeof year === 'string' || typeof year === 'number' ? Number(year) : Number.NaN;
      if (Number.isFinite(value) && Math.abs(value) > MAX_ABS_YEAR) {
        return `${role} ${index + 1} (year ${String(year)})`;
      }
    }
  }
  return undefined;
}
