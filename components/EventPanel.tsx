'use client';
/** Side panel to edit the selected event; every change is written through the document model. */
import { useEffect, useState } from 'react';
import type * as Y from 'yjs';
import {
  deleteEvent,
  type Lane,
  ModelError,
  type TimelineEvent,
  updateEvent,
} from '@/lib/timeline/model';
import type { EventPatch } from '@/lib/timeline/schemas';
import { FormError } from './FormError';
import { PanelHeader } from './PanelHeader';

interface Props {
  doc: Y.Doc;
  event: TimelineEvent;
  lanes: Lane[];
  readOnly: boolean;
  onClose(): void;
}

/** `2019-02-18T00:00:00.000Z` → `2019-02-18T00:00` for a datetime-local input (shown as UTC). */
function toInputValue(iso: string | undefined): string {
  return iso ? iso.slice(0, 16) : '';
}

function fromInputValue(value: string): string {
  return `${value}:00Z`;
}

export function EventPanel({ doc, event, lanes, readOnly, onClose }: Props) {
  const [error, setError] = useState<string | null>(null);
  const [titleDraft, setTitleDraft] = useState(event.title);
  // Follow remote title changes unless the local draft is an (invalid) empty title.
  useEffect(() => setTitleDraft(event.title), [event.title]);

  const apply = (patch: EventPatch) => {
    try {
      updateEvent(doc, event.id, patch);
      setError(null);
    } catch (err) {
      setError(err instanceof ModelError ? err.message : String(err));
    }
  };

  return (
    <aside className="panel" aria-label="Event details" data-testid="event-panel">
      <PanelHeader title="Event" closeLabel="Close panel" onClose={onClose} />
      <fieldset disabled={readOnly} className="panel-fields">
        <label>
          Title
          <input
            name="title"
            value={titleDraft}
            onChange={(e) => {
              setTitleDraft(e.target.value);
              if (e.target.value.trim()) apply({ title: e.target.value });
              else setError('title: must not be empty');
            }}
          />
        </label>
        <label>
          Kind
          <select
            name="kind"
            value={event.kind}
            onChange={(e) => apply({ kind: e.target.value as TimelineEvent['kind'] })}
          >
            <option value="point">Point</option>
            <option value="range">Range</option>
            <option value="background">Background band</option>
          </select>
        </label>
        <label>
          Lane
          <select name="lane" value={event.lane} onChange={(e) => apply({ lane: e.target.value })}>
            {lanes.map((lane) => (
              <option key={lane.id} value={lane.id}>
                {lane.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          Start (UTC)
          <input
            name="start"
            type="datetime-local"
            value={toInputValue(event.start)}
            onChange={(e) => e.target.value && apply({ start: fromInputValue(e.target.value) })}
          />
        </label>
        {event.kind !== 'point' && (
          <label>
            End (UTC)
            <input
              name="end"
              type="datetime-local"
              value={toInputValue(event.end)}
              onChange={(e) => e.target.value && apply({ end: fromInputValue(e.target.value) })}
            />
          </label>
        )}
        <label>
          Confidence
          <select
            name="confidence"
            value={event.confidence ?? ''}
            onChange={(e) =>
              apply({
                confidence: e.target.value
                  ? (e.target.value as NonNullable<TimelineEvent['confidence']>)
                  : null,
              })
            }
          >
            <option value="">Not graded</option>
            <option value="confirmed">Confirmed</option>
            <option value="reported">Reported</option>
            <option value="assessment">Assessment</option>
            <option value="unverified">Unverified</option>
          </select>
        </label>
        <label>
          Description
          <textarea
            name="description"
            rows={7}
            value={event.description}
            onChange={(e) => apply({ description: e.target.value })}
          />
        </label>
      </fieldset>
      {event.sources.length > 0 && (
        <section className="panel-sources">
          <h3>Sources</h3>
          <ul>
            {event.sources.map((source, index) => (
              // Sources have no id of their own yet; their order is stable.
              // biome-ignore lint/suspicious/noArrayIndexKey: see above
              <li key={index}>
                {source.url ? (
                  <a href={source.url} target="_blank" rel="noreferrer noopener">
                    {source.title}
                  </a>
                ) : (
                  source.title
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      {error && <FormError>{error}</FormError>}
      {!readOnly && (
        <button
          type="button"
          className="danger"
          onClick={() => {
            deleteEvent(doc, event.id);
            onClose();
          }}
        >
          Delete event
        </button>
      )}
    </aside>
  );
}
