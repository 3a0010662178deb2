/**
 * iCalendar (.ics, RFC 5545) through ical-generator: one VEVENT per event. An event known to the
 * minute is timed (UTC); one known to the day, month or year is all-day on its start date (the
 * description says the precision); a range spans its days (DTEND is exclusive: the day after).
 * Years outside 1–9999 cannot be written in iCalendar and are left out.
 */
import ical from 'ical-generator';
import type { BriefingEvent } from './briefing';
import type { ExportFormat } from './types';

const DAY_MS = 86_400_000;

/** Midnight UTC of the day `iso` falls on. */
function startOfDay(iso: string): Date {
  const date = new Date(iso);
  date.setUTCHours(0, 0, 0, 0);
  return date;
}

function isCalendarYear(iso: string): boolean {
  const year = new Date(iso).getUTCFullYear();
  return year >= 1 && year <= 9999;
}

/** The description: dates as known, confidence, corroboration, text and numbered sources. */
export function describeIcsEvent(event: BriefingEvent): string {
  const lines = [
    `When: ${event.dateLabel}${event.uncertainty ? ` (${event.uncertainty})` : ''}`,
    `Lane: ${event.lane.title}`,
    `Confidence: ${event.confidenceLabel} · ${event.corroborationLabel}`,
  ];
  if (event.tags.length) lines.push(`Tags: ${event.tags.join(', ')}`);
  if (event.description) lines.push('', event.description);
  if (event.sources.length) {
    lines.push('', 'Sources:');
    for (const source of event.sources) {
      const details = [source.publisher, source.grade].filter(Boolean).join(', ');
      lines.push(
        `[${source.number}] ${source.title}${details ? ` (${details})` : ''}${source.url ? ` ${source.url}` : ''}`,
      );
    }
  }
  return lines.join('\n');
}

export const icsFormat: ExportFormat = {
  id: 'ics',
  offThread: true,
  label: 'Calendar (iCalendar)',
  extension: 'ics',
  contentType: 'text/calendar; charset=utf-8',
  render: ({ briefing }) => {
    const calendar = ical({ name: briefing.title, prodId: '//Chronoboard//Briefing export//EN' });
    for (const event of briefing.events) {
      if (!isCalendarYear(event.start) || (event.end && !isCalendarYear(event.end))) continue;
      const timed = event.precision === 'time';
      const start = timed ? new Date(event.start) : startOfDay(event.start);
      const last = event.end ?? event.start;
      const end = timed ? new Date(last) : new Date(startOfDay(last).getTime() + DAY_MS);
      calendar.createEvent({
        id: `${event.id}@chronoboard`,
        start,
        end,
        allDay: !timed,
        summary: event.title,
        description: describeIcsEvent(event),
        location: event.location?.name ?? null,
        url: event.sources.find((source) => source.url)?.url ?? null,
        categories: [{ name: event.lane.title }, ...event.tags.map((name) => ({ name }))],
        stamp: new Date(briefing.generatedAt),
      });
    }
    return new TextEncoder().encode(calendar.toString());
  },
};
