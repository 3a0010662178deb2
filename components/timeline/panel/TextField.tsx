'use client';
/**
 * A text field of the panel (a source's publisher, excerpt, notes; a location): the draft is
 * written when the field is left or on Enter (single line), since a half-typed link or name is
 * not a value yet. An emptied field clears the value (null). A refused draft stays, marked, with
 * the reason beside it until it is fixed or Escape puts the document's value back; otherwise the
 * field follows the document, others' changes included.
 */
import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { FieldMessage, invalidFieldProps } from './FieldMessage';

interface Props {
  name: string;
  label: string;
  value: string | undefined;
  /** Writes the trimmed text (null when emptied); returns why it was refused, or null. */
  onCommit(value: string | null): string | null;
  multiline?: boolean;
  type?: 'text' | 'url' | 'number';
  placeholder?: string;
  /** Shown after the label, e.g. a hint. */
  hint?: ReactNode;
  className?: string;
}

export function TextField({
  name,
  label,
  value,
  onCommit,
  multiline = false,
  type = 'text',
  placeholder,
  hint,
  className = '',
}: Props) {
  const inputId = useId();
  const messageId = useId();
  const [draft, setDraft] = useState(value ?? '');
  const [message, setMessage] = useState<string | null>(null);
  const refused = useRef(false);
  refused.current = message !== null;
  const editing = useRef(false);
  useEffect(() => {
    if (!refused.current && !editing.current) setDraft(value ?? '');
  }, [value]);

  const commit = () => {
    editing.current = false;
    const text = draft.trim();
    if (text === (value ?? '')) {
      setMessage(null);
      setDraft(value ?? '');
      return;
    }
    setMessage(onCommit(text === '' ? null : text));
  };
  const common = {
    id: inputId,
    name,
    value: draft,
    placeholder,
    onChange: (event: { target: { value: string } }) => {
      editing.current = true;
      setDraft(event.target.value);
    },
    onBlur: commit,
    onKeyDown: (event: React.KeyboardEvent) => {
      if (event.key === 'Enter' && !multiline) {
        event.preventDefault();
        commit();
      } else if (event.key === 'Escape' && (message !== null || editing.current)) {
        event.preventDefault();
        editing.current = false;
        setMessage(null);
        setDraft(value ?? '');
      }
    },
    ...invalidFieldProps(messageId, message),
  };
  return (
    <div className={`panel-field${message ? ' invalid' : ''} ${className}`} data-field={name}>
      <label className="panel-field-label" htmlFor={inputId}>
        {label}
        {hint}
      </label>
      {multiline ? <textarea rows={3} {...common} /> : <input type={type} {...common} />}
      <FieldMessage id={messageId} message={message} />
    </div>
  );
}
