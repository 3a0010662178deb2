/**
 * Knight Lab TimelineJS JSON (https://timeline.knightlab.com/docs/json-format.html): a title
 * slide from the briefing, one slide per event (grouped by lane), eras from background bands,
 * media and credit from an event's first source. TimelineJS renders `text` as HTML, so every
 * value of ours is escaped: user text is never HTML.
 */
import type { BriefingEvent, BriefingSource } from './briefing';
import type { Precision } from './evidence';
import type { ExportFormat } from './types';

interface TjsDate {
  year: number;
  month?: number;
  day?: number;
  hour?: number;
  minute?: number;
  second?: number;
  display_date?: string;
}

/** A date with the parts its precision knows (a year-precise event names no month). */
export function toTjsDate(iso: string, precision: Precision): TjsDate {
  const date = new Date(iso);
  const result: TjsDate = { year: date.getUTCFullYear() };
  if (precision === 'year') return result;
  result.month = date.getUTCMonth() + 1;
  if (precision === 'month') return result;
  result.day = date.getUTCDate();
  if (precision === 'day') return result;
  result.hour = date.getUTCHours();
  result.minute = date.getUTCMinutes();
  result.second = date.getUTCSeconds();
  return result;
}

/** Text safe to put where TimelineJS renders HTML. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function paragraphs(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => `<p>${escapeHtml(part).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

function sourceItem(source: BriefingSource): string {
  const title = escapeHtml(source.title);
  const label = source.url ? `<a href="${escapeHtml(source.url)}">${title}</a>` : title;
  const details = [source.publisher, source.grade].filter(Boolean).map((part) => escapeHtml(part!));
  return `<li>[${source.number}] ${label}${details.length ? ` (${details.join(', ')})` : ''}</li>`;
}

function slideText(event: BriefingEvent): string {
  const facts = [
    `Confidence: ${event.confidenceLabel}`,
    event.corroborationLabel,
    event.uncertainty,
    event.location?.name,
  ].filter(Boolean) as string[];
  const sources = event.sources.length
    ? `<p>Sources:</p><ul>${event.sources.map(sourceItem).join('')}</ul>`
    : '';
  return `${paragraphs(event.description)}<p>${facts.map(escapeHtml).join(' · ')}</p>${sources}`;
}

function toSlide(event: BriefingEvent) {
  const first = event.sources.find((source) => source.url);
  return {
    unique_id: event.id,
    start_date: toTjsDate(event.start, event.precision),
    ...(event.end ? { end_date: toTjsDate(event.end, event.precision) } : {}),
    display_date: event.dateLabel,
    text: { headline: escapeHtml(event.title), text: slideText(event) },
    group: event.lane.title,
    ...(first?.url
      ? {
          media: {
            url: first.url,
            caption: escapeHtml(first.title),
            ...(first.publisher ? { credit: escapeHtml(first.publisher) } : {}),
          },
        }
      : {}),
  };
}

export const timelineJsFormat: ExportFormat = {
  id: 'timelinejs',
  offThread: true,
  label: 'TimelineJS (Knight Lab)',
  extension: 'json',
  contentType: 'application/json; charset=utf-8',
  render: ({ briefing }) => {
    const bands = briefing.events.filter((event) => event.kind === 'background' && event.end);
    const document = {
      title: {
        text: {
          headline: escapeHtml(briefing.title),
          text: `${briefing.summary ? paragraphs(briefing.summary) : ''}<p>${escapeHtml(briefing.period.label)}</p>`,
        },
      },
      events: briefing.events.filter((event) => event.kind !== 'background').map(toSlide),
      eras: bands.map((band) => ({
        start_date: toTjsDate(band.start, band.precision),
        end_date: toTjsDate(band.end!, band.precision),
        text: { headline: escapeHtml(band.title) },
      })),
      // TimelineJS's JavaScript dates end at ±271821 years; beyond that it needs 'cosmological'.
      scale: 'human',
    };
    return new TextEncoder().encode(JSON.stringify(document, null, 2));
  },
};
