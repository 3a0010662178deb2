'use client';
import dynamic from 'next/dynamic';
/** The toolbar above the timeline: add an event or a lane, zoom, and open the side panels. */
import { useEffect, useState } from 'react';
import { describeError } from '@/lib/errors';
import { useShareToken } from '../api/shareToken';
import { type CurrentExportFilter, ExportDialog } from '../export/ExportDialog';
import { useEditingCommands, useEditingSession } from './session/EditingSessionProvider';
import type { TimelineViewHandle } from './TimelineView';
import { UndoButtons } from './UndoControls';

// Loaded when first opened: its readers of other formats (CSV, HTML) are not needed before.
const ImportDialog = dynamic(
  () => import('./import/ImportDialog').then((module) => module.ImportDialog),
  { ssr: false },
);

interface Props {
  timelineId: string;
  canEdit: boolean;
  canShare: boolean;
  /** The document is loaded and the live version is shown (not a replay). */
  ready: boolean;
  readOnly: boolean;
  view: React.RefObject<TimelineViewHandle | null>;
  /** The timeline's title: the default briefing title of the Export dialog. */
  title: string;
  /** The editor's filter while it narrows: the Export dialog offers it. */
  exportFilter?: CurrentExportFilter | null;
  historyOpen: boolean;
  shareOpen: boolean;
  lanesOpen: boolean;
  onAddEvent(): void;
  onToggleHistory(): void;
  onToggleShare(): void;
  onToggleLanes(): void;
  onError(message: string | null): void;
}

export function EditorToolbar({
  timelineId,
  canEdit,
  canShare,
  ready,
  readOnly,
  view,
  title,
  exportFilter = null,
  historyOpen,
  shareOpen,
  lanesOpen,
  onAddEvent,
  onToggleHistory,
  onToggleShare,
  onToggleLanes,
  onError,
}: Props) {
  const commands = useEditingCommands();
  const shareToken = useShareToken();
  const [laneTitle, setLaneTitle] = useState('');
  const [goToDay, setGoToDay] = useState('');
  const [exportOpen, setExportOpen] = useState(false);
  const [importOpen, setImportOpen] = useState(false);
  const { displayName, snapshot } = useEditingSession();
  const eventCount = snapshot?.events.length ?? 0;
  /** After an import: the event count at which the imported events have arrived here. */
  const [fitAt, setFitAt] = useState<{ before: number; target: number } | null>(null);

  // The importer's own view moves to what they imported once it has arrived over the websocket
  // (the answer to the upload can come first); others' views stay where they are.
  useEffect(() => {
    if (fitAt && eventCount >= fitAt.target) {
      view.current?.fit();
      setFitAt(null);
    }
  }, [eventCount, fitAt, view]);

  // A day typed as YYYY-MM-DD is that day in UTC, like every date on the axis.
  const handleGoTo = (event: React.FormEvent) => {
    event.preventDefault();
    const day = Date.parse(`${goToDay}T12:00:00Z`);
    if (Number.isNaN(day)) return;
    view.current?.goTo(new Date(day));
  };

  const handleAddLane = (event: React.FormEvent) => {
    event.preventDefault();
    if (!ready || readOnly) return;
    try {
      commands.createLane({ title: laneTitle });
      setLaneTitle('');
      onError(null);
    } catch (err) {
      onError(describeError(err));
    }
  };

  return (
    <div className="toolbar" role="toolbar" aria-label="Timeline tools">
      {canEdit ? (
        <>
          <button
            type="button"
            className="primary"
            onClick={onAddEvent}
            disabled={!ready || readOnly}
          >
            + Add event
          </button>
          <form className="inline-form" onSubmit={handleAddLane}>
            <input
              aria-label="New lane name"
              placeholder="New lane name"
              value={laneTitle}
              maxLength={120}
              onChange={(e) => setLaneTitle(e.target.value)}
              disabled={!ready || readOnly}
            />
            <button type="submit" disabled={!ready || readOnly || !laneTitle.trim()}>
              Add lane
            </button>
          </form>
          <UndoButtons disabled={!ready || readOnly} />
        </>
      ) : (
        <span className="read-only-note" data-testid="read-only">
          <span className="chip chip-view">View only</span>
          {shareToken ? 'Opened with a view link: ' : 'Your role is viewer: '}
          you see every change live but cannot edit.
        </span>
      )}
      <span className="toolbar-spacer" />
      <form className="inline-form goto-form" onSubmit={handleGoTo}>
        <input
          type="date"
          aria-label="Go to date"
          value={goToDay}
          onChange={(e) => setGoToDay(e.target.value)}
        />
        <button type="submit" disabled={!goToDay}>
          Go
        </button>
      </form>
      <button type="button" onClick={() => view.current?.zoomIn()} aria-label="Zoom in">
        +
      </button>
      <button type="button" onClick={() => view.current?.zoomOut()} aria-label="Zoom out">
        −
      </button>
      <button type="button" onClick={() => view.current?.fit()} title="Show every event">
        Fit
      </button>
      <button type="button" aria-expanded={lanesOpen} onClick={onToggleLanes}>
        Lanes
      </button>
      <button type="button" aria-expanded={historyOpen} onClick={onToggleHistory}>
        History
      </button>
      {canShare && (
        <button type="button" aria-expanded={shareOpen} onClick={onToggleShare}>
          Share
        </button>
      )}
      <button type="button" onClick={() => setExportOpen(true)} aria-haspopup="dialog">
        Export…
      </button>
      {exportOpen && (
        <ExportDialog
          timelineId={timelineId}
          title={title}
          currentFilter={exportFilter}
          onClose={() => setExportOpen(false)}
        />
      )}
      {canEdit && (
        <button
          type="button"
          onClick={() => {
            setImportOpen(true);
            setFitAt({ before: eventCount, target: Number.POSITIVE_INFINITY });
          }}
          disabled={!ready || readOnly}
        >
          Import…
        </button>
      )}
      {importOpen && (
        <ImportDialog
          timelineId={timelineId}
          author={shareToken ? displayName : undefined}
          onClose={() => setImportOpen(false)}
          onImported={(events) =>
            setFitAt((current) => current && { ...current, target: current.before + events })
          }
        />
      )}
    </div>
  );
}
