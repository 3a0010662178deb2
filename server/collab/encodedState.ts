/**
 * The encoded state (`Y.encodeStateAsUpdate`) of a live document, shared by the writers that need
 * it at the same moment. When a room unloads, compaction and then the automatic snapshot each
 * encoded the whole document: for 100,000 events that is about a second of CPU and 30 MB, twice.
 * An encoding is reused until the document next changes (any update, local or remote), and kept
 * a few seconds at most, so an idle room does not hold a second copy of its document.
 */
import type * as Y from 'yjs';
import { encodeStateAsUpdate } from 'yjs';

const encodings = new WeakMap<Y.Doc, Uint8Array>();

/** How long an encoding is kept when nothing changes (covers one unload's writers). */
const KEEP_MS = 5_000;

/** The document's state as one update; the same bytes until the document changes. */
export function encodeDocState(doc: Y.Doc): Uint8Array {
  const kept = encodings.get(doc);
  if (kept) return kept;
  const state = encodeStateAsUpdate(doc);
  rememberDocState(doc, state);
  return state;
}

/**
 * Records `state` as the document's encoding: the caller knows the document holds exactly what
 * `state` holds (a room just loaded from one stored row), so the next reader need not encode it.
 */
export function rememberDocState(doc: Y.Doc, state: Uint8Array): void {
  if (encodings.has(doc)) return; // the same content, already kept (with its own expiry)
  const forget = () => {
    clearTimeout(timer);
    doc.off('update', forget);
    doc.off('destroy', forget);
    encodings.delete(doc);
  };
  const timer = setTimeout(forget, KEEP_MS);
  timer.unref();
  doc.on('update', forget);
  doc.on('destroy', forget);
  encodings.set(doc, state);
}
