'use client';
/** A choice of the event panel (kind, lane, confidence), written as soon as it is made. */
import { type ReactNode, useId, useState } from 'react';
import { FieldMessage, invalidFieldProps } from './FieldMessage';

interface Props {
  name: string;
  label: string;
  value: string;
  /** Writes the choice; returns why it was refused, or null. */
  onCommit(value: string): string | null;
  children: ReactNode;
}

export function SelectField({ name, label, value, onCommit, children }: Props) {
  const inputId = useId();
  const messageId = useId();
  // A refused choice is not shown as chosen: the select keeps the document's value.
  const [message, setMessage] = useState<string | null>(null);
  return (
    <div className={`panel-field${message ? ' invalid' : ''}`} data-field={name}>
      <label className="panel-field-label" htmlFor={inputId}>
        {label}
      </label>
      <select
        id={inputId}
        name={name}
        value={value}
        onChange={(event) => setMessage(onCommit(event.target.value))}
        {...invalidFieldProps(messageId, message)}
      >
        {children}
      </select>
      <FieldMessage id={messageId} message={message} />
    </div>
  );
}
