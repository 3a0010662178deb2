/**
 * Chronoboard's own CSV columns: what the CSV import reads and the CSV export writes, defined once.
 * One row per event; the first row names the columns (in any order; unknown columns are ignored,
 * missing optional ones are empty). Lists inside a cell are separated by `;`.
 */
import type { TimelineEvent } from '../timeline/event';

export interface CsvColumn {
  name: string;
  /** What the README says about the column. */
  description: string;
}

/** The columns, in the order the export writes them. */
export const CSV_COLUMNS = [
  {
    name: 'id',
    description: 'the event id (kept when free, so links between rows survive); empty: a new id',
  },
  { name: 'title', description: 'required' },
  {
    name: 'start',
    description:
      'required; ISO 8601 date or date-time (UTC if no offset), or a partial date: 2019, 2019-03',
  },
  { name: 'end', description: 'for ranges and background bands; same forms as start' },
  {
    name: 'kind',
    description:
      '`point`, `range` or `background`; empty: `range` when there is an end, else `point`',
  },
  {
    name: 'lane',
    description:
      'lane name, matched to the timeline’s lanes ignoring case (created when missing); empty: the first lane',
  },
  {
    name: 'confidence',
    description:
      '`high`, `moderate` or `low` (legacy `confirmed`, `reported`, `assessment`, `unverified` accepted)',
  },
  {
    name: 'precision',
    description: '`year`, `month`, `day` or `time`; empty: taken from how start is written',
  },
  { name: 'start_earliest', description: 'earliest possible start (ISO date)' },
  { name: 'start_latest', description: 'latest possible start' },
  { name: 'end_earliest', description: 'earliest possible end' },
  { name: 'end_latest', description: 'latest possible end' },
  { name: 'tags', description: 'tags separated by `;`' },
  { name: 'location', description: 'place name' },
  { name: 'latitude', description: 'decimal degrees, −90..90 (with longitude)' },
  { name: 'longitude', description: 'decimal degrees, −180..180 (with latitude)' },
  { name: 'description', description: 'plain text' },
  {
    name: 'sources',
    description:
      'JSON list of sources: `[{"title":…,"url":…,"publisher":…,"publishedAt":…,"excerpt":…,"reliability":"A"–"F","credibility":1–6,"notes":…}]`',
  },
  {
    name: 'links',
    description:
      '`relation:eventId` separated by `;` (relation `causes`, `caused-by` or `related`)',
  },
] as const satisfies readonly CsvColumn[];

export type CsvColumnName = (typeof CSV_COLUMNS)[number]['name'];
export const CSV_COLUMN_NAMES: readonly CsvColumnName[] = CSV_COLUMNS.map((column) => column.name);

/** The separator of list cells (tags, links). */
export const LIST_SEPARATOR = ';';

/** Our field → the column a message about it names. */
export const CSV_FIELD_COLUMNS: Record<string, CsvColumnName> = {
  startEarliest: 'start_earliest',
  startLatest: 'start_latest',
  endEarliest: 'end_earliest',
  endLatest: 'end_latest',
};

/**
 * One event as a CSV record (column → cell text), as the export writes it and the import reads
 * it back. `laneTitle` is the event's lane name. Fields this version does not know stay empty.
 */
export function formatCsvRecord(
  event: TimelineEvent,
  laneTitle: string,
): Record<CsvColumnName, string> {
  const fields = event as unknown as Record<string, unknown>;
  const text = (value: unknown) => (value === undefined || value === null ? '' : String(value));
  const location = fields.location as { name?: string; lat?: number; lon?: number } | undefined;
  const tags = Array.isArray(fields.tags) ? (fields.tags as string[]) : [];
  const links = Array.isArray(fields.links)
    ? (fields.links as { eventId: string; relation: string }[])
    : [];
  const sources = (event.sources ?? []).map(({ id: _id, ...source }) => source);
  return {
    id: event.id,
    title: event.title,
    start: event.start,
    end: text(event.end),
    kind: event.kind,
    lane: laneTitle,
    confidence: text(fields.confidence),
    precision: text(fields.precision),
    start_earliest: text(fields.startEarliest),
    start_latest: text(fields.startLatest),
    end_earliest: text(fields.endEarliest),
    end_latest: text(fields.endLatest),
    tags: tags.join(`${LIST_SEPARATOR} `),
    location: text(location?.name),
    latitude: text(location?.lat),
    longitude: text(location?.lon),
    description: event.description ?? '',
    sources: sources.length > 0 ? JSON.stringify(sources) : '',
    links: links.map((link) => `${link.relation}:${link.eventId}`).join(`${LIST_SEPARATOR} `),
  };
}
