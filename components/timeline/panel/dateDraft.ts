/**
 * Reading what someone typed into a date field (a date input plus an optional time input, both
 * read as UTC) into the ISO date-time the model stores, or a message saying why not.
 *
 * Pure, so that the rules are tested without a browser. The browser's date input reports an
 * incomplete or impossible date (02/30/2019) as an empty value with `validity.badInput` set; the
 * draft carries that flag, and the value itself is checked again because browsers without a date
 * picker fall back to a plain text box.
 */
import { IsoDate } from '@/lib/timeline/values';

/** What a date field holds when it is committed. */
export interface DateTimeDraft {
  /** The date input's value, `YYYY-MM-DD`, or '' (empty, or not readable by the browser). */
  date: string;
  /** The browser could not read what was typed into the date input (incomplete or impossible). */
  dateUnreadable: boolean;
  /** The time input's value, `HH:MM` or `HH:MM:SS`, or ''. */
  time: string;
  timeUnreadable: boolean;
}

/** A refusal names the input at fault, so only that one is marked. */
export type DraftReading =
  | { ok: true; iso: string | null }
  | { ok: false; part: 'date' | 'time'; message: string };

const TIME = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;

/**
 * The draft a stored date shows as: its UTC day, and its time unless it is exactly midnight
 * (a date alone means midnight UTC, as everywhere else in the app). Seconds are kept when present
 * so that committing an unchanged field never rounds a stored value.
 */
export function toDateTimeDraft(iso: string | undefined): { date: string; time: string } {
  if (!iso) return { date: '', time: '' };
  const date = iso.slice(0, 10);
  const hm = iso.slice(11, 16);
  const seconds = iso.slice(17, 19);
  if (hm === '00:00' && (seconds === '' || seconds === '00')) return { date, time: '' };
  return { date, time: seconds && seconds !== '00' ? `${hm}:${seconds}` : hm };
}

/**
 * Reads a committed draft. An empty date is `iso: null` (the caller decides whether the field may
 * be empty); anything typed but incomplete or not on the calendar is refused with a message fit
 * to show beside the field.
 */
export function readDateTimeDraft(draft: DateTimeDraft): DraftReading {
  if (draft.dateUnreadable) {
    return {
      ok: false,
      part: 'date',
      message:
        'Not a real date: it is incomplete or not on the calendar (check the day and month).',
    };
  }
  if (draft.timeUnreadable) {
    return {
      ok: false,
      part: 'time',
      message: 'Incomplete time: give hours and minutes, or clear the time.',
    };
  }
  const date = draft.date.trim();
  const time = draft.time.trim();
  if (date === '') {
    return time === ''
      ? { ok: true, iso: null }
      : { ok: false, part: 'date', message: 'A time needs a date.' };
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    return {
      ok: false,
      part: 'date',
      message: 'Not a date: write it as YYYY-MM-DD (for example 2019-02-28).',
    };
  }
  const timeMatch = time === '' ? null : TIME.exec(time);
  if (time !== '' && !timeMatch) {
    return {
      ok: false,
      part: 'time',
      message: 'Not a time: write it as HH:MM in UTC (for example 09:30).',
    };
  }
  const [, hours = '00', minutes = '00', seconds = '00'] = timeMatch ?? [];
  const parsed = IsoDate.safeParse(`${date}T${hours}:${minutes}:${seconds}Z`);
  if (!parsed.success) {
    return {
      ok: false,
      part: 'date',
      message: `Not a real date: ${formatTyped(date, time)} does not exist.`,
    };
  }
  return { ok: true, iso: parsed.data };
}

function formatTyped(date: string, time: string): string {
  return time ? `${date} ${time}` : date;
}
