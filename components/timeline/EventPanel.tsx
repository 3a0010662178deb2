'use client';
/**
 * Side panel to edit the selected event. Every field is its own component (panel/): a refused
 * value is marked on its field with the reason beside it, and a field never silently differs
 * from the document. Scalar fields write through the editing session's commands; the description
 * is bound to its Y.Text (panel/DescriptionEditor.tsx). Labels and the choices of enumerated
 * fields come from the field table (lib/timeline/fields.ts).
 */
import { useEffect } from 'react';
import { formatEventDate } from '@/lib/format';
import type { FieldOption } from '@/lib/timeline/fieldSpec';
import {
  EVENT_FIELDS,
  type EventLink,
  type EventPatch,
  getDescriptionText,
  type Lane,
  readEvent,
  type TimelineEvent,
} from '@/lib/timeline/model';
import { PanelHeader } from '../ui/PanelHeader';
import { CommentCountBadge, Comments } from './panel/Comments';
import { DateTimeField } from './panel/DateTimeField';
import { DescriptionEditor, DescriptionText } from './panel/DescriptionEditor';
import { ConfidenceField, DatePrecisionFields, LocationFields } from './panel/EvidenceFields';
import { describeFieldError } from './panel/FieldMessage';
import { LinkList } from './panel/LinkList';
import { SelectField } from './panel/SelectField';
import { SourceList } from './panel/SourceList';
import { TagField } from './panel/TagField';
import { TitleField } from './panel/TitleField';
import { EditingNotice } from './presence/EditingNotice';
import { useEditingSession } from './session/EditingSessionProvider';
import { focusPanelTitle } from './useTimelineKeys';

interface Props {
  event: TimelineEvent;
  lanes: Lane[];
  /** Every event of the timeline: link targets and tag suggestions. */
  events: TimelineEvent[];
  readOnly: boolean;
  /** The event as it was in a past version (history replay): shown, never bound or written. */
  historical?: boolean;
  onClose(): void;
  /** Selects another event (a link's target). */
  onSelectEvent(id: string): void;
  /** Put the focus in the title (a new event, made with "N"); `onTitleFocused` once done. */
  focusTitle?: boolean;
  onTitleFocused?(): void;
}

const { title, kind, lane, start, end, description } = EVENT_FIELDS;

/** The `<option>`s of an enumerated field, from the field table. */
function renderOptions(options: readonly FieldOption[] | undefined) {
  return options?.map((option) => (
    <option key={option.value} value={option.value}>
      {option.label}
    </option>
  ));
}

export function EventPanel({
  event,
  lanes,
  events,
  readOnly,
  historical = false,
  onClose,
  onSelectEvent,
  focusTitle = false,
  onTitleFocused,
}: Props) {
  const { commands, doc, awareness, timelineId } = useEditingSession();
  useEffect(() => {
    if (!focusTitle) return;
    focusPanelTitle();
    onTitleFocused?.();
  }, [focusTitle, onTitleFocused]);

  /** Writes a change; returns the reason it was refused (for the field named `label`), or null. */
  const apply = (patch: EventPatch, label: string): string | null => {
    try {
      commands.updateEvent(event.id, patch);
      return null;
    } catch (err) {
      return describeFieldError(err, label);
    }
  };

  // The other date as the document has it now: the snapshot in `event` is a frame behind a write.
  const readCurrent = () => (doc ? readEvent(doc, event.id) : null) ?? event;

  const commitStart = (iso: string | null): string | null => {
    if (iso === null) return 'An event needs a start date.';
    const current = readCurrent();
    if (current.kind !== 'point' && current.end !== undefined && iso > current.end) {
      return `Start must not be after the end (${formatEventDate(current.end)}).`;
    }
    return apply({ start: iso }, start.label);
  };

  const commitEnd = (iso: string | null): string | null => {
    if (iso === null) {
      return 'This kind of event needs an end date. To drop the end, make it a point.';
    }
    const current = readCurrent();
    if (iso < current.start) {
      return `End must not be before the start (${formatEventDate(current.start)}).`;
    }
    return apply({ end: iso }, end.label);
  };

  const text = doc && !historical ? getDescriptionText(doc, event.id) : null;

  return (
    <aside className="panel event-panel" aria-label="Event details" data-testid="event-panel">
      <PanelHeader title="Event" closeLabel="Close panel" onClose={onClose}>
        {!historical && <CommentCountBadge eventId={event.id} />}
      </PanelHeader>
      {!historical && <EditingNotice eventId={event.id} />}
      <fieldset disabled={readOnly} className="panel-fields">
        <TitleField
          label={title.label}
          value={event.title}
          onCommit={(value) => apply({ title: value }, title.label)}
        />
        <SelectField
          name="kind"
          label={kind.label}
          value={event.kind}
          onCommit={(value) => apply({ kind: value as TimelineEvent['kind'] }, kind.label)}
        >
          {renderOptions(kind.options)}
        </SelectField>
        <SelectField
          name="lane"
          label={lane.label}
          value={event.lane}
          onCommit={(value) => apply({ lane: value }, lane.label)}
        >
          {lanes.map((lane) => (
            <option key={lane.id} value={lane.id}>
              {lane.title}
            </option>
          ))}
        </SelectField>
        <DateTimeField
          name="start"
          label={start.label}
          value={event.start}
          onCommit={commitStart}
        />
        {event.kind !== 'point' && (
          <DateTimeField name="end" label={end.label} value={event.end} onCommit={commitEnd} />
        )}
        <DatePrecisionFields event={event} apply={apply} />
        <ConfidenceField event={event} apply={apply} />
        <TagField
          tags={event.tags ?? []}
          suggestions={events.flatMap((e) => e.tags ?? [])}
          readOnly={readOnly}
          readCurrent={() => readCurrent().tags ?? []}
          onCommit={(tags) => apply({ tags }, EVENT_FIELDS.tags.label)}
        />
        <LocationFields event={event} apply={apply} />
        {text ? (
          <DescriptionEditor
            label={description.label}
            text={text}
            awareness={awareness}
            timelineId={timelineId}
            readOnly={readOnly}
          />
        ) : (
          // A past version, or an event written without a description text by some other client.
          <DescriptionText
            label={description.label}
            value={event.description}
            onChange={
              historical || readOnly
                ? undefined
                : (value) => apply({ description: value }, description.label)
            }
          />
        )}
      </fieldset>
      <SourceList eventId={event.id} sources={event.sources} readOnly={readOnly} />
      <LinkList
        event={event}
        events={events}
        readOnly={readOnly}
        readCurrent={() => readCurrent().links ?? []}
        onCommit={(links: EventLink[]) => apply({ links }, EVENT_FIELDS.links.label)}
        onSelect={onSelectEvent}
      />
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
      {/* Comments are about the live event; a past version shows none. */}
      {!historical && <Comments eventId={event.id} />}
    </aside>
  );
}
