'use client';
/**
 * The event's tags: each a chip with a remove button, and an input that adds one on Enter,
 * suggesting the timeline's other tags (a datalist). Tags are a set in the document, so two
 * people adding tags at once both keep theirs; each write is based on the document as it is now.
 */
import { useId, useState } from 'react';
import { EVENT_FIELDS, sortTags } from '@/lib/timeline/model';
import { FieldMessage, invalidFieldProps } from './FieldMessage';

interface Props {
  tags: readonly string[];
  /** Every tag used in the timeline, for suggestions. */
  suggestions: readonly string[];
  readOnly: boolean;
  /** The event's tags in the document now (the props are a frame behind a write). */
  readCurrent(): readonly string[];
  /** Writes the whole set; returns why it was refused, or null. */
  onCommit(tags: string[]): string | null;
}

export function TagField({ tags, suggestions, readOnly, readCurrent, onCommit }: Props) {
  const inputId = useId();
  const listId = useId();
  const messageId = useId();
  const [draft, setDraft] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const label = EVENT_FIELDS.tags.label;
  const add = () => {
    const tag = draft.trim();
    if (!tag) return;
    const current = readCurrent();
    if (current.some((existing) => existing === tag)) {
      setDraft('');
      setMessage(null);
      return;
    }
    const refusal = onCommit([...current, tag]);
    setMessage(refusal);
    if (refusal === null) setDraft('');
  };
  const remove = (tag: string) =>
    setMessage(onCommit(readCurrent().filter((existing) => existing !== tag)));
  const own = new Set(tags);
  const offered = sortTags([...new Set(suggestions)].filter((tag) => !own.has(tag)));
  return (
    <div className={`panel-field tag-field${message ? ' invalid' : ''}`} data-field="tags">
      <label className="panel-field-label" htmlFor={inputId}>
        {label}
      </label>
      {tags.length > 0 ? (
        <ul className="tag-list" aria-label={label}>
          {tags.map((tag) => (
            <li key={tag} className="tag-chip">
              <span>{tag}</span>
              {!readOnly && (
                <button
                  type="button"
                  aria-label={`Remove tag ${tag}`}
                  title="Remove tag"
                  onClick={() => remove(tag)}
                >
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : (
        readOnly && <p className="panel-empty">No tags.</p>
      )}
      {!readOnly && (
        <>
          <input
            id={inputId}
            list={listId}
            value={draft}
            placeholder="Add a tag and press Enter"
            autoComplete="off"
            onChange={(event) => {
              setDraft(event.target.value);
              if (message) setMessage(null);
            }}
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                event.preventDefault();
                add();
              }
            }}
            {...invalidFieldProps(messageId, message)}
          />
          <datalist id={listId}>
            {offered.map((tag) => (
              <option key={tag} value={tag} />
            ))}
          </datalist>
        </>
      )}
      <FieldMessage id={messageId} message={message} />
    </div>
  );
}
