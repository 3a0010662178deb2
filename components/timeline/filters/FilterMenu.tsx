'use client';
/** The "Filters" drop-down of the filter bar: every filter but the search text. */
import { useMemo } from 'react';
import { confidenceFilterLabel, kindLabel } from '@/lib/filters/chips';
import {
  CONFIDENCE_FILTER_VALUES,
  type EventFilters,
  MAX_MIN_SOURCES,
} from '@/lib/filters/filters';
import type { Lane, TimelineEvent } from '@/lib/timeline/model';
import { EventKind } from '@/lib/timeline/values';
import { useDropdown } from './useDropdown';

type ListKey = 'lanes' | 'tags' | 'confidence' | 'kinds';

export function FilterMenu({
  filters,
  lanes,
  events,
  onChange,
}: {
  filters: EventFilters;
  lanes: Lane[];
  events: readonly TimelineEvent[];
  onChange(next: EventFilters): void;
}) {
  const dropdown = useDropdown();
  // The tags in use, spelled as most events spell them, sorted case-insensitively.
  const tags = useMemo(() => {
    const byKey = new Map<string, string>();
    for (const event of events) {
      for (const tag of event.tags ?? []) {
        if (!byKey.has(tag.toLowerCase())) byKey.set(tag.toLowerCase(), tag);
      }
    }
    return [...byKey.values()].sort((a, b) =>
      a.localeCompare(b, undefined, { sensitivity: 'base' }),
    );
  }, [events]);
  const count =
    filters.lanes.length +
    filters.tags.length +
    filters.confidence.length +
    filters.kinds.length +
    (filters.minSources !== null ? 1 : 0) +
    (filters.from || filters.to ? 1 : 0) +
    (filters.changedSince ? 1 : 0);

  const toggle = <K extends ListKey>(key: K, value: EventFilters[K][number], on: boolean) => {
    const list = filters[key] as EventFilters[K][number][];
    onChange({
      ...filters,
      [key]: on ? [...list, value] : list.filter((v) => v !== value),
    });
  };
  const check = <K extends ListKey>(key: K, value: EventFilters[K][number], label: string) => (
    <label key={value} className="filter-check">
      <input
        type="checkbox"
        checked={(filters[key] as string[]).includes(value)}
        onChange={(e) => toggle(key, value, e.target.checked)}
      />
      {label}
    </label>
  );
  const setDay = (key: 'from' | 'to' | 'changedSince', value: string) =>
    onChange({ ...filters, [key]: value || null });

  return (
    <details className="filter-menu" ref={dropdown.ref}>
      <summary>Filters{count > 0 && <span className="filter-menu-count"> {count}</span>}</summary>
      <div className="filter-menu-body">
        <fieldset>
          <legend>Lane</legend>
          {lanes.length === 0 && <p className="muted">No lanes.</p>}
          {lanes.map((lane) => check('lanes', lane.id, lane.title))}
        </fieldset>
        <fieldset>
          <legend>Tag</legend>
          {tags.length === 0 && <p className="muted">No tags yet.</p>}
          <div className="filter-tags">{tags.map((tag) => check('tags', tag, tag))}</div>
        </fieldset>
        <fieldset>
          <legend>Confidence</legend>
          {CONFIDENCE_FILTER_VALUES.map((value) =>
            check('confidence', value, confidenceFilterLabel(value)),
          )}
        </fieldset>
        <fieldset>
          <legend>Kind</legend>
          {EventKind.options.map((kind) => check('kinds', kind, kindLabel(kind)))}
        </fieldset>
        <fieldset>
          <legend>Sources</legend>
          <label className="filter-field">
            At least
            <input
              type="number"
              min={1}
              max={MAX_MIN_SOURCES}
              inputMode="numeric"
              aria-label="Minimum independent sources"
              value={filters.minSources ?? ''}
              onChange={(e) => {
                const n = Number(e.target.value);
                onChange({
                  ...filters,
                  minSources:
                    e.target.value === '' || !Number.isInteger(n) || n < 1
                      ? null
                      : Math.min(n, MAX_MIN_SOURCES),
                });
              }}
            />
            independent
          </label>
        </fieldset>
        <fieldset>
          <legend>Dates (UTC)</legend>
          <label className="filter-field">
            From
            <input
              type="date"
              value={filters.from ?? ''}
              onChange={(e) => setDay('from', e.target.value)}
            />
          </label>
          <label className="filter-field">
            To
            <input
              type="date"
              value={filters.to ?? ''}
              onChange={(e) => setDay('to', e.target.value)}
            />
          </label>
          <label className="filter-field">
            Changed since
            <input
              type="date"
              value={filters.changedSince ?? ''}
              onChange={(e) => setDay('changedSince', e.target.value)}
            />
          </label>
        </fieldset>
      </div>
    </details>
  );
}
