/**
 * Text formatting of dates, counts and long text, shared by every view and export. All dates are
 * shown in UTC so that analysts in different places read the same instant the same way.
 */

/** An event date: `2019-02-18` at midnight UTC, else `2019-02-18 09:30 UTC`; '' for none. */
export function formatEventDate(iso: string | undefined): string {
  if (!iso) return '';
  // Split at the T rather than at fixed offsets: extended years (`-000500-…`) are longer.
  const [date, time = ''] = iso.split('T');
  return time === '00:00:00.000Z' ? (date ?? iso) : `${date} ${time.slice(0, 5)} UTC`;
}

/** When something happened: `2026-03-01 14:02 UTC`. */
export function formatMoment(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

/** When something happened, shorter for today: `14:02 UTC`, else `2026-03-01 14:02 UTC`. */
export function formatMomentShort(iso: string, now: Date = new Date()): string {
  return iso.slice(0, 10) === now.toISOString().slice(0, 10)
    ? `${iso.slice(11, 16)} UTC`
    : formatMoment(iso);
}

const mediumDate = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });
const mediumDateTime = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
});

/** A day in words, `1 Mar 2026` (UTC); '—' for none. */
export function formatDay(value: string | Date | null | undefined): string {
  return value ? mediumDate.format(new Date(value)) : '—';
}

/** A date and time in words, `1 Mar 2026, 14:02` (UTC, without the zone name). */
export function formatDateTime(value: string | Date): string {
  return mediumDateTime.format(new Date(value));
}

/** `2019-02-18T09:30:00.000Z` → `2019-02-18T09:30`, the value of a datetime-local input in UTC. */
export function toDateTimeInput(iso: string | undefined): string {
  return iso ? iso.slice(0, 16) : '';
}

/** A datetime-local input's value, read as UTC, as an ISO date-time. */
export function fromDateTimeInput(value: string): string {
  return `${value}:00Z`;
}

/** `1 event`, `3 events`. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * Shortens text for a one-line view (line breaks become spaces); `truncated` says whether the
 * full text differs from what is shown, so the caller can offer it.
 */
export function truncate(text: string, max: number): { text: string; truncated: boolean } {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return { text: flat, truncated: flat !== text };
  return { text: `${flat.slice(0, max - 1).trimEnd()}…`, truncated: true };
}
