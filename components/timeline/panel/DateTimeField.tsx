'use client';
/**
 * A date field of the event panel: a date input and an optional time input, in UTC. Nothing is
 * written while typing: the value is committed on Enter or when focus leaves the field, and only
 * when it is complete and on the calendar; otherwise the field stays marked with the reason
 * beside it (Escape puts the document's value back).
 *
 * The inputs are uncontrolled: a date input holding a half-typed date reports an empty value, so
 * a controlled input would fight the person typing. While the inputs hold an uncommitted draft
 * they keep it; otherwise they show the document's value, including changes made by others.
 */
import { type KeyboardEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import { type DateTimeDraft, readDateTimeDraft, toDateTimeDraft } from './dateDraft';
import { FieldMessage, invalidFieldProps } from './FieldMessage';

interface Props {
  name: string;
  label: string;
  /** The stored value (ISO, UTC). */
  value: string | undefined;
  /** Writes a complete, valid value (null: the field was emptied); returns why it was refused. */
  onCommit(iso: string | null): string | null;
}

export function DateTimeField({ name, label, value, onCommit }: Props) {
  const labelId = useId();
  const messageId = useId();
  const groupRef = useRef<HTMLDivElement>(null);
  const dateRef = useRef<HTMLInputElement>(null);
  const timeRef = useRef<HTMLInputElement>(null);
  const [message, setMessage] = useState<string | null>(null);
  // Which input the message is about: a refused time leaves the date unmarked, and the reverse.
  const [fault, setFault] = useState<'date' | 'time'>('date');
  // What the inputs were last set to from the document (or last committed). Inputs that differ
  // from it hold this person's draft; inputs that do not are theirs to update, and leaving them
  // never writes a stale value over a colleague's change.
  const baseline = useRef(toDateTimeDraft(value));

  const show = useCallback((iso: string | undefined) => {
    const draft = toDateTimeDraft(iso);
    if (dateRef.current) dateRef.current.value = draft.date;
    if (timeRef.current) timeRef.current.value = draft.time;
    baseline.current = draft;
  }, []);

  // Read by the effect below without re-running it: the snapshot reaches `value` a frame after a
  // write, so re-running it when a message clears would show the stale value for a moment.
  const refused = useRef(false);
  refused.current = message !== null;

  const readInputs = useCallback(
    (): DateTimeDraft => ({
      date: dateRef.current?.value ?? '',
      dateUnreadable: dateRef.current?.validity.badInput ?? false,
      time: timeRef.current?.value ?? '',
      timeUnreadable: timeRef.current?.validity.badInput ?? false,
    }),
    [],
  );

  /** Whether the inputs hold something this person typed and has not committed. */
  const hasDraft = useCallback(() => {
    const draft = readInputs();
    return (
      draft.dateUnreadable ||
      draft.timeUnreadable ||
      draft.date !== baseline.current.date ||
      draft.time !== baseline.current.time
    );
  }, [readInputs]);

  // Follow the document (others' edits too), even with the focus here, unless the inputs hold a
  // draft or a refused value.
  useEffect(() => {
    if (!refused.current && !hasDraft()) show(value);
  }, [value, show, hasDraft]);

  const commit = () => {
    if (!hasDraft()) {
      setMessage(null);
      show(value);
      return;
    }
    const draft = readInputs();
    const reading = readDateTimeDraft(draft);
    if (!reading.ok) {
      setFault(reading.part);
      setMessage(reading.message);
      return;
    }
    const refusal = onCommit(reading.iso);
    // A refused value (end before start) is about the part that was changed.
    setFault(draft.date !== baseline.current.date ? 'date' : 'time');
    setMessage(refusal);
    if (refusal === null) baseline.current = { date: draft.date, time: draft.time };
  };

  const revert = () => {
    setMessage(null);
    show(value);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      commit();
    } else if (event.key === 'Escape' && message !== null) {
      event.preventDefault();
      revert();
    }
  };

  const dateInvalid = invalidFieldProps(messageId, fault === 'time' ? null : message);
  const timeInvalid = invalidFieldProps(messageId, fault === 'date' ? null : message);
  const initial = toDateTimeDraft(value);
  return (
    // biome-ignore lint/a11y/useSemanticElements: a fieldset would nest inside the panel's fieldset and restyle its legend
    <div
      ref={groupRef}
      role="group"
      aria-labelledby={labelId}
      className={`panel-field date-field${message ? ' invalid' : ''}`}
      data-field={name}
      onBlur={(event) => {
        // Moving between the date and the time stays inside the field.
        if (groupRef.current?.contains(event.relatedTarget as Node | null)) return;
        commit();
      }}
    >
      <span id={labelId} className="panel-field-label">
        {label} (UTC)
      </span>
      <div className="date-field-inputs">
        <input
          ref={dateRef}
          name={`${name}-date`}
          type="date"
          aria-label={`${label} date`}
          defaultValue={initial.date}
          onKeyDown={onKeyDown}
          {...dateInvalid}
        />
        <input
          ref={timeRef}
          name={`${name}-time`}
          type="time"
          aria-label={`${label} time (optional)`}
          defaultValue={initial.time}
          onKeyDown={onKeyDown}
          {...timeInvalid}
        />
      </div>
      <FieldMessage id={messageId} message={message} />
    </div>
  );
}
