'use client';
/** The timeline's name in the page header; editors rename it in place (Enter saves, Escape cancels). */
import { useState } from 'react';
import { describeError, toSentence } from '@/lib/errors';
import { MAX_TITLE_LENGTH } from '@/lib/limits';

export function TimelineTitle({
  title,
  canRename,
  onRename,
}: {
  title: string;
  canRename: boolean;
  /** Writes the new title; throws a ModelError when it is refused. */
  onRename(title: string): void;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const save = () => {
    if (draft === null) return;
    try {
      if (draft.trim() !== title) onRename(draft);
      setDraft(null);
      setError(null);
    } catch (err) {
      setError(toSentence(describeError(err)));
    }
  };

  if (draft !== null) {
    return (
      <form
        className="title-form"
        onSubmit={(event) => {
          event.preventDefault();
          save();
        }}
      >
        <input
          aria-label="Timeline name"
          value={draft}
          maxLength={MAX_TITLE_LENGTH}
          // biome-ignore lint/a11y/noAutofocus: the person just asked to rename; typing goes here
          autoFocus
          aria-invalid={error !== null}
          aria-describedby={error ? 'timeline-title-error' : undefined}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              setDraft(null);
              setError(null);
            }
          }}
        />
        <button type="submit" className="primary">
          Save
        </button>
        <button
          type="button"
          onClick={() => {
            setDraft(null);
            setError(null);
          }}
        >
          Cancel
        </button>
        {error && (
          <span id="timeline-title-error" className="form-error" role="alert">
            {error}
          </span>
        )}
      </form>
    );
  }

  return (
    <div className="title-area">
      <h1 className="timeline-title" data-testid="timeline-title" title={title}>
        {title}
      </h1>
      {canRename && (
        <button
          type="button"
          className="icon-button rename-button"
          aria-label="Rename timeline"
          title="Rename timeline"
          onClick={() => setDraft(title)}
        >
          ✎
        </button>
      )}
    </div>
  );
}
