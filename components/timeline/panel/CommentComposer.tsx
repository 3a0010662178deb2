'use client';
/**
 * A text box that sends a comment: the button or Ctrl/Cmd+Enter sends, Escape cancels (when there
 * is something to cancel to). Used for new threads, replies and edits. The text stays until the
 * server accepted it, so a refusal (shown beside it) never loses what was typed.
 */
import { useId, useState } from 'react';
import { MAX_COMMENT_CHARS } from '@/lib/comments';
import { FormError } from '../../ui/FormError';

export function CommentComposer({
  label,
  submitLabel,
  initial = '',
  placeholder,
  autoFocus = false,
  onSubmit,
  onCancel,
}: {
  /** The text box's accessible name. */
  label: string;
  submitLabel: string;
  initial?: string;
  placeholder?: string;
  autoFocus?: boolean;
  /** Resolves once saved; a rejection's message is shown. */
  onSubmit(text: string): Promise<unknown>;
  onCancel?(): void;
}) {
  const [text, setText] = useState(initial);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const hintId = useId();
  const errorId = useId();
  const trimmed = text.trim();
  const tooLong = trimmed.length > MAX_COMMENT_CHARS;
  const canSend = trimmed.length > 0 && !tooLong && !pending && trimmed !== initial.trim();

  const send = async () => {
    if (!canSend) return;
    setPending(true);
    setError(null);
    try {
      await onSubmit(trimmed);
      setText('');
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setPending(false);
    }
  };

  return (
    <form
      className="comment-composer"
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      <textarea
        aria-label={label}
        aria-describedby={error ? `${hintId} ${errorId}` : hintId}
        aria-invalid={tooLong || undefined}
        value={text}
        placeholder={placeholder}
        // biome-ignore lint/a11y/noAutofocus: opened by the person's own click on Reply or Edit
        autoFocus={autoFocus}
        rows={text.includes('\n') || text.length > 60 ? 4 : 2}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            void send();
          } else if (event.key === 'Escape' && onCancel) {
            // The panel closes on Escape too; here it only leaves the text box.
            event.preventDefault();
            event.stopPropagation();
            onCancel();
          }
        }}
      />
      <div className="comment-composer-actions">
        <span id={hintId} className={`comment-hint${tooLong ? ' over' : ''}`}>
          {tooLong
            ? `${trimmed.length.toLocaleString('en')} / ${MAX_COMMENT_CHARS.toLocaleString('en')} characters`
            : 'Ctrl+Enter to send'}
        </span>
        {onCancel && (
          <button type="button" onClick={onCancel} disabled={pending}>
            Cancel
          </button>
        )}
        <button type="submit" className="primary" disabled={!canSend}>
          {pending ? 'Sending…' : submitLabel}
        </button>
      </div>
      {error && (
        <div id={errorId}>
          <FormError>{error}</FormError>
        </div>
      )}
    </form>
  );
}
