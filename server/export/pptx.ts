/**
 * PowerPoint slides (pptxgenjs): a title slide (title, period, version, summary), the timeline
 * picture, then one slide per lane with its events in a table (dates at their precision,
 * confidence, corroboration, source numbers) and the full source notes with grades in the
 * slide's speaker notes. The handling line is on every slide, top and bottom.
 */
import { createRequire } from 'node:module';
import type PptxGenJSType from 'pptxgenjs';
import { type Briefing, type BriefingEvent, describeThreads } from './briefing';
import { renderTimelinePng, withoutHandling } from './picture';
import { renderTimelineSvg } from './timelineSvg';
import type { ExportFormat } from './types';

const require = createRequire(import.meta.url);

type Slide = ReturnType<PptxGenJSType['addSlide']>;
const WIDTH = 13.33;
const HEIGHT = 7.5;
/** Rows of one lane slide's table before it continues on the next slide. */
const ROWS_PER_SLIDE = 12;

function addHandling(slide: Slide, handling: string | undefined): void {
  if (!handling) return;
  for (const y of [0.05, HEIGHT - 0.4]) {
    slide.addText(handling, {
      x: 0,
      y,
      w: WIDTH,
      h: 0.35,
      align: 'center',
      bold: true,
      color: 'B91C1C',
      fontSize: 11,
    });
  }
}

function sourceNotes(events: BriefingEvent[]): string {
  const lines = events.flatMap((event) => [
    `${event.title} (${event.dateLabel}) — confidence ${event.confidenceLabel}, ${event.corroborationLabel}`,
    ...event.sources.map((source) =>
      [
        `  [${source.number}] ${source.title}`,
        source.publisher ? `, ${source.publisher}` : '',
        ` — ${source.gradeLabel}`,
        source.url ? ` ${source.url}` : '',
        source.excerpt ? `\n      “${source.excerpt}”` : '',
      ].join(''),
    ),
    ...describeThreads(event).map((line) => `  ${line}`),
  ]);
  return lines.join('\n');
}

function addEventSlide(deck: PptxGenJSType, briefing: Briefing, event: BriefingEvent): void {
  const slide = deck.addSlide();
  addHandling(slide, briefing.handling);
  slide.addShape('rect', {
    x: 0.5,
    y: 0.55,
    w: 0.15,
    h: 0.6,
    fill: { color: event.lane.color.slice(1) },
  });
  slide.addText(event.title, { x: 0.75, y: 0.5, w: WIDTH - 1.5, h: 0.7, fontSize: 26, bold: true });
  const facts = [
    `${event.dateLabel}${event.uncertainty ? ` (${event.uncertainty})` : ''} · ${event.lane.title}`,
    `Confidence: ${event.confidenceLabel} · ${event.corroborationLabel}`,
    event.location ? `Where: ${event.location.name}` : '',
    event.sources.length ? `Sources: ${event.sources.map((s) => `[${s.number}]`).join(' ')}` : '',
  ].filter(Boolean);
  slide.addText(facts.join('\n'), {
    x: 0.75,
    y: 1.3,
    w: WIDTH - 1.5,
    h: 1.3,
    fontSize: 16,
    color: '374151',
    valign: 'top',
  });
  if (event.description) {
    slide.addText(event.description.slice(0, 1200), {
      x: 0.75,
      y: 2.7,
      w: WIDTH - 1.5,
      h: 4.2,
      fontSize: 14,
      valign: 'top',
      fit: 'shrink',
    });
  }
  slide.addNotes(sourceNotes([event]));
}

/** The deck of a briefing: after the title and the picture, one slide per lane or per event. */
export function buildDeck(briefing: Briefing, per: 'lane' | 'event' = 'lane'): PptxGenJSType {
  // pptxgenjs ships CommonJS with a default-exported class; loaded on first use (it is slow to load).
  const PptxGenJS = require('pptxgenjs') as typeof PptxGenJSType;
  const deck = new PptxGenJS();
  deck.layout = 'LAYOUT_WIDE';
  deck.title = briefing.title;
  deck.author = briefing.author ?? 'Chronoboard';

  const title = deck.addSlide();
  addHandling(title, briefing.handling);
  title.addText(briefing.title, {
    x: 0.6,
    y: 1.6,
    w: WIDTH - 1.2,
    h: 1.2,
    fontSize: 36,
    bold: true,
    color: '111827',
  });
  title.addText(
    `${briefing.period.label}\n${briefing.version}${briefing.author ? ` · ${briefing.author}` : ''}`,
    {
      x: 0.6,
      y: 2.9,
      w: WIDTH - 1.2,
      h: 0.9,
      fontSize: 16,
      color: '6B7280',
    },
  );
  if (briefing.summary) {
    title.addText(briefing.summary, {
      x: 0.6,
      y: 4,
      w: WIDTH - 1.2,
      h: 2.8,
      fontSize: 16,
      valign: 'top',
      color: '111827',
    });
  }

  const picture = deck.addSlide();
  addHandling(picture, briefing.handling);
  const { width, height } = renderTimelineSvg(withoutHandling(briefing));
  const w = WIDTH - 0.8;
  const h = Math.min((height / width) * w, HEIGHT - 1.2);
  picture.addImage({
    data: `image/png;base64,${Buffer.from(renderTimelinePng(withoutHandling(briefing), 2)).toString('base64')}`,
    x: 0.4,
    y: 0.6,
    w: h < (height / width) * w ? h * (width / height) : w,
    h,
    altText: `Timeline of ${briefing.title}`,
  });

  if (per === 'event') {
    for (const event of briefing.events)
      if (event.kind !== 'background') addEventSlide(deck, briefing, event);
    return deck;
  }
  for (const lane of briefing.lanes) {
    const events = briefing.events.filter((event) => event.lane.id === lane.id);
    for (let first = 0; first < events.length; first += ROWS_PER_SLIDE) {
      const page = events.slice(first, first + ROWS_PER_SLIDE);
      const slide = deck.addSlide();
      addHandling(slide, briefing.handling);
      const more =
        events.length > ROWS_PER_SLIDE
          ? ` (${first / ROWS_PER_SLIDE + 1} of ${Math.ceil(events.length / ROWS_PER_SLIDE)})`
          : '';
      slide.addShape('rect', {
        x: 0.5,
        y: 0.55,
        w: 0.15,
        h: 0.6,
        fill: { color: lane.color.slice(1) },
      });
      slide.addText(`${lane.title}${more}`, {
        x: 0.75,
        y: 0.5,
        w: WIDTH - 1.5,
        h: 0.7,
        fontSize: 26,
        bold: true,
      });
      const header = ['When (UTC)', 'Event', 'Confidence', 'Corroboration', 'Sources'].map(
        (text) => ({
          text,
          options: { bold: true, fill: { color: 'F3F4F6' } },
        }),
      );
      const rows = page.map((event) => [
        { text: event.dateLabel },
        { text: event.kind === 'background' ? `${event.title} (background period)` : event.title },
        { text: event.confidenceLabel },
        { text: event.corroborationLabel },
        { text: event.sources.map((s) => `[${s.number}]`).join(' ') || '—' },
      ]);
      slide.addTable([header, ...rows], {
        x: 0.5,
        y: 1.35,
        w: WIDTH - 1,
        colW: [2.6, 5.2, 1.5, 1.9, 1.13],
        fontSize: 11,
        border: { type: 'solid', pt: 0.5, color: 'D1D5DB' },
      });
      slide.addNotes(sourceNotes(page));
    }
  }
  return deck;
}

export const pptxFormat: ExportFormat = {
  id: 'pptx',
  offThread: true,
  label: 'PowerPoint slides',
  extension: 'pptx',
  contentType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  render: async ({ briefing, options }) =>
    new Uint8Array(
      (await buildDeck(briefing, options.slides).write({ outputType: 'nodebuffer' })) as Buffer,
    ),
};
