'use client';
/**
 * One lane in the lanes panel: drag handle, colour, name (renamed in place), move up/down and
 * delete. Dragging is HTML5 drag and drop; the buttons do the same from the keyboard.
 */
import { useRef, useState } from 'react';
import { PALETTE } from '@/lib/colors';
import type { Lane } from '@/lib/timeline/lane';

/** Names of the palette colours, in PALETTE's order, for screen readers and tooltips. */
const COLOR_NAMES = ['Blue', 'Red', 'Green', 'Amber', 'Violet', 'Teal', 'Pink', 'Olive'];

export interface LaneRowProps {
  lane: Lane;
  index: number;
  count: number;
  eventCount: number;
  readOnly: boolean;
  /** Where a drag over this row would drop: before or after it; null when not dragged over. */
  dropSide: 'before' | 'after' | null;
  onRename(title: string): boolean;
  onRecolor(color: string): void;
  onMove(index: number): void;
  onDelete(): void;
  onDragStart(): void;
  onDragOverSide(side: 'before' | 'after'): void;
  onDrop(side: 'before' | 'after'): void;
  onDragEnd(): void;
}

export function LaneRow({
  lane,
  index,
  count,
  eventCount,
  readOnly,
  dropSide,
  onRename,
  onRecolor,
  onMove,
  onDelete,
  onDragStart,
  onDragOverSide,
  onDrop,
  onDragEnd,
}: LaneRowProps) {
  // What is being typed; null while the field is not being edited, so renames by others show.
  const [draft, setDraft] = useState<string | null>(null);
  const [picking, setPicking] = useState(false);

  const cancelled = useRef(false);

  const commit = () => {
    if (cancelled.current) {
      cancelled.current = false;
      return;
    }
    if (draft === null) return;
    const title = draft.trim();
    if (title !== lane.title && !onRename(title)) return;
    setDraft(null);
  };

  return (
    <li
      className={`lane-row${dropSide ? ` drop-${dropSide}` : ''}`}
      data-testid="lane-row"
      draggable={!readOnly && draft === null}
      onDragStart={(event) => {
        event.dataTransfer.effectAllowed = 'move';
        event.dataTransfer.setData('text/plain', lane.id);
        onDragStart();
      }}
      onDragOver={(event) => {
        if (readOnly) return;
        event.preventDefault();
        onDragOverSide(sideOf(event));
      }}
      onDrop={(event) => {
        event.preventDefault();
        onDrop(sideOf(event));
      }}
      onDragEnd={onDragEnd}
    >
      <div className="lane-main">
        {!readOnly && (
          <span className="drag-handle" aria-hidden="true" title="Drag to reorder">
            ⠿
          </span>
        )}
        <button
          type="button"
          className="lane-swatch"
          style={{ background: lane.color }}
          aria-label={`Colour of ${lane.title}`}
          aria-expanded={picking}
          disabled={readOnly}
          onClick={() => setPicking((open) => !open)}
        />
        <input
          className="lane-name"
          aria-label={`Name of lane ${index + 1}`}
          value={draft ?? lane.title}
          maxLength={120}
          readOnly={readOnly}
          onFocus={() => !readOnly && setDraft(lane.title)}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              commit();
            } else if (e.key === 'Escape') {
              // Blur commits the draft, so discard it first, synchronously.
              cancelled.current = true;
              setDraft(null);
              e.currentTarget.blur();
            }
          }}
        />
        <span className="lane-count" title="Events in this lane">
          {eventCount}
        </span>
        {!readOnly && (
          <span className="lane-actions">
            <button
              type="button"
              aria-label={`Move ${lane.title} up`}
              disabled={index === 0}
              onClick={() => onMove(index - 1)}
            >
              ↑
            </button>
            <button
              type="button"
              aria-label={`Move ${lane.title} down`}
              disabled={index === count - 1}
              onClick={() => onMove(index + 1)}
            >
              ↓
            </button>
            <button
              type="button"
              className="danger lane-delete"
              aria-label={`Delete ${lane.title}`}
              title="Delete lane"
              onClick={onDelete}
            >
              ×
            </button>
          </span>
        )}
      </div>
      {picking && !readOnly && (
        <fieldset className="palette" aria-label={`Colours for ${lane.title}`}>
          {PALETTE.map((color, i) => (
            <button
              key={color}
              type="button"
              className="palette-color"
              style={{ background: color }}
              title={COLOR_NAMES[i] ?? color}
              aria-label={COLOR_NAMES[i] ?? color}
              aria-pressed={lane.color.toLowerCase() === color}
              onClick={() => {
                onRecolor(color);
                setPicking(false);
              }}
            />
          ))}
        </fieldset>
      )}
    </li>
  );
}

/** Whether the pointer is over the upper or the lower half of the row. */
function sideOf(event: React.DragEvent<HTMLElement>): 'before' | 'after' {
  const box = event.currentTarget.getBoundingClientRect();
  return event.clientY < box.top + box.height / 2 ? 'before' : 'after';
}
