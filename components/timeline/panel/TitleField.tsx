'use client';
/**
 * The event title. A valid title is written as it is typed, so colleagues see it change live
 * and the field always equals the document. A title the model refuses (empty, too long) is not
 * written: the field is marked with the reason beside it for as long as the draft differs, and
 * leaving the field (or Escape) puts the document's title back.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { FieldMessage, invalidFieldProps } from './FieldMessage';

interface Props {
  label: string;
  /** The title in the document. */
  value: string;
  /** Writes a title; returns why it was refused, or null. */
  onCommit(title: string): string | null;
}

export function TitleField({ label, value, onCommit }: Props) {
  const inputId = useId();
  const messageId = useId();
  const [draft, setDraft] = useState(value);
  const [message, setMessage] = useState<string | null>(null);
  // A valid draft has been written, so the document is the truth: follow it (others' edits too).
  // Only when the document changes: the snapshot reaches `value` a frame after a write, so
  // following it when a message clears would put the old title back under the typing.
  // The document keeps a title trimmed: "Before the " is written as "Before the". That echo must
  // not take the space from under the typing (the next word would be glued on: "Before theimport",
  // seen on a loaded machine), so a draft the document holds as `value` is kept as typed.
  const refused = useRef(false);
  refused.current = message !== null;
  const typed = useRef(draft);
  typed.current = draft;
  useEffect(() => {
    if (!refused.current && typed.current.trim() !== value) setDraft(value);
  }, [value]);

  const revert = () => {
    setMessage(null);
    setDraft(value);
  };

  return (
    <div className={`panel-field${message ? ' invalid' : ''}`} data-field="title">
      <label className="panel-field-label" htmlFor={inputId}>
        {label}
      </label>
      <input
        id={inputId}
        name="title"
        value={draft}
        onChange={(event) => {
          const next = event.target.value;
          setDraft(next);
          setMessage(next.trim() === '' ? describeEmpty(value) : onCommit(next));
        }}
        onBlur={() => {
          if (message !== null) revert();
        }}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && message !== null) {
            event.preventDefault();
            revert();
          }
        }}
        {...invalidFieldProps(messageId, message)}
      />
      <FieldMessage id={messageId} message={message} />
    </div>
  );
}

function describeEmpty(stored: string): string {
  return `A title is needed. Leaving the field keeps “${stored}”.`;
}
