/**
 * The timeline as a picture, drawn by our own code as SVG so it renders the same everywhere with
 * no browser: lanes (their colours and titles), background bands, ranges as bars and points as
 * dots, each styled by its confidence (the legend at the bottom says how), labels, UTC axis ticks,
 * and the handling line at the top and bottom. The PNG, PDF, Word and PowerPoint exports use it.
 * Text is set in DejaVu Sans, the font shipped for rasterising (server/export/png.ts).
 */
import type { Briefing, BriefingEvent } from './briefing';
import type { Confidence } from './evidence';
import { chooseSpan, chooseTicks } from './svgAxis';

export const SVG_WIDTH = 1600;
export const SVG_FONT_FAMILY = 'DejaVu Sans';
const GUTTER = 200;
const PLOT_LEFT = GUTTER + 16;
const PLOT_RIGHT = SVG_WIDTH - 48;
const ROW_HEIGHT = 26;
const LANE_PADDING = 10;
/** Rows of one lane before labels give way: keeps a 1,000-event picture a readable height. */
const MAX_ROWS = 10;
const LABEL_CHARS = 42;
/** Average advance of DejaVu Sans at 12 px, for placing labels without measuring. */
const CHAR_WIDTH = 7.2;
const MUTED = '#6b7280';
const UNSET_STROKE = '#9ca3af';

/** Text safe inside SVG markup. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function truncate(text: string, max: number): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}

/** Fill and stroke attributes of a confidence level in a lane's colour. */
export function confidenceStyle(confidence: Confidence | undefined, color: string): string {
  switch (confidence) {
    case 'high':
      return `fill="${color}" stroke="${color}" stroke-width="2"`;
    case 'moderate':
      return `fill="${color}" fill-opacity="0.4" stroke="${color}" stroke-width="1.5"`;
    case 'low':
      return `fill="#ffffff" stroke="${color}" stroke-width="1.5" stroke-dasharray="6 3"`;
    default:
      return `fill="#ffffff" stroke="${UNSET_STROKE}" stroke-width="1.5" stroke-dasharray="2 2"`;
  }
}

function text(x: number, y: number, content: string, attributes = '', size = 12): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-size="${size}" ${attributes}>${escapeXml(content)}</text>`;
}

/** A label readable over bars and grid lines: a white halo behind the glyphs. */
function haloText(x: number, y: number, content: string, attributes = ''): string {
  return text(
    x,
    y,
    content,
    `fill="#111827" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke" ${attributes}`,
  );
}

interface Placed {
  event: BriefingEvent;
  row: number;
  x1: number;
  x2: number;
  label: string | null;
  /** The label goes left of the event (it would run off the right edge). */
  flipped: boolean;
}

/**
 * Puts each event of a lane in the first row where it and its label fit. When more than
 * MAX_ROWS rows would be needed, the last row is kept for the events left without a label (drawn
 * there as bare marks, so none lands on another's label; the lane says how many there are).
 */
function placeLane(events: BriefingEvent[], xOf: (iso: string) => number): Placed[] {
  const placed = placeRows(events, xOf, MAX_ROWS);
  return placed.some((p) => p.label === null) ? placeRows(events, xOf, MAX_ROWS - 1) : placed;
}

/** placeLane with `labelRows` rows for labelled events; the others go in the row after them. */
function placeRows(
  events: BriefingEvent[],
  xOf: (iso: string) => number,
  labelRows: number,
): Placed[] {
  const rowEnds: number[] = [];
  return events.map((event) => {
    const x1 = xOf(event.start);
    const x2 = event.end && event.kind !== 'point' ? Math.max(xOf(event.end), x1 + 4) : x1;
    const label = truncate(event.title, LABEL_CHARS);
    const labelWidth = Array.from(label).length * CHAR_WIDTH + 12;
    const inside = x2 - x1 >= labelWidth;
    const flipped = !inside && (x2 === x1 ? x1 : x2) + 10 + labelWidth > SVG_WIDTH - 8;
    const extentStart = flipped ? x1 - 10 - labelWidth : x1 - 8;
    const extentEnd = flipped || inside ? x2 + 8 : (x2 === x1 ? x1 : x2) + 10 + labelWidth;
    let row = rowEnds.findIndex((end) => end < extentStart);
    if (row === -1 && rowEnds.length < labelRows) row = rowEnds.push(0) - 1;
    if (row === -1) {
      // No room: drawn in the overflow row without its label (the table lists every event).
      return { event, row: labelRows, x1, x2, label: null, flipped };
    }
    rowEnds[row] = extentEnd;
    return { event, row, x1, x2, label, flipped };
  });
}

function drawEvent(placed: Placed, top: number): string {
  const { event, x1, x2, label, flipped } = placed;
  const before = (at: number) => haloText(at - 11, y + 4, label!, 'text-anchor="end"');
  const y = top + placed.row * ROW_HEIGHT + ROW_HEIGHT / 2;
  const style = confidenceStyle(event.confidence, event.lane.color);
  const parts: string[] = [];
  if (x2 === x1) {
    parts.push(`<circle cx="${x1.toFixed(1)}" cy="${y.toFixed(1)}" r="6" ${style}/>`);
    if (label) parts.push(flipped ? before(x1) : haloText(x1 + 11, y + 4, label));
  } else {
    parts.push(
      `<rect x="${x1.toFixed(1)}" y="${(y - 8).toFixed(1)}" width="${(x2 - x1).toFixed(1)}" height="16" rx="3" ${style}/>`,
    );
    const inside = x2 - x1 >= Array.from(label ?? '').length * CHAR_WIDTH + 12;
    if (label) {
      parts.push(
        inside
          ? haloText(x1 + 5, y + 4, label)
          : flipped
            ? before(x1 + 6)
            : haloText(x2 + 6, y + 4, label),
      );
    }
  }
  return `<g data-event="${escapeXml(event.id)}">${parts.join('')}</g>`;
}

function drawLegend(top: number): string {
  const entries: [Confidence | undefined, string][] = [
    ['high', 'High confidence'],
    ['moderate', 'Moderate'],
    ['low', 'Low'],
    [undefined, 'Not assessed'],
  ];
  const parts = [text(PLOT_LEFT, top + 14, 'Confidence:', `fill="${MUTED}" font-weight="bold"`)];
  let x = PLOT_LEFT + 100;
  for (const [confidence, label] of entries) {
    const style = confidenceStyle(confidence, '#475569');
    parts.push(`<rect x="${x}" y="${top + 4}" width="28" height="12" rx="2" ${style}/>`);
    parts.push(`<circle cx="${x + 42}" cy="${top + 10}" r="5" ${style}/>`);
    parts.push(text(x + 54, top + 14, label, 'fill="#111827"'));
    x += 54 + label.length * CHAR_WIDTH + 30;
  }
  parts.push(
    text(
      x + 10,
      top + 14,
      'Bars: periods · dots: moments · shaded: background periods · times in UTC',
      `fill="${MUTED}"`,
    ),
  );
  return parts.join('');
}

function handlingBand(y: number, handling: string): string {
  return `<rect x="0" y="${y}" width="${SVG_WIDTH}" height="24" fill="#fef2f2"/>${text(
    SVG_WIDTH / 2,
    y + 17,
    truncate(handling, 120),
    'text-anchor="middle" fill="#b91c1c" font-weight="bold" letter-spacing="1"',
    13,
  )}`;
}

/** The picture of a briefing as an SVG document, and its size in pixels. */
export function renderTimelineSvg(briefing: Briefing): {
  svg: string;
  width: number;
  height: number;
} {
  const times = briefing.events.flatMap((event) =>
    [event.start, event.end].filter((iso): iso is string => iso !== undefined).map(Date.parse),
  );
  // The period is the asked range, else the events' own span.
  const { from, to } = briefing.period;
  const span = chooseSpan(from && to ? [Date.parse(from), Date.parse(to)] : times);
  const scale = (PLOT_RIGHT - PLOT_LEFT) / (span.end - span.start);
  const xOf = (iso: string) =>
    PLOT_LEFT + (Math.min(Math.max(Date.parse(iso), span.start), span.end) - span.start) * scale;

  const body: string[] = [];
  let y = 0;
  if (briefing.handling) {
    body.push(handlingBand(0, briefing.handling));
    y = 24;
  }
  body.push(
    text(24, y + 38, truncate(briefing.title, 90), 'font-weight="bold" fill="#111827"', 22),
  );
  body.push(
    text(24, y + 60, `${briefing.period.label} · ${briefing.version}`, `fill="${MUTED}"`, 13),
  );
  const axisTop = y + 80;
  const lanesTop = axisTop + 24;

  const lanes = briefing.lanes.filter((lane) =>
    briefing.events.some((event) => event.lane.id === lane.id && event.kind !== 'background'),
  );
  const orphans = briefing.events.some(
    (event) => event.lane.index === -1 && event.kind !== 'background',
  );
  if (orphans) lanes.push(briefing.events.find((event) => event.lane.index === -1)!.lane);
  const laneBlocks: string[] = [];
  let laneTop = lanesTop;
  lanes.forEach((lane, index) => {
    const events = briefing.events.filter((e) => e.lane.id === lane.id && e.kind !== 'background');
    const placed = placeLane(events, xOf);
    const rows = Math.max(1, ...placed.map((p) => p.row + 1));
    const height = rows * ROW_HEIGHT + 2 * LANE_PADDING;
    // A lane fuller than its rows draws some events without a label: say so, rather than let a
    // reader think the picture names every event.
    const unlabelled = placed.filter((p) => p.label === null).length;
    laneBlocks.push(
      `<rect x="0" y="${laneTop}" width="${SVG_WIDTH}" height="${height}" fill="${index % 2 ? '#ffffff' : '#f8fafc'}"/>`,
      `<rect x="16" y="${laneTop + LANE_PADDING}" width="6" height="${height - 2 * LANE_PADDING}" rx="2" fill="${lane.color}"/>`,
      text(
        30,
        laneTop + LANE_PADDING + 16,
        truncate(lane.title, 22),
        'font-weight="bold" fill="#111827"',
        13,
      ),
      ...(unlabelled > 0
        ? [
            text(
              30,
              laneTop + LANE_PADDING + 34,
              `${unlabelled} more without labels:`,
              `fill="${MUTED}"`,
              11,
            ),
            text(30, laneTop + LANE_PADDING + 48, 'see the chronology', `fill="${MUTED}"`, 11),
          ]
        : []),
      ...placed.map((p) => drawEvent(p, laneTop + LANE_PADDING)),
    );
    laneTop += height;
  });
  const lanesBottom = Math.max(laneTop, lanesTop + ROW_HEIGHT + 2 * LANE_PADDING);

  // Background bands behind the lanes' events, across every lane.
  const bands = briefing.events
    .filter((event) => event.kind === 'background' && event.end)
    .map((band) => {
      const x1 = xOf(band.start);
      const x2 = Math.max(xOf(band.end!), x1 + 2);
      return `<g data-event="${escapeXml(band.id)}"><rect x="${x1.toFixed(1)}" y="${lanesTop}" width="${(x2 - x1).toFixed(1)}" height="${lanesBottom - lanesTop}" fill="${band.lane.color}" fill-opacity="0.08" stroke="${band.lane.color}" stroke-opacity="0.3"/>${text(x1 + 4, lanesBottom - 6, truncate(band.title, 40), `fill="${MUTED}" font-style="italic"`, 11)}</g>`;
    });
  const ticks = chooseTicks(span.start, span.end).map((tick) => {
    const x = PLOT_LEFT + (tick.at - span.start) * scale;
    return `<line x1="${x.toFixed(1)}" y1="${axisTop + 18}" x2="${x.toFixed(1)}" y2="${lanesBottom}" stroke="#e5e7eb"/>${text(x, axisTop + 14, tick.label, `text-anchor="middle" fill="${MUTED}"`, 11)}`;
  });

  const legendTop = lanesBottom + 12;
  let height = legendTop + 28;
  const footer = briefing.handling ? handlingBand(height, briefing.handling) : '';
  if (footer) height += 24;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SVG_WIDTH}" height="${height}" viewBox="0 0 ${SVG_WIDTH} ${height}" font-family="${SVG_FONT_FAMILY}" role="img" aria-label="${escapeXml(`Timeline: ${briefing.title}`)}">`,
    `<rect width="${SVG_WIDTH}" height="${height}" fill="#ffffff"/>`,
    ...body,
    // Lane backgrounds first, then bands and grid, then the events on top.
    ...laneBlocks.filter((block) => block.startsWith('<rect x="0"')),
    ...bands,
    ...ticks,
    ...laneBlocks.filter((block) => !block.startsWith('<rect x="0"')),
    `<line x1="0" y1="${lanesBottom}" x2="${SVG_WIDTH}" y2="${lanesBottom}" stroke="#d1d5db"/>`,
    drawLegend(legendTop),
    footer,
    '</svg>',
  ];
  return { svg: parts.join('\n'), width: SVG_WIDTH, height };
}
