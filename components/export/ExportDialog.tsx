'use client';
/**
 * The Export dialog: format, the whole timeline, the current filter or a time range, now or a
 * saved version, and the briefing options (title, summary, handling line, comments). The file is
 * fetched with a progress state and saved under the server's name
 * (`<timeline-title>-<yyyy-mm-dd>.<ext>`). Used by the editor toolbar (the current filter is the
 * editor's) and the dashboard header (its selected period).
 */
import { useState } from 'react';
import {
  buildExportUrl,
  COMMENT_FORMATS,
  EXPORT_FORMAT_CHOICES,
  type ExportQueryInput,
} from '@/lib/export/options';
import { useSnapshots } from '../api/history';
import { useShareToken } from '../api/shareToken';
import { Dialog } from '../ui/Dialog';
import { downloadExport } from './download';

/** What the page shows now, offered as "the current filter" (only while it narrows). */
export interface CurrentExportFilter {
  /** The export URL parameters of the filter (encodeExportFilters). */
  query: string;
  /** How many events match, of how many. */
  shown: number;
  total: number;
  /** What the choice is called ("The current filter", "The selected period"). */
  label?: string;
}

export function ExportDialog({
  timelineId,
  title,
  currentFilter = null,
  onClose,
}: {
  timelineId: string;
  /** The timeline's title: the default briefing title. */
  title: string;
  currentFilter?: CurrentExportFilter | null;
  onClose(): void;
}) {
  const shareToken = useShareToken();
  const snapshots = useSnapshots(timelineId, !shareToken);
  const [format, setFormat] = useState<ExportQueryInput['format']>('pdf');
  // What the page shows is what one usually means to brief on.
  const [range, setRange] = useState<'all' | 'filter' | 'range'>(currentFilter ? 'filter' : 'all');
  const scope = range === 'filter' && !currentFilter ? 'all' : range;
  const [comments, setComments] = useState(false);
  const commentsApply = format !== undefined && COMMENT_FORMATS.includes(format);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [snapshot, setSnapshot] = useState('');
  const [briefingTitle, setBriefingTitle] = useState(title);
  const [summary, setSummary] = useState('');
  const [handling, setHandling] = useState('');
  const [scale, setScale] = useState<'1' | '2'>('1');
  const [slides, setSlides] = useState<'lane' | 'event'>('lane');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  async function handleSubmit(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    const query: ExportQueryInput = {
      format,
      snapshot: snapshot || undefined,
      from: scope === 'range' ? from || undefined : undefined,
      to: scope === 'range' ? to || undefined : undefined,
      title: briefingTitle.trim() === title.trim() ? undefined : briefingTitle,
      summary,
      handling,
      scale: format === 'png' ? scale : undefined,
      slides: format === 'pptx' ? slides : undefined,
      comments: comments && commentsApply ? 'true' : undefined,
    };
    const filterQuery = scope === 'filter' && currentFilter ? currentFilter.query : '';
    try {
      const fileName = await downloadExport(
        buildExportUrl(timelineId, query, filterQuery),
        shareToken,
      );
      setMessage({ text: `Saved ${fileName}`, error: false });
    } catch (error) {
      setMessage({ text: (error as Error).message, error: true });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog title="Export" onClose={onClose} testId="export-dialog">
      <form className="dialog-form" onSubmit={handleSubmit}>
        <label>
          Format
          <select
            value={format}
            onChange={(event) => setFormat(event.target.value as typeof format)}
            data-testid="export-format"
          >
            {EXPORT_FORMAT_CHOICES.map((choice) => (
              <option key={choice.id} value={choice.id}>
                {choice.label} (.{choice.extension})
              </option>
            ))}
          </select>
        </label>
        {format === 'png' && (
          <label>
            Size
            <select value={scale} onChange={(event) => setScale(event.target.value as '1' | '2')}>
              <option value="1">Normal (1×)</option>
              <option value="2">Sharp (2×)</option>
            </select>
          </label>
        )}
        {format === 'pptx' && (
          <label>
            Slides
            <select
              value={slides}
              onChange={(event) => setSlides(event.target.value as 'lane' | 'event')}
            >
              <option value="lane">One per lane</option>
              <option value="event">One per event</option>
            </select>
          </label>
        )}
        <fieldset className="choice-list">
          <legend>Events</legend>
          <label>
            <input type="radio" checked={scope === 'all'} onChange={() => setRange('all')} />
            The whole timeline
          </label>
          {currentFilter && (
            <label>
              <input
                type="radio"
                checked={scope === 'filter'}
                onChange={() => setRange('filter')}
              />
              {currentFilter.label ?? 'The current filter'}{' '}
              <span className="muted" data-testid="export-filter-count">
                ({currentFilter.shown} of {currentFilter.total} events)
              </span>
            </label>
          )}
          <label>
            <input type="radio" checked={scope === 'range'} onChange={() => setRange('range')} />A
            time range (UTC)
          </label>
          {scope === 'range' && (
            <div className="export-range">
              <label>
                From
                <input type="date" value={from} onChange={(event) => setFrom(event.target.value)} />
              </label>
              <label>
                To
                <input type="date" value={to} onChange={(event) => setTo(event.target.value)} />
              </label>
            </div>
          )}
        </fieldset>
        {!shareToken && (
          <label>
            Version
            <select
              value={snapshot}
              onChange={(event) => setSnapshot(event.target.value)}
              data-testid="export-version"
            >
              <option value="">Now</option>
              {(snapshots.data ?? []).map((saved) => (
                <option key={saved.id} value={saved.id}>
                  {saved.label ?? `${saved.kind} version`} —{' '}
                  {saved.createdAt.slice(0, 16).replace('T', ' ')} UTC
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          Briefing title
          <input
            value={briefingTitle}
            maxLength={200}
            onChange={(e) => setBriefingTitle(e.target.value)}
          />
        </label>
        <label>
          Summary (key judgments, optional)
          <textarea
            rows={3}
            value={summary}
            maxLength={10_000}
            onChange={(e) => setSummary(e.target.value)}
          />
        </label>
        <label>
          Handling line (optional, top and bottom of every page)
          <input
            value={handling}
            maxLength={120}
            placeholder="e.g. FOR OFFICIAL USE ONLY"
            onChange={(event) => setHandling(event.target.value)}
          />
        </label>
        <label className="checkbox-row">
          <input
            type="checkbox"
            checked={comments && commentsApply}
            disabled={!commentsApply}
            onChange={(event) => setComments(event.target.checked)}
          />
          Include comments
          {!commentsApply && <span className="muted"> (not in this format)</span>}
        </label>
        {message && (
          <p
            className={message.error ? 'form-error' : 'form-note'}
            role={message.error ? 'alert' : 'status'}
          >
            {message.text}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Close
          </button>
          <button type="submit" className="primary" disabled={busy} aria-busy={busy}>
            {busy ? 'Preparing…' : 'Export'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
