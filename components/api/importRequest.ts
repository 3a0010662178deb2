/**
 * Sends a file to the import route with XMLHttpRequest, whose upload events (unlike fetch's) tell
 * how much of a large file has been sent, so the dialog can show progress.
 */
import type { ImportError, ImportFormat } from '@/lib/import/plan';

export interface ImportReply {
  dryRun: boolean;
  events: number;
  lanes: number;
  errors: ImportError[];
  sample: { row: number; title: string; start: string; lane: string }[];
  /** Set when the server refused the file (400/413/…): what to tell the person. */
  error?: string;
}

export interface ImportUpload {
  timelineId: string;
  format: ImportFormat;
  file: Blob;
  dryRun: boolean;
  skipInvalid: boolean;
  /** A share-link visitor's token and typed name (accounts are known from the session). */
  shareToken: string | null;
  author?: string;
  /** Fraction of the file sent, 0–1. */
  onProgress?(sent: number): void;
}

/** Resolves with the server's answer, refusals included (they list the failing rows). */
export function uploadImport(upload: ImportUpload): Promise<ImportReply & { status: number }> {
  const query = new URLSearchParams({ format: upload.format });
  if (upload.dryRun) query.set('dryRun', 'true');
  if (upload.skipInvalid) query.set('skipInvalid', 'true');
  if (upload.author) query.set('author', upload.author);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/timelines/${encodeURIComponent(upload.timelineId)}/import?${query}`);
    xhr.setRequestHeader('content-type', upload.format === 'csv' ? 'text/csv' : 'application/json');
    if (upload.shareToken) xhr.setRequestHeader('authorization', `Bearer ${upload.shareToken}`);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) upload.onProgress?.(event.loaded / event.total);
    };
    xhr.onerror = () =>
      reject(new Error('The server cannot be reached. Check your connection and try again.'));
    xhr.onload = () => {
      let body: Partial<ImportReply> = {};
      try {
        body = JSON.parse(xhr.responseText) as Partial<ImportReply>;
      } catch {
        // A proxy's HTML error page: fall back to the status below.
      }
      resolve({
        status: xhr.status,
        dryRun: body.dryRun ?? upload.dryRun,
        events: body.events ?? 0,
        lanes: body.lanes ?? 0,
        errors: body.errors ?? [],
        sample: body.sample ?? [],
        error: xhr.status >= 400 ? (body.error ?? `Import failed (${xhr.status})`) : undefined,
      });
    };
    xhr.send(upload.file);
  });
}
