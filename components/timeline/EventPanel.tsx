'use client';
/**
 * Side panel to edit the selected event; every change is written through the editing session's commands.
 * Labels and the choices of enumerated fields come from the field table (lib/timeline/fields.ts).
 */
import { useEffect, useState } from 'react';
import { describeError } from '@/lib/errors';
import { fromDateTimeInput, toDateTimeInput } from '@/lib/format';
import type { FieldOption } from '@/lib/timeline/fieldSpec';
import {
  EVENT_FIELDS,
  type EventPatch,
  type EventSource,
  type Lane,
  SOURCE_FIELDS,
  type TimelineEvent,
} from '@/lib/timeline/model';
import { FormError } from '../ui/FormError';
import { PanelHeader } from '../ui/PanelHeader';
import { useEditingCommands } from './session/EditingSessionProvider';

interface Props {
  event: TimelineEvent;
  lanes: Lane[];
  readOnly: boolean;
  onClose(): void;
}

const { title, kind, lane, start, end, confidence, description } = EVENT_FIELDS;

/** The `<option>`s of an enumerated field, from the field table. */
function renderOptions(options: readonly FieldOption[] | undefined) {
  return options?.map((option) => (
    <option key={option.value} value={option.value}>
      {option.label}
    </option>
  ));
}

export function EventPanel({ event, lanes, readOnly, onClose }: Props) {
  const commands = useEditingCommands();
  const [error, setError] = useState<string | null>(null);
  const [titleDraft, setTitleDraft] = useState(event.title);
  // Follow remote title changes unless the local draft is an (invalid) empty title.
  useEffect(() => setTitleDraft(event.title), [event.title]);

  const apply = (patch: EventPatch) => {
    try {
      commands.updateEvent(event.id, patch);
      setError(null);
    } catch (err) {
      setError(describeError(err));
    }
  };

  return (
    <aside className="panel" aria-label="Event details" data-testid="event-panel">
      <PanelHeader title="Event" closeLabel="Close panel" onClose={onClose} />
      <fieldset disabled={readOnly} className="panel-fields">
        <label>
          {title.label}
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
          {kind.label}
          <select
            name="kind"
            value={event.kind}
            onChange={(e) => apply({ kind: e.target.value as TimelineEvent['kind'] })}
          >
            {renderOptions(kind.options)}
          </select>
        </label>
        <label>
          {lane.label}
          <select name="lane" value={event.lane} onChange={(e) => apply({ lane: e.target.value })}>
            {lanes.map((lane) => (
              <option key={lane.id} value={lane.id}>
                {lane.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          {start.label} (UTC)
          <input
            name="start"
            type="datetime-local"
            value={toDateTimeInput(event.start)}
            onChange={(e) => e.target.value && apply({ start: fromDateTimeInput(e.target.value) })}
          />
        </label>
        {event.kind !== 'point' && (
          <label>
            {end.label} (UTC)
            <input
              name="end"
              type="datetime-local"
              value={toDateTimeInput(event.end)}
              onChange={(e) => e.target.value && apply({ end: fromDateTimeInput(e.target.value) })}
            />
          </label>
        )}
        <label>
          {confidence.label}
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
            <option value="">{confidence.emptyLabel}</option>
            {renderOptions(confidence.options)}
          </select>
        </label>
        <label>
          {description.label}
          <textarea
            name="description"
            rows={7}
            value={event.description}
            onChange={(e) => apply({ description: e.target.value })}
          />
        </label>
      </fieldset>
      <SourceList
        eventId={event.id}
        sources={event.sources}
        readOnly={readOnly}
        onError={setError}
      />
      {error && <FormError>{error}</FormError>}
      {!readOnly && (
        <button
          type="button"
          className="danger"
          onClick={() => {
            commands.deleteEvent(event.id);
            onClose();
          }}
        >
          Delete event
        </button>
      )}
    </aside>
  );
}

/**
 * The sources of the event. Each source is edited in place by its id, so two people editing
 * different sources (or the title and the link of one) both keep their change.
 */
function SourceList({
  eventId,
  sources,
  readOnly,
  onError,
}: {
  eventId: string;
  sources: EventSource[];
  readOnly: boolean;
  onError(message: string | null): void;
}) {
  const commands = useEditingCommands();
  const write = (action: () => void) => {
    try {
      action();
      onError(null);
    } catch (err) {
      onError(describeError(err));
    }
  };
  if (readOnly && sources.length === 0) return null;
  return (
    <section className="panel-sources" aria-label="Sources">
      <h3>{EVENT_FIELDS.sources.label}</h3>
      <ul className={readOnly ? undefined : 'source-rows'}>
        {sources.map((source) =>
          readOnly ? (
            <li key={source.id}>
              {source.url ? (
                <a href={source.url} target="_blank" rel="noreferrer noopener">
                  {source.title}
                </a>
              ) : (
                source.title
              )}
            </li>
          ) : (
            <SourceRow
              key={source.id}
              source={source}
              onChange={(patch) => write(() => commands.updateSource(eventId, source.id, patch))}
              onRemove={() => write(() => commands.removeSource(eventId, source.id))}
              onError={onError}
            />
          ),
        )}
      </ul>
      {!readOnly && (
        <button
          type="button"
          onClick={() => write(() => commands.addSource(eventId, { title: 'New source' }))}
        >
          Add source
        </button>
      )}
    </section>
  );
}

function SourceRow({
  source,
  onChange,
  onRemove,
  onError,
}: {
  source: EventSource;
  onChange(patch: { title?: string; url?: string | null }): void;
  onRemove(): void;
  onError(message: string | null): void;
}) {
  const [titleDraft, setTitleDraft] = useState(source.title);
  const [urlDraft, setUrlDraft] = useState(source.url ?? '');
  // Follow remote changes; a local draft that is not valid yet is kept until it is.
  useEffect(() => setTitleDraft(source.title), [source.title]);
  useEffect(() => setUrlDraft(source.url ?? ''), [source.url]);
  return (
    <li className="source-row" data-source-id={source.id}>
      <input
        aria-label={`Source ${SOURCE_FIELDS.title.label.toLowerCase()}`}
        value={titleDraft}
        onChange={(e) => {
          setTitleDraft(e.target.value);
          if (e.target.value.trim()) onChange({ title: e.target.value });
          else onError('source title: must not be empty');
        }}
      />
      <input
        aria-label={`Source ${SOURCE_FIELDS.url.label.toLowerCase()}`}
        type="url"
        placeholder="https://"
        value={urlDraft}
        onChange={(e) => setUrlDraft(e.target.value)}
        // A link is only valid once typed out, so it is written when the field is left.
        onBlur={() => {
          const url = urlDraft.trim();
          if (url !== (source.url ?? '')) onChange({ url: url === '' ? null : url });
        }}
      />
      <button
        type="button"
        className="icon-button"
        aria-label={`Remove source ${source.title}`}
        title="Remove source"
        onClick={onRemove}
      >
        ×
      </button>
    </li>
  );
}
