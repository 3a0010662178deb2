'use client';
/** Shows a just-created secret (link or token) once, with a copy button. */
import { useState } from 'react';

export function SecretReveal({
  label,
  value,
  note,
  onDone,
}: {
  label: string;
  value: string;
  note: string;
  onDone(): void;
}) {
  const [copied, setCopied] = useState(false);
  const handleCopy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      setCopied(false); // clipboard blocked (plain http): the field is selectable
    }
  };
  return (
    <div className="secret" role="status" data-testid="secret">
      <strong>{label}</strong>
      <div className="secret-value">
        <input
          readOnly
          value={value}
          aria-label={label}
          data-testid="secret-value"
          onFocus={(e) => e.target.select()}
        />
        <button type="button" onClick={handleCopy}>
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" onClick={onDone}>
          Done
        </button>
      </div>
      <span className="hint">{note}</span>
    </div>
  );
}
