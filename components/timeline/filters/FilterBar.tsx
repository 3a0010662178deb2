'use client';
/**
 * The bar above the axis: the search box (results as you type), the filters, single-source only,
 * dim instead of hide, the count, saved views, and the active filters as removable chips.
 */
import { useMemo, useState } from 'react';
import type * as Y from 'yjs';
import { describeFilters } from '@/lib/filters/chips';
import { EMPTY_FILTERS } from '@/lib/filters/filters';
import type { Lane, TimelineEvent } from '@/lib/timeline/model';
import { FilterMenu } from './FilterMenu';
import { SavedViews } from './SavedViews';
import { SEARCH_INPUT_ID } from './searchFocus';
import type { EventFilterState } from './useEventFilter';

export function FilterBar({
  state,
  lanes,
  events,
  doc,
  canEdit,
  author,
  loading = false,
}: {
  state: EventFilterState;
  lanes: Lane[];
  events: readonly TimelineEvent[];
  doc: Y.Doc | null;
  canEdit: boolean;
  author: string;
  /** Nothing of the document has arrived yet: no count to give. */
  loading?: boolean;
}) {
  const { filters, setFilters } = state;
  const laneTitles = useMemo(() => new Map(lanes.map((lane) => [lane.id, lane.title])), [lanes]);
  const chips = describeFilters(filters, laneTitles);
  const [dismissedNotice, setDismissedNotice] = useState<string | null>(null);
  const unknownLanes = lanes.length > 0 ? filters.lanes.filter((id) => !laneTitles.has(id)) : [];
  const notices = [
    ...state.ignored.map((message) => `Ignored from the link: ${message}`),
    ...(unknownLanes.length > 0 ? ['A lane in the filter no longer exists.'] : []),
    ...(filters.changedSince && !state.changed.complete
      ? ['Changed since: only the latest 1000 changes were checked.']
      : []),
    ...(state.changed.error ? [`Changed since: ${state.changed.error}`] : []),
  ];
  const noticeText = notices.join(' ');

  return (
    <section className="filter-bar" aria-label="Search and filters">
      <div className="filter-row">
        <input
          id={SEARCH_INPUT_ID}
          type="search"
          className="filter-search"
          placeholder="Search titles, sources, tags…"
          aria-label="Search events"
          autoComplete="off"
          value={state.query}
          onChange={(e) => state.setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape' && state.query) {
              // Esc clears the box first (and does not close the panel).
              e.preventDefault();
              setFilters({ ...filters, q: '' });
            }
          }}
        />
        <FilterMenu filters={filters} lanes={lanes} events={events} onChange={setFilters} />
        <button
          type="button"
          className="filter-toggle"
          aria-pressed={filters.singleSource}
          title="Events whose sources all come from one independent publisher"
          onClick={() =>
            setFilters({ ...filters, singleSource: !filters.singleSource, minSources: null })
          }
        >
          Single-source only
        </button>
        <label className="filter-dim">
          <input
            type="checkbox"
            checked={filters.dim}
            onChange={(e) => setFilters({ ...filters, dim: e.target.checked })}
          />
          Dim instead of hide
        </label>
        <span className="filter-count" data-testid="filter-count" aria-live="polite">
          {loading
            ? 'Loading…'
            : state.active
              ? `${state.matching.length} of ${state.total} events`
              : `${state.total} ${state.total === 1 ? 'event' : 'events'}`}
        </span>
        <SavedViews
          doc={doc}
          filters={filters}
          canEdit={canEdit}
          author={author}
          onApply={(next) => setFilters(next)}
        />
      </div>
      {chips.length > 0 && (
        <ul className="filter-chips" aria-label="Active filters">
          {chips.map((chip) => (
            <li key={chip.key} className="filter-chip">
              <span>{chip.label}</span>
              <button
                type="button"
                aria-label={`Remove filter ${chip.label}`}
                onClick={() => setFilters(chip.without)}
              >
                ×
              </button>
            </li>
          ))}
          <li>
            <button
              type="button"
              className="link-button"
              onClick={() => setFilters({ ...EMPTY_FILTERS, dim: filters.dim })}
            >
              Clear all
            </button>
          </li>
        </ul>
      )}
      {noticeText && dismissedNotice !== noticeText && (
        <p className="filter-notice" role="status">
          {noticeText}{' '}
          <button
            type="button"
            className="link-button"
            onClick={() => setDismissedNotice(noticeText)}
          >
            Dismiss
          </button>
        </p>
      )}
    </section>
  );
}
