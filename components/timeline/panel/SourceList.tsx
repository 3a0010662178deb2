'use client';
/**
 * The sources of the event. Each source is edited in place by its id, so two people editing
 * different sources (or the title and the link of one) both keep their change. A refused value
 * is marked on its own row with the reason beside it.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { describeError } from '@/lib/errors';
import { EVENT_FIELDS, type EventSource, SOURCE_FIELDS } from '@/lib/timeline/model';
import { FormError } from '../../ui/FormError';
import { useEditingCommands } from '../session/EditingSessionProvider';
import { FieldMessage, invalidFieldProps } from './FieldMessage';

/** Runs a write; returns the reason it was refused, or null. */
function tryWrite(action: () => void): string | null {
  try {
    action();
    return null;
  } catch (err) {
    return describeError(err);
  }
}

export function SourceList({
  eventId,
  sources,
  readOnly,
}: {
  eventId: string;
  sources: EventSource[];
  readOnly: boolean;
}) {
  const commands = useEditingCommands();
  // Adding a source is the only write not tied to a row.
  const [error, setError] = useState<string | null>(null);
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
              onChange={(patch) => tryWrite(() => commands.updateSource(eventId, source.id, patch))}
              onRemove={() => setError(tryWrite(() => commands.removeSource(eventId, source.id)))}
            />
          ),
        )}
      </ul>
      {!readOnly && (
        <button
          type="button"
          onClick={() =>
            setError(tryWrite(() => commands.addSource(eventId, { title: 'New source' })))
          }
        >
          Add source
        </button>
      )}
      {error && <FormError>{error}</FormError>}
    </section>
  );
}

function SourceRow({
  source,
  onChange,
  onRemove,
}: {
  source: EventSource;
  /** Writes a change; returns why it was refused, or null. */
  onChange(patch: { title?: string; url?: string | null }): string | null;
  onRemove(): void;
}) {
  const messageId = useId();
  const [titleDraft, setTitleDraft] = useState(source.title);
  const [urlDraft, setUrlDraft] = useState(source.url ?? '');
  const [titleMessage, setTitleMessage] = useState<string | null>(null);
  const [urlMessage, setUrlMessage] = useState<string | null>(null);
  // Follow the document when it changes; a refused draft is kept, marked, until it is fixed.
  // (Not when a message clears: the snapshot reaches the props a frame after a write.)
  const refused = useRef({ title: false, url: false });
  refused.current = { title: titleMessage !== null, url: urlMessage !== null };
  useEffect(() => {
    if (!refused.current.title) setTitleDraft(source.title);
  }, [source.title]);
  useEffect(() => {
    if (!refused.current.url) setUrlDraft(source.url ?? '');
  }, [source.url]);
  const message = titleMessage ?? urlMessage;
  return (
    <li className={`source-row${message ? ' invalid' : ''}`} data-source-id={source.id}>
      <div className="source-row-inputs">
        <input
          aria-label={`Source ${SOURCE_FIELDS.title.label.toLowerCase()}`}
          value={titleDraft}
          onChange={(e) => {
            setTitleDraft(e.target.value);
            setTitleMessage(
              e.target.value.trim()
                ? onChange({ title: e.target.value })
                : 'A source needs a title. Leaving the field keeps the stored one.',
            );
          }}
          onBlur={() => {
            // An empty or refused title is not kept: the field shows the stored one again.
            if (titleMessage !== null) {
              setTitleMessage(null);
              setTitleDraft(source.title);
            }
          }}
          {...invalidFieldProps(messageId, titleMessage)}
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
            if (url !== (source.url ?? '')) {
              setUrlMessage(onChange({ url: url === '' ? null : url }));
            } else {
              setUrlMessage(null);
            }
          }}
          {...invalidFieldProps(messageId, urlMessage)}
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
      </div>
      <FieldMessage id={messageId} message={message} />
    </li>
  );
}
