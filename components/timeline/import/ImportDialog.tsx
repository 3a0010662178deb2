'use client';
/**
 * The import dialog: pick or drop a file, see what it would create (a dry run on the server: the
 * counts, a sample of the events and every row that cannot be imported, with its reason), then
 * import. All file content is shown as React text, never as HTML.
 *
 * Importing applies the same plan in this browser through the editing commands (one transaction
 * on the live document, so everyone sees it at once, and one step on this person's undo stack:
 * Ctrl+Z takes the whole import back). Files of more than CLIENT_IMPORT_MAX_EVENTS events are
 * applied by the server instead (one message of that size would be too large for the live
 * connection); the dialog says that they cannot be undone in one step.
 */
import { useRef, useState } from 'react';
import { formatEventDate, plural } from '@/lib/format';
import { detectImportFormat } from '@/lib/import/detect';
import type { ImportFormat } from '@/lib/import/plan';
import { type ImportReply, uploadImport } from '../../api/importRequest';
import { useShareToken } from '../../api/shareToken';
import { Dialog } from '../../ui/Dialog';
import { FormError } from '../../ui/FormError';
import { useEditingSession } from '../session/EditingSessionProvider';

const FORMAT_LABELS: Record<ImportFormat, string> = {
  csv: 'CSV (Chronoboard, TimelineJS sheet or Timesketch)',
  json: 'Chronoboard JSON export',
  timelinejs: 'TimelineJS JSON',
};

type Stage =
  | { step: 'choose' }
  | { step: 'checking'; sent: number }
  | { step: 'preview'; reply: ImportReply }
  | { step: 'importing'; sent: number; reply: ImportReply }
  | { step: 'done'; reply: ImportReply; undoable: boolean };

/**
 * Most events an import applies in the browser (one undoable step). About 1 KiB of update per
 * event with sources, so this stays far below the live connection's frame limit.
 */
export const CLIENT_IMPORT_MAX_EVENTS = 5_000;

export function ImportDialog({
  timelineId,
  author,
  onClose,
  onImported,
}: {
  timelineId: string;
  /** A share-link visitor's typed name, recorded as who imported. */
  author?: string;
  onClose(): void;
  /** Called once events were imported (the editor then shows them on the axis). */
  onImported?(events: number): void;
}) {
  const shareToken = useShareToken();
  const { commands } = useEditingSession();
  const [file, setFile] = useState<File | null>(null);
  const [detected, setDetected] = useState<ImportFormat | undefined>();
  const [override, setOverride] = useState<ImportFormat | ''>('');
  const [stage, setStage] = useState<Stage>({ step: 'choose' });
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const format = override || detected;
  const busy = stage.step === 'checking' || stage.step === 'importing';

  const send = async (chosen: File, as: ImportFormat, dryRun: boolean, previous?: ImportReply) => {
    setError(null);
    setStage(
      dryRun ? { step: 'checking', sent: 0 } : { step: 'importing', sent: 0, reply: previous! },
    );
    try {
      const reply = await uploadImport({
        timelineId,
        format: as,
        file: chosen,
        dryRun,
        skipInvalid: !dryRun,
        shareToken,
        author,
        onProgress: (sent) =>
          setStage((current) =>
            current.step === 'checking' || current.step === 'importing'
              ? { ...current, sent }
              : current,
          ),
      });
      if (reply.error && !(dryRun && reply.errors.length > 0 && reply.status === 400)) {
        setError(reply.error);
        setStage(previous ? { step: 'preview', reply: previous } : { step: 'choose' });
        return;
      }
      setStage(dryRun ? { step: 'preview', reply } : { step: 'done', reply, undoable: false });
      if (!dryRun) onImported?.(reply.events);
    } catch (err) {
      setError((err as Error).message);
      setStage(previous ? { step: 'preview', reply: previous } : { step: 'choose' });
    }
  };

  /**
   * Imports the previewed file through this person's editing commands: parsed here with the same
   * parser the server's dry run used, written in one transaction, undone in one step.
   */
  const applyHere = async (chosen: File, as: ImportFormat, previous: ImportReply) => {
    setError(null);
    setStage({ step: 'importing', sent: 1, reply: previous });
    try {
      const [{ parseImport }, text] = await Promise.all([
        import('@/lib/import/index'),
        chosen.text(),
      ]);
      const plan = parseImport(as, text);
      if (plan.errors.some((problem) => problem.row === 0) || plan.events.length === 0) {
        throw new Error(plan.errors[0]?.message ?? 'The file holds no events to import.');
      }
      const counts = commands.importPlan(plan);
      const reply = { ...previous, dryRun: false, ...counts, errors: plan.errors };
      setStage({ step: 'done', reply, undoable: true });
      onImported?.(counts.events);
    } catch (err) {
      setError((err as Error).message);
      setStage({ step: 'preview', reply: previous });
    }
  };

  const startImport = (chosen: File, as: ImportFormat, previous: ImportReply) =>
    previous.events <= CLIENT_IMPORT_MAX_EVENTS
      ? applyHere(chosen, as, previous)
      : send(chosen, as, false, previous);

  const choose = async (chosen: File | undefined) => {
    if (!chosen || busy) return;
    setFile(chosen);
    setOverride('');
    const head = await chosen.slice(0, 64 * 1024).text();
    const guess = detectImportFormat(
      chosen.name,
      head.trimStart().startsWith('{') ? await chosen.text() : head,
    );
    setDetected(guess);
    if (guess) void send(chosen, guess, true);
    else {
      setStage({ step: 'choose' });
      setError('The format could not be told from the file; choose it below.');
    }
  };

  const preview = stage.step === 'preview' || stage.step === 'importing' ? stage.reply : null;
  return (
    <Dialog title="Import events" onClose={busy ? () => {} : onClose} testId="import-dialog">
      {stage.step === 'done' ? (
        <div className="dialog-form" data-testid="import-done">
          <p role="status">
            Imported {plural(stage.reply.events, 'event')}
            {stage.reply.lanes > 0 ? ` and ${plural(stage.reply.lanes, 'new lane')}` : ''}. Everyone
            on this timeline sees them now.
            {stage.reply.errors.length > 0 &&
              ` ${plural(stage.reply.errors.length, 'row')} skipped.`}
          </p>
          <p className="hint">
            {stage.undoable
              ? 'Undo (Ctrl+Z) takes the whole import back in one step.'
              : 'This import was applied on the server; to take it back, restore a version from History.'}
          </p>
          <div className="dialog-actions">
            <button type="button" className="primary" onClick={onClose}>
              Done
            </button>
          </div>
        </div>
      ) : (
        <div className="dialog-form">
          <p>
            CSV (our columns, the TimelineJS spreadsheet template or Timesketch), a Chronoboard JSON
            export or a TimelineJS JSON file. Nothing is written until you press Import.
          </p>
          <label
            className={`drop-zone${dragging ? ' dragging' : ''}`}
            onDragOver={(event) => {
              event.preventDefault();
              setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={(event) => {
              event.preventDefault();
              setDragging(false);
              void choose(event.dataTransfer.files[0]);
            }}
          >
            <input
              ref={inputRef}
              type="file"
              accept=".csv,.json,text/csv,application/json"
              aria-label="File to import"
              disabled={busy}
              onChange={(event) => void choose(event.target.files?.[0])}
            />
            <span>{file ? 'Drop another file here to replace it' : 'or drop a file here'}</span>
          </label>
          {file && (
            <label className="import-format">
              Format
              <select
                value={format ?? ''}
                disabled={busy}
                onChange={(event) => {
                  const next = event.target.value as ImportFormat;
                  setOverride(next);
                  void send(file, next, true);
                }}
              >
                {!format && <option value="">Choose…</option>}
                {(Object.keys(FORMAT_LABELS) as ImportFormat[]).map((id) => (
                  <option key={id} value={id}>
                    {FORMAT_LABELS[id]}
                    {id === detected ? ' (detected)' : ''}
                  </option>
                ))}
              </select>
            </label>
          )}
          {busy && <ImportProgress stage={stage} />}
          {error && <FormError>{error}</FormError>}
          {preview && <ImportPreview reply={preview} />}
          <div className="dialog-actions">
            <button type="button" onClick={onClose} disabled={busy}>
              Cancel
            </button>
            <button
              type="button"
              className="primary"
              disabled={!preview || preview.events === 0 || busy || !file || !format}
              onClick={() => file && format && preview && void startImport(file, format, preview)}
            >
              {preview && preview.events > 0
                ? `Import ${plural(preview.events, 'event')}${preview.errors.length > 0 ? `, skip ${plural(preview.errors.length, 'row')}` : ''}`
                : 'Import'}
            </button>
          </div>
        </div>
      )}
    </Dialog>
  );
}

function ImportProgress({ stage }: { stage: Stage }) {
  const sent = stage.step === 'checking' || stage.step === 'importing' ? stage.sent : 0;
  const label =
    sent < 1
      ? `Uploading… ${Math.round(sent * 100)}%`
      : stage.step === 'checking'
        ? 'Checking the file…'
        : 'Importing…';
  return (
    <div className="import-progress" role="status" aria-live="polite" aria-busy="true">
      <progress max={1} value={sent < 1 ? sent : undefined} aria-label="Upload" />
      <span>{label}</span>
    </div>
  );
}

function ImportPreview({ reply }: { reply: ImportReply }) {
  return (
    <section className="import-preview" data-testid="import-preview" aria-label="Preview">
      <p>
        <strong>{plural(reply.events, 'event')}</strong> will be created
        {reply.lanes > 0 ? (
          <>
            , with <strong>{plural(reply.lanes, 'new lane')}</strong>
          </>
        ) : (
          ''
        )}
        .
        {reply.errors.length > 0 && (
          <>
            {' '}
            <strong>{plural(reply.errors.length, 'row')}</strong> cannot be imported (listed below).
          </>
        )}
      </p>
      {reply.events > CLIENT_IMPORT_MAX_EVENTS && (
        <p className="hint">
          More than {CLIENT_IMPORT_MAX_EVENTS.toLocaleString('en')} events are imported on the
          server: Undo will not take them back in one step (History can restore the version before).
        </p>
      )}
      {reply.sample.length > 0 && (
        <table className="import-sample">
          <caption>First events</caption>
          <thead>
            <tr>
              <th scope="col">Row</th>
              <th scope="col">Title</th>
              <th scope="col">Date</th>
              <th scope="col">Lane</th>
            </tr>
          </thead>
          <tbody>
            {reply.sample.map((event) => (
              <tr key={event.row}>
                <td>{event.row}</td>
                <td>{event.title}</td>
                <td>{formatEventDate(event.start)}</td>
                <td>{event.lane || '(first lane)'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {reply.errors.length > 0 && (
        <ul
          className="import-errors"
          data-testid="import-errors"
          aria-label="Rows that cannot be imported"
        >
          {reply.errors.map((error) => (
            <li key={`${error.row}-${error.field ?? ''}-${error.message}`}>
              <span className="import-error-where">
                {error.row > 0 ? `Row ${error.row}` : 'File'}
                {error.field ? ` · ${error.field}` : ''}
              </span>{' '}
              {error.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
