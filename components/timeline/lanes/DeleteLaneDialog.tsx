'use client';
/** Asks what happens to a lane's events before deleting it: move them to another lane, or delete them. */
import { useId, useState } from 'react';
import type { Lane, LaneEventsChoice } from '@/lib/timeline/lane';
import { Dialog } from '../../ui/Dialog';

export function DeleteLaneDialog({
  lane,
  otherLanes,
  eventCount,
  onConfirm,
  onCancel,
}: {
  lane: Lane;
  otherLanes: Lane[];
  eventCount: number;
  onConfirm(choice: LaneEventsChoice): void;
  onCancel(): void;
}) {
  const ids = useId();
  const canMove = otherLanes.length > 0;
  const [mode, setMode] = useState<'move' | 'delete'>(canMove ? 'move' : 'delete');
  const [target, setTarget] = useState(otherLanes[0]?.id ?? '');
  const events = eventCount === 1 ? '1 event' : `${eventCount} events`;

  const handleSubmit = (event: React.FormEvent) => {
    event.preventDefault();
    if (eventCount > 0 && mode === 'move') onConfirm({ moveTo: target });
    else onConfirm({ deleteEvents: true });
  };

  return (
    <Dialog title={`Delete the lane “${lane.title}”?`} onClose={onCancel} testId="delete-lane">
      <form className="dialog-form" onSubmit={handleSubmit}>
        {eventCount === 0 ? (
          <p>It has no events. This cannot be undone from here.</p>
        ) : (
          <fieldset className="choice-list">
            <legend>It has {events}. What should happen to them?</legend>
            <label className={canMove ? undefined : 'muted'}>
              <input
                type="radio"
                name={`${ids}-mode`}
                value="move"
                checked={mode === 'move'}
                disabled={!canMove}
                onChange={() => setMode('move')}
              />
              Move them to
              <select
                aria-label="Lane to move the events to"
                value={target}
                disabled={!canMove || mode !== 'move'}
                onChange={(e) => setTarget(e.target.value)}
              >
                {otherLanes.map((other) => (
                  <option key={other.id} value={other.id}>
                    {other.title}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <input
                type="radio"
                name={`${ids}-mode`}
                value="delete"
                checked={mode === 'delete'}
                onChange={() => setMode('delete')}
              />
              Delete the {events} with the lane
            </label>
          </fieldset>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="danger">
            Delete lane
          </button>
        </div>
      </form>
    </Dialog>
  );
}
