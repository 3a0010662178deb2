/**
 * Saved views: named filters shared by everyone on a timeline.
 *
 * They live in the timeline's Y.Doc, in the root map `views` (view id → plain object
 * `{ name, query, createdBy, createdAt }`), not in a database table:
 * - they arrive live in every open tab through the same websocket as the events, with nothing
 *   to poll or invalidate;
 * - who may write them is already settled: the server drops updates from read-only connections,
 *   so editors create and delete views and viewers (share links included) can read and apply them;
 * - duplicating a timeline copies them with it, deleting it deletes them.
 * A view is immutable once made (re-saving under a name makes a new one), so a plain value per
 * key is enough; two people saving at once make two views, never one mixed one.
 *
 * `query` is the URL form of the filters (lib/filters/filters.ts), so a view is a link without
 * its page: applying it is navigating to `?<query>`, and a parameter added later needs no change
 * here. Readers re-parse it and skip entries they cannot read.
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { createId } from '../ids';
import { ModelError, parseOrThrow } from '../timeline/doc';
import { encodeFilters, parseFilters } from './filters';

/** Views per timeline: a list people scan, not a store. */
export const MAX_VIEWS = 100;
export const MAX_VIEW_NAME = 80;

export const SavedViewInput = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(MAX_VIEW_NAME, `must be at most ${MAX_VIEW_NAME} characters`),
  query: z.string().max(4000, 'too long'),
  createdBy: z.string().trim().min(1).max(100),
});
export type SavedViewInput = z.input<typeof SavedViewInput>;

export interface SavedView {
  id: string;
  name: string;
  /** The filters as a query string without `?`, normalized. */
  query: string;
  createdBy: string;
  createdAt: string;
}

const StoredView = z.object({
  name: z.string().min(1).max(MAX_VIEW_NAME),
  query: z.string().max(4000),
  createdBy: z.string().max(100),
  createdAt: z.string(),
});

/** The view id → view map of a timeline document. */
export function getViewsMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap('views');
}

/**
 * Saves the filters of `query` under a name; returns the new view's id. The query is normalized
 * (values the filters cannot use are dropped, dimming is kept) and must filter something.
 */
export function createSavedView(doc: Y.Doc, input: SavedViewInput, now = new Date()): string {
  const { name, query, createdBy } = parseOrThrow(SavedViewInput, input);
  const views = getViewsMap(doc);
  if (views.size >= MAX_VIEWS) {
    throw new ModelError(`a timeline keeps at most ${MAX_VIEWS} views; delete one first`);
  }
  const normalized = encodeFilters(parseFilters(query).filters);
  if (normalized === '' || normalized === 'dim=1') {
    throw new ModelError('query: choose a search or a filter to save');
  }
  const id = createId();
  views.set(id, { name, query: normalized, createdBy, createdAt: now.toISOString() });
  return id;
}

/** Deletes a view; deleting one that is already gone does nothing. */
export function deleteSavedView(doc: Y.Doc, id: string): void {
  const views = getViewsMap(doc);
  if (views.has(id)) views.delete(id);
}

/** The readable views, sorted by name (case-insensitively), then by creation. */
export function readSavedViews(doc: Y.Doc): SavedView[] {
  const views: SavedView[] = [];
  getViewsMap(doc).forEach((value, id) => {
    if (value instanceof Y.AbstractType) return;
    const parsed = StoredView.safeParse(value);
    if (!parsed.success) return;
    views.push({
      id,
      ...parsed.data,
      query: encodeFilters(parseFilters(parsed.data.query).filters),
    });
  });
  return views.sort(
    (a, b) =>
      a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) ||
      a.createdAt.localeCompare(b.createdAt) ||
      (a.id < b.id ? -1 : 1),
  );
}
