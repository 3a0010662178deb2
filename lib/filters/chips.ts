/**
 * The active filters as removable chips: a label for people and the filters without that one.
 */
import { CONFIDENCE_LEVELS, CONFIDENCE_UNSET_LABEL } from '../timeline/grading';
import type { EventKind } from '../timeline/values';
import type { ConfidenceFilter, EventFilters } from './filters';

export interface FilterChip {
  /** Stable key for React and tests (`tag:border`). */
  key: string;
  label: string;
  /** The filters once this chip is removed. */
  without: EventFilters;
}

const KIND_LABELS: Record<EventKind, string> = {
  point: 'Point',
  range: 'Range',
  background: 'Background band',
};

/** The label of a confidence filter value. */
export function confidenceFilterLabel(value: ConfidenceFilter): string {
  return value === 'none' ? CONFIDENCE_UNSET_LABEL : CONFIDENCE_LEVELS[value].label;
}

export function kindLabel(kind: EventKind): string {
  return KIND_LABELS[kind];
}

/** One chip per active filter value, in the order of the filter bar. */
export function describeFilters(
  filters: EventFilters,
  laneTitles: ReadonlyMap<string, string>,
): FilterChip[] {
  const chips: FilterChip[] = [];
  const drop = <K extends 'lanes' | 'tags' | 'confidence' | 'kinds'>(
    key: K,
    value: EventFilters[K][number],
  ): EventFilters => ({
    ...filters,
    [key]: (filters[key] as EventFilters[K][number][]).filter((v) => v !== value),
  });
  if (filters.q) chips.push({ key: 'q', label: `“${filters.q}”`, without: { ...filters, q: '' } });
  for (const lane of filters.lanes) {
    chips.push({
      key: `lane:${lane}`,
      label: `Lane: ${laneTitles.get(lane) ?? 'a deleted lane'}`,
      without: drop('lanes', lane),
    });
  }
  for (const tag of filters.tags) {
    chips.push({ key: `tag:${tag}`, label: `Tag: ${tag}`, without: drop('tags', tag) });
  }
  for (const value of filters.confidence) {
    chips.push({
      key: `confidence:${value}`,
      label: `Confidence: ${confidenceFilterLabel(value)}`,
      without: drop('confidence', value),
    });
  }
  for (const kind of filters.kinds) {
    chips.push({ key: `kind:${kind}`, label: kindLabel(kind), without: drop('kinds', kind) });
  }
  if (filters.singleSource) {
    chips.push({
      key: 'single',
      label: 'Single-source only',
      without: { ...filters, singleSource: false },
    });
  }
  if (filters.minSources !== null) {
    chips.push({
      key: 'minSources',
      label: `≥ ${filters.minSources} independent ${filters.minSources === 1 ? 'source' : 'sources'}`,
      without: { ...filters, minSources: null },
    });
  }
  if (filters.from || filters.to) {
    const label =
      filters.from && filters.to
        ? `${filters.from} – ${filters.to}`
        : filters.from
          ? `From ${filters.from}`
          : `Until ${filters.to}`;
    chips.push({ key: 'range', label, without: { ...filters, from: null, to: null } });
  }
  if (filters.changedSince) {
    chips.push({
      key: 'changed',
      label: `Changed since ${filters.changedSince}`,
      without: { ...filters, changedSince: null },
    });
  }
  return chips;
}
