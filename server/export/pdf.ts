/**
 * The PDF briefing, laid out by pdfmake: a title page (title, period, generated at, version,
 * author, summary), the timeline picture, a chronological table (dates at their precision, lane,
 * title, confidence, corroboration, source numbers), the numbered source notes with their grades,
 * the confidence and grading legends, page numbers, and the handling line at the top and bottom
 * of every page.
 *
 * Resource policy: pdfmake fetches any http(s) URL used as an image and reads any local path
 * used as a font or image. Nothing from a timeline is ever used as either, and the policies make
 * sure: no URL may be fetched at all, and only the shipped font files may be read. Source links
 * are written as link annotations, which the PDF viewer, never the server, follows.
 */
import { createRequire } from 'node:module';
import { type Briefing, describeThreads } from './briefing';
import { formatAtPrecision } from './briefingDates';
import { FONT_FILES, renderTimelinePng, withoutHandling } from './picture';
import type { ExportFormat } from './types';

const require = createRequire(import.meta.url);

interface PdfMake {
  setFonts(fonts: Record<string, Record<string, string>>): void;
  setUrlAccessPolicy(policy: (url: string) => boolean): void;
  setLocalAccessPolicy(policy: (path: string) => boolean): void;
  createPdf(definition: object): { getBuffer(): Promise<Buffer> };
}

let loaded: PdfMake | null = null;

/**
 * pdfmake (CommonJS, one shared instance), configured on first use: loading it takes about a
 * second, which a server that never exports a PDF in this thread should not pay at start.
 */
function loadPdfmake(): PdfMake {
  if (loaded) return loaded;
  const pdfmake = require('pdfmake') as PdfMake;
  const [regular, bold, oblique] = FONT_FILES as [string, string, string];
  pdfmake.setFonts({ DejaVuSans: { normal: regular, bold, italics: oblique, bolditalics: bold } });
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((path) => FONT_FILES.includes(path));
  loaded = pdfmake;
  return pdfmake;
}

const MUTED = '#6b7280';
type Node = Record<string, unknown> | string | Node[];

function titlePage(briefing: Briefing): Node[] {
  const facts: [string, string][] = [
    ['Period covered', briefing.period.label],
    ['Timeline', briefing.timelineTitle],
    ['Version', briefing.version],
    ['Generated', formatAtPrecision(briefing.generatedAt, 'time')],
    ...(briefing.author ? ([['Author', briefing.author]] as [string, string][]) : []),
    ['Events', String(briefing.events.length)],
    ['Sources', String(briefing.sourceCount)],
  ];
  return [
    { text: briefing.title, style: 'title', margin: [0, 120, 0, 24] },
    {
      table: { widths: [110, '*'], body: facts.map(([k, v]) => [{ text: k, color: MUTED }, v]) },
      layout: 'noBorders',
    },
    ...(briefing.summary
      ? [
          { text: 'Key judgments', style: 'h2', margin: [0, 28, 0, 8] },
          { text: briefing.summary, lineHeight: 1.3 },
        ]
      : []),
  ];
}

function eventTable(briefing: Briefing): Node {
  const header = ['When (UTC)', 'Lane', 'Event', 'Confidence', 'Corroboration', 'Sources'].map(
    (text) => ({ text, style: 'th' }),
  );
  const rows = briefing.events.map((event) => [
    {
      text: [
        event.dateLabel,
        event.uncertainty ? { text: `\n${event.uncertainty}`, color: MUTED, fontSize: 7 } : '',
      ],
    },
    {
      text: event.lane.title,
      color: event.lane.color === '#ffffff' ? '#111827' : event.lane.color,
    },
    {
      text: [
        { text: event.title, bold: true },
        event.kind === 'background' ? { text: ' (background period)', color: MUTED } : '',
        event.location ? { text: `\n${event.location.name}`, color: MUTED } : '',
        event.tags.length ? { text: `\n${event.tags.join(', ')}`, color: MUTED, fontSize: 7 } : '',
        ...describeThreads(event).map((line) => ({
          text: `\n${line}`,
          fontSize: 7,
          color: '#374151',
          // Replies are indented with spaces, which pdfmake trims otherwise.
          preserveLeadingSpaces: true,
        })),
      ],
    },
    event.confidenceLabel,
    event.corroborationLabel,
    event.sources.map((source) => `[${source.number}]`).join(' ') || '—',
  ]);
  return {
    table: { headerRows: 1, widths: [88, 62, '*', 54, 64, 46], body: [header, ...rows] },
    layout: 'lightHorizontalLines',
    fontSize: 8,
  };
}

function sourceNotes(briefing: Briefing): Node[] {
  return briefing.events.flatMap((event) =>
    event.sources.map((source) => ({
      margin: [0, 0, 0, 6],
      text: [
        { text: `[${source.number}] `, bold: true },
        { text: source.title, bold: true },
        source.publisher ? `, ${source.publisher}` : '',
        source.publishedAt ? `, ${formatAtPrecision(source.publishedAt, 'day')}` : '',
        { text: ` — ${source.gradeLabel}`, color: MUTED },
        { text: `\nFor: ${event.title} (${event.dateLabel})`, color: MUTED, fontSize: 8 },
        source.url
          ? { text: `\n${source.url}`, link: source.url, color: '#1d4ed8', fontSize: 8 }
          : '',
        source.excerpt ? { text: `\n“${source.excerpt}”`, italics: true, fontSize: 8 } : '',
        source.notes ? { text: `\nNote: ${source.notes}`, fontSize: 8 } : '',
      ],
    })),
  );
}

function legends(briefing: Briefing): Node[] {
  const table = (title: string, entries: Briefing['legends']['confidence']) => [
    { text: title, style: 'h3', margin: [0, 10, 0, 4] },
    {
      table: {
        widths: [24, 130, '*'],
        body: entries.map((entry) => [
          { text: entry.key, bold: true },
          entry.label,
          { text: entry.description, color: MUTED },
        ]),
      },
      layout: 'lightHorizontalLines',
      fontSize: 8,
    },
  ];
  return [
    { text: 'How to read this briefing', style: 'h2', pageBreak: 'before' },
    ...table('Analytic confidence (ICD 203)', briefing.legends.confidence),
    ...table('Source reliability (Admiralty scale)', briefing.legends.reliability),
    ...table('Information credibility (Admiralty scale)', briefing.legends.credibility),
    {
      text: 'Corroboration counts independent publishers among an event’s sources (a source without a publisher counts by its web site).',
      color: MUTED,
      fontSize: 8,
      margin: [0, 10, 0, 0],
    },
  ];
}

/** The pdfmake document of a briefing (exported for the size and layout tests). */
export function buildPdfDefinition(briefing: Briefing): object {
  const picture = renderTimelinePng(withoutHandling(briefing), 2);
  const handling = (margin: number[]) =>
    briefing.handling
      ? { text: briefing.handling, alignment: 'center', bold: true, color: '#b91c1c', margin }
      : { text: '' };
  return {
    pageSize: 'A4',
    pageOrientation: 'landscape',
    pageMargins: [40, 50, 40, 50],
    info: {
      title: briefing.title,
      author: briefing.author ?? 'Chronoboard',
      creator: 'Chronoboard',
    },
    defaultStyle: { font: 'DejaVuSans', fontSize: 10 },
    styles: {
      title: { fontSize: 26, bold: true },
      h2: { fontSize: 15, bold: true, margin: [0, 0, 0, 8] },
      h3: { fontSize: 11, bold: true },
      th: { bold: true, fillColor: '#f3f4f6' },
    },
    header: () => handling([40, 20, 40, 0]),
    footer: (page: number, pages: number) => ({
      stack: [
        handling([40, 0, 40, 2]),
        {
          text: `Page ${page} of ${pages}`,
          alignment: 'right',
          color: MUTED,
          fontSize: 8,
          margin: [40, 0, 40, 0],
        },
      ],
    }),
    content: [
      ...titlePage(briefing),
      { text: 'Timeline', style: 'h2', pageBreak: 'before' },
      {
        image: `data:image/png;base64,${Buffer.from(picture).toString('base64')}`,
        fit: [760, 420],
      },
      { text: 'Chronology', style: 'h2', pageBreak: 'before' },
      briefing.events.length
        ? eventTable(briefing)
        : { text: 'No events in this period.', color: MUTED },
      { text: 'Sources', style: 'h2', pageBreak: 'before' },
      ...(briefing.sourceCount
        ? sourceNotes(briefing)
        : [{ text: 'No sources cited.', color: MUTED }]),
      ...legends(briefing),
    ],
  };
}

export const pdfFormat: ExportFormat = {
  id: 'pdf',
  offThread: true,
  label: 'PDF briefing',
  extension: 'pdf',
  contentType: 'application/pdf',
  render: async ({ briefing }) =>
    new Uint8Array(await loadPdfmake().createPdf(buildPdfDefinition(briefing)).getBuffer()),
};
