'use client';
/**
 * The "Views" drop-down: the timeline's saved views (live from the Y.Doc, see
 * lib/filters/savedViews.ts), applied by anyone, saved and deleted by editors.
 */
import { useEffect, useState } from 'react';
import type * as Y from 'yjs';
import { describeError } from '@/lib/errors';
import { type EventFilters, encodeFilters, parseFilters } from '@/lib/filters/filters';
import {
  createSavedView,
  deleteSavedView,
  getViewsMap,
  readSavedViews,
  type SavedView,
} from '@/lib/filters/savedViews';
import { useDropdown } from './useDropdown';

/**
 * The origin of view writes: not the session's edit origin, so the per-user undo (which tracks
 * that one) never takes back a saved view.
 */
const SAVED_VIEW_ORIGIN = { kind: 'saved-view' } as const;

const NO_VIEWS: SavedView[] = [];

function useSavedViewList(doc: Y.Doc | null): SavedView[] {
  const [views, setViews] = useState<SavedView[]>(NO_VIEWS);
  useEffect(() => {
    if (!doc) return;
    const map = getViewsMap(doc);
    const refresh = () => setViews(readSavedViews(doc));
    refresh();
    map.observe(refresh);
    return () => map.unobserve(refresh);
  }, [doc]);
  return views;
}

export function SavedViews({
  doc,
  filters,
  canEdit,
  author,
  onApply,
}: {
  doc: Y.Doc | null;
  filters: EventFilters;
  canEdit: boolean;
  author: string;
  onApply(filters: EventFilters): void;
}) {
  const views = useSavedViewList(doc);
  const dropdown = useDropdown();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const current = encodeFilters({ ...filters, dim: false });
  const canSave = canEdit && doc !== null && current !== '';

  const handleSave = (event: React.FormEvent) => {
    event.preventDefault();
    if (!doc) return;
    try {
      doc.transact(
        () => createSavedView(doc, { name, query: current, createdBy: author || 'Someone' }),
        SAVED_VIEW_ORIGIN,
      );
      setName('');
      setError(null);
    } catch (err) {
      setError(describeError(err));
    }
  };

  return (
    <details className="saved-views" ref={dropdown.ref}>
      <summary>
        Views{views.length > 0 && <span className="filter-menu-count"> {views.length}</span>}
      </summary>
      <div className="saved-views-body">
        {views.length === 0 ? (
          <p className="muted">No saved views yet.</p>
        ) : (
          <ul aria-label="Saved views">
            {views.map((view) => (
              <li key={view.id} className={view.query === current ? 'current' : undefined}>
                <button
                  type="button"
                  className="link-button"
                  title={`Saved by ${view.createdBy}`}
                  onClick={() => {
                    dropdown.close();
                    onApply({ ...parseFilters(view.query).filters, dim: filters.dim });
                  }}
                >
                  {view.name}
                </button>
                {canEdit && doc && (
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Delete view ${view.name}`}
                    onClick={() =>
                      doc.transact(() => deleteSavedView(doc, view.id), SAVED_VIEW_ORIGIN)
                    }
                  >
                    ×
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
        {canEdit && (
          <form className="saved-views-form" onSubmit={handleSave}>
            <input
              value={name}
              maxLength={80}
              placeholder="Name this view"
              aria-label="View name"
              onChange={(e) => setName(e.target.value)}
            />
            <button type="submit" disabled={!canSave || name.trim() === ''}>
              Save view
            </button>
            {!canSave && <p className="muted">Search or filter first, then save.</p>}
            {error && (
              <p className="form-error" role="alert">
                {error}
              </p>
            )}
          </form>
        )}
      </div>
    </details>
  );
}
