'use client';
/**
 * The sources of the event, each in one line as analysts cite it ("B2 · Reuters · 2019-02-18")
 * with its title (a link when it has one); a row expands to edit every field (SourceEditor) or,
 * read-only, to show the excerpt and notes. Each source is edited in place by its id, so two
 * people editing different sources (or two fields of one) both keep their change. A refused
 * value is marked on its own field with the reason beside it.
 */
import { useState } from 'react';
import { describeError } from '@/lib/errors';
import { describeGrade, formatGrade } from '@/lib/timeline/grading';
import { EVENT_FIELDS, type EventSource } from '@/lib/timeline/model';
import { FormError } from '../../ui/FormError';
import { useEditingCommands } from '../session/EditingSessionProvider';
import { describeOrigin, summarizeSource } from './evidenceText';
import { describeFieldError } from './FieldMessage';
import { GradingLegend } from './GradingLegend';
import { SourceDetails, SourceEditor } from './SourceEditor';

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
  // Writes not tied to one field (add, move, remove) report here.
  const [error, setError] = useState<string | null>(null);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const add = () => {
    let id = '';
    setError(tryWrite(() => (id = commands.addSource(eventId, { title: 'New source' }))));
    if (id) setExpanded((current) => new Set(current).add(id));
  };
  return (
    <section className="panel-sources" aria-label="Sources" data-testid="event-sources">
      <div className="panel-section-header">
        <h3>
          {EVENT_FIELDS.sources.label} <span className="count">{sources.length}</span>
        </h3>
        <GradingLegend />
      </div>
      {sources.length === 0 && <p className="panel-empty">No sources yet.</p>}
      <ol className="source-list">
        {sources.map((source, index) => {
          const open = expanded.has(source.id);
          return (
            <li key={source.id} className="source-item" data-source-id={source.id}>
              <div className="source-summary" title={summarizeSource(source)}>
                <span
                  className={`grade-chip${formatGrade(source) ? '' : ' ungraded'}`}
                  title={describeGrade(source)}
                >
                  {formatGrade(source) || '–'}
                </span>
                <div className="source-text">
                  {source.url ? (
                    <a
                      className="source-title"
                      href={source.url}
                      target="_blank"
                      rel="noreferrer noopener"
                    >
                      {source.title}
                    </a>
                  ) : (
                    <span className="source-title">{source.title}</span>
                  )}
                  <span className="source-meta" data-testid="source-summary">
                    {describeOrigin(source) || 'Publisher not named'}
                  </span>
                </div>
                <button
                  type="button"
                  className="icon-button source-toggle"
                  aria-expanded={open}
                  aria-label={`${open ? 'Collapse' : readOnly ? 'Show' : 'Edit'} ${source.title}`}
                  title={open ? 'Collapse' : readOnly ? 'Show details' : 'Edit'}
                  onClick={() => toggle(source.id)}
                >
                  {open ? '▴' : readOnly ? '▾' : '✎'}
                </button>
              </div>
              {open &&
                (readOnly ? (
                  <SourceDetails source={source} />
                ) : (
                  <>
                    <SourceEditor
                      source={source}
                      onChange={(patch, label) => {
                        try {
                          commands.updateSource(eventId, source.id, patch);
                          return null;
                        } catch (err) {
                          return describeFieldError(err, label);
                        }
                      }}
                    />
                    <div className="source-editor-actions">
                      <button
                        type="button"
                        aria-label={`Move ${source.title} up`}
                        disabled={index === 0}
                        onClick={() =>
                          setError(
                            tryWrite(() => commands.moveSource(eventId, source.id, index - 1)),
                          )
                        }
                      >
                        ↑ Up
                      </button>
                      <button
                        type="button"
                        aria-label={`Move ${source.title} down`}
                        disabled={index === sources.length - 1}
                        onClick={() =>
                          setError(
                            tryWrite(() => commands.moveSource(eventId, source.id, index + 1)),
                          )
                        }
                      >
                        ↓ Down
                      </button>
                      <button
                        type="button"
                        className="danger"
                        aria-label={`Remove source ${source.title}`}
                        onClick={() =>
                          setError(tryWrite(() => commands.removeSource(eventId, source.id)))
                        }
                      >
                        Remove
                      </button>
                    </div>
                  </>
                ))}
            </li>
          );
        })}
      </ol>
      {!readOnly && (
        <button type="button" className="add-button" onClick={add}>
          + Add source
        </button>
      )}
      {error && <FormError>{error}</FormError>}
    </section>
  );
}
