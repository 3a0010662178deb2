/**
 * The Word briefing (docx): the same content as the PDF as editable text, with real headings
 * (Title, Heading 1/2) and real tables, so analysts can finish it in their own words. The
 * handling line is the page header and footer of every page; the footer numbers the pages.
 */
import {
  AlignmentType,
  Document,
  ExternalHyperlink,
  Footer,
  Header,
  HeadingLevel,
  ImageRun,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { type Briefing, type BriefingEvent, describeThreads, type LegendEntry } from './briefing';
import { formatAtPrecision } from './briefingDates';
import { renderTimelinePng, withoutHandling } from './picture';
import { renderTimelineSvg } from './timelineSvg';
import type { ExportFormat } from './types';

const MUTED = '6B7280';

function cell(text: string, options: { bold?: boolean; shade?: boolean } = {}): TableCell {
  return new TableCell({
    children: text
      .split('\n')
      .map(
        (line) => new Paragraph({ children: [new TextRun({ text: line, bold: options.bold })] }),
      ),
    ...(options.shade ? { shading: { fill: 'F3F4F6' } } : {}),
  });
}

function table(header: string[], rows: (string[] | TableRow)[]): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({
        tableHeader: true,
        children: header.map((h) => cell(h, { bold: true, shade: true })),
      }),
      ...rows.map((row) =>
        row instanceof TableRow ? row : new TableRow({ children: row.map((text) => cell(text)) }),
      ),
    ],
  });
}

/** An event's comment threads as a row under it, across the whole table; none without any. */
function commentsRow(event: BriefingEvent, columns: number): TableRow[] {
  const lines = describeThreads(event);
  if (lines.length === 0) return [];
  return [
    new TableRow({
      children: [
        new TableCell({
          columnSpan: columns,
          children: lines.flatMap((line) =>
            line.split('\n').map(
              (part) =>
                new Paragraph({
                  indent: { left: 360 },
                  children: [new TextRun({ text: part, size: 18, color: '374151' })],
                }),
            ),
          ),
        }),
      ],
    }),
  ];
}

function handlingParagraph(handling: string | undefined, withPages: boolean): Paragraph[] {
  const lines: Paragraph[] = [];
  if (handling) {
    lines.push(
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [new TextRun({ text: handling, bold: true, color: 'B91C1C' })],
      }),
    );
  }
  if (withPages) {
    lines.push(
      new Paragraph({
        alignment: AlignmentType.RIGHT,
        children: [
          new TextRun({
            children: ['Page ', PageNumber.CURRENT, ' of ', PageNumber.TOTAL_PAGES],
            color: MUTED,
            size: 16,
          }),
        ],
      }),
    );
  }
  return lines;
}

function legend(title: string, entries: LegendEntry[]): (Paragraph | Table)[] {
  return [
    new Paragraph({ heading: HeadingLevel.HEADING_2, text: title }),
    table(
      ['', 'Meaning', 'Description'],
      entries.map((e) => [e.key, e.label, e.description]),
    ),
  ];
}

/** The Word document of a briefing. */
export function buildWordDocument(briefing: Briefing): Document {
  const { width, height } = renderTimelineSvg(withoutHandling(briefing));
  // 9.5 inches wide on a landscape page (docx sizes images in pixels at 96 dpi).
  const imageWidth = 912;
  const facts: [string, string][] = [
    ['Period covered', briefing.period.label],
    ['Timeline', briefing.timelineTitle],
    ['Version', briefing.version],
    ['Generated', formatAtPrecision(briefing.generatedAt, 'time')],
    ...(briefing.author ? ([['Author', briefing.author]] as [string, string][]) : []),
  ];
  const children: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, text: briefing.title }),
    ...facts.map(
      ([label, value]) =>
        new Paragraph({
          children: [new TextRun({ text: `${label}: `, color: MUTED }), new TextRun(value)],
        }),
    ),
  ];
  if (briefing.summary) {
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, text: 'Key judgments' }));
    for (const part of briefing.summary.split(/\n{2,}/))
      children.push(new Paragraph({ text: part }));
  }
  children.push(
    new Paragraph({ heading: HeadingLevel.HEADING_1, text: 'Timeline', pageBreakBefore: true }),
    new Paragraph({
      children: [
        new ImageRun({
          type: 'png',
          data: renderTimelinePng(withoutHandling(briefing), 2),
          transformation: { width: imageWidth, height: Math.round((height / width) * imageWidth) },
          altText: {
            name: 'Timeline',
            title: briefing.title,
            description: `Timeline of ${briefing.title}`,
          },
        }),
      ],
    }),
    new Paragraph({ heading: HeadingLevel.HEADING_1, text: 'Chronology', pageBreakBefore: true }),
    table(
      ['When (UTC)', 'Lane', 'Event', 'Confidence', 'Corroboration', 'Sources'],
      briefing.events.flatMap((event) => [
        [
          event.uncertainty ? `${event.dateLabel}\n${event.uncertainty}` : event.dateLabel,
          event.lane.title,
          event.kind === 'background' ? `${event.title} (background period)` : event.title,
          event.confidenceLabel,
          event.corroborationLabel,
          event.sources.map((s) => `[${s.number}]`).join(' ') || '—',
        ],
        ...commentsRow(event, 6),
      ]),
    ),
    new Paragraph({ heading: HeadingLevel.HEADING_1, text: 'Sources', pageBreakBefore: true }),
  );
  for (const event of briefing.events) {
    for (const source of event.sources) {
      const details = [
        source.publisher,
        source.publishedAt && formatAtPrecision(source.publishedAt, 'day'),
      ]
        .filter(Boolean)
        .join(', ');
      children.push(
        new Paragraph({
          children: [
            new TextRun({ text: `[${source.number}] ${source.title}`, bold: true }),
            new TextRun(details ? `, ${details}` : ''),
            new TextRun({ text: ` — ${source.gradeLabel}`, color: MUTED }),
          ],
        }),
        new Paragraph({
          children: [
            new TextRun({
              text: `For: ${event.title} (${event.dateLabel})`,
              color: MUTED,
              size: 18,
            }),
          ],
        }),
      );
      if (source.url) {
        children.push(
          new Paragraph({
            children: [
              new ExternalHyperlink({
                link: source.url,
                children: [new TextRun({ text: source.url, style: 'Hyperlink' })],
              }),
            ],
          }),
        );
      }
      if (source.excerpt)
        children.push(
          new Paragraph({
            children: [new TextRun({ text: `“${source.excerpt}”`, italics: true })],
          }),
        );
      if (source.notes) children.push(new Paragraph({ text: `Note: ${source.notes}` }));
    }
  }
  if (briefing.sourceCount === 0) children.push(new Paragraph({ text: 'No sources cited.' }));
  children.push(
    new Paragraph({
      heading: HeadingLevel.HEADING_1,
      text: 'How to read this briefing',
      pageBreakBefore: true,
    }),
    ...legend('Analytic confidence (ICD 203)', briefing.legends.confidence),
    ...legend('Source reliability (Admiralty scale)', briefing.legends.reliability),
    ...legend('Information credibility (Admiralty scale)', briefing.legends.credibility),
  );
  return new Document({
    creator: briefing.author ?? 'Chronoboard',
    title: briefing.title,
    sections: [
      {
        properties: { page: { size: { orientation: PageOrientation.LANDSCAPE } } },
        headers: { default: new Header({ children: handlingParagraph(briefing.handling, false) }) },
        footers: { default: new Footer({ children: handlingParagraph(briefing.handling, true) }) },
        children,
      },
    ],
  });
}

export const docxFormat: ExportFormat = {
  id: 'docx',
  offThread: true,
  label: 'Word document',
  extension: 'docx',
  contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  render: async ({ briefing }) =>
    new Uint8Array(await Packer.toBuffer(buildWordDocument(briefing))),
};
