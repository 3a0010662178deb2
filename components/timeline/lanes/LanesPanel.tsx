'use client';
/**
 * The lanes of a timeline, managed in a side panel: rename in place, recolour from the palette,
 * reorder by dragging (or the up/down buttons), delete with a choice for the lane's events.
 * Every change goes through the editing session's commands, so it reaches everyone live.
 */
import { useMemo, useRef, useState } from 'react';
import { describeError, toSentence } from '@/lib/errors';
import type { TimelineEvent } from '@/lib/timeline/event';
import type { Lane, LaneEventsChoice } from '@/lib/timeline/lane';
import { FormError } from '../../ui/FormError';
import { PanelHeader } from '../../ui/PanelHeader';
import { useEditingCommands } from '../session/EditingSessionProvider';
import { DeleteLaneDialog } from './DeleteLaneDialog';
import { LaneRow } from './LaneRow';

interface Props {
  lanes: Lane[];
  events: TimelineEvent[];
  readOnly: boolean;
  onClose(): void;
}

export function LanesPanel({ lanes, events, readOnly, onClose }: Props) {
  const commands = useEditingCommands();
  const [error, setError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const [dragged, setDragged] = useState<string | null>(null);
  // Read at drop time: the drop can come before React re-renders after the last dragover.
  const draggedRef = useRef<string | null>(null);
  const [over, setOver] = useState<{ id: string; side: 'before' | 'after' } | null>(null);

  const counts = useMemo(() => {
    const byLane = new Map<string, number>();
    for (const event of events) byLane.set(event.lane, (byLane.get(event.lane) ?? 0) + 1);
    return byLane;
  }, [events]);

  /** Runs a command; shows its refusal in the panel. Returns whether it succeeded. */
  const run = (action: () => void): boolean => {
    try {
      action();
      setError(null);
      return true;
    } catch (err) {
      setError(toSentence(describeError(err)));
      return false;
    }
  };

  const endDrag = () => {
    draggedRef.current = null;
    setDragged(null);
    setOver(null);
  };

  const handleDrop = (targetId: string, side: 'before' | 'after') => {
    const moving = draggedRef.current;
    if (moving && moving !== targetId) {
      const from = lanes.findIndex((lane) => lane.id === moving);
      const at = lanes.findIndex((lane) => lane.id === targetId) + (side === 'after' ? 1 : 0);
      // The index among the lanes once the dragged one is taken out.
      run(() => commands.moveLane(moving, from < at ? at - 1 : at));
    }
    endDrag();
  };

  const deletingLane = lanes.find((lane) => lane.id === deleting);

  return (
    <aside className="panel lanes-panel" aria-label="Lanes" data-testid="lanes-panel">
      <PanelHeader title="Lanes" closeLabel="Close lanes" onClose={onClose} />
      <p className="hint">
        {readOnly
          ? 'The lanes of this timeline, top to bottom.'
          : 'Rename a lane in place, pick its colour, drag it (or use the arrows) to reorder.'}
      </p>
      {error && <FormError>{error}</FormError>}
      {lanes.length === 0 ? (
        <p className="empty">No lanes yet.</p>
      ) : (
        <ul className="lane-list">
          {lanes.map((lane, index) => (
            <LaneRow
              key={lane.id}
              lane={lane}
              index={index}
              count={lanes.length}
              eventCount={counts.get(lane.id) ?? 0}
              readOnly={readOnly}
              dropSide={dragged && dragged !== lane.id && over?.id === lane.id ? over.side : null}
              onRename={(title) => run(() => commands.updateLane(lane.id, { title }))}
              onRecolor={(color) => run(() => commands.updateLane(lane.id, { color }))}
              onMove={(to) => run(() => commands.moveLane(lane.id, to))}
              onDelete={() => setDeleting(lane.id)}
              onDragStart={() => {
                draggedRef.current = lane.id;
                setDragged(lane.id);
              }}
              onDragOverSide={(side) =>
                setOver((current) =>
                  current?.id === lane.id && current.side === side
                    ? current
                    : { id: lane.id, side },
                )
              }
              onDrop={(side) => handleDrop(lane.id, side)}
              onDragEnd={endDrag}
            />
          ))}
        </ul>
      )}
      {deletingLane && (
        <DeleteLaneDialog
          lane={deletingLane}
          otherLanes={lanes.filter((lane) => lane.id !== deletingLane.id)}
          eventCount={counts.get(deletingLane.id) ?? 0}
          onCancel={() => setDeleting(null)}
          onConfirm={(choice: LaneEventsChoice) => {
            if (run(() => commands.deleteLane(deletingLane.id, choice))) setDeleting(null);
          }}
        />
      )}
    </aside>
  );
}
