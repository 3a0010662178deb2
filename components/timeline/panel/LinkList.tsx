'use client';
/**
 * Links from this event to others: causes / caused by / related to. Each link names its target
 * (a button that selects it) and can be removed; a new one is made by choosing the relation and
 * picking the target from a search over the timeline's events. Links are keyed by target in the
 * document, so concurrent additions merge; links to events that no longer exist are not shown
 * (the document keeps them: a restore may bring the target back).
 */
import { useId, useState } from 'react';
import { formatEventDate } from '@/lib/format';
import type { EventLink, TimelineEvent } from '@/lib/timeline/model';
import type { LinkRelation } from '@/lib/timeline/values';
import { FieldMessage } from './FieldMessage';

export const RELATION_CHOICES: { value: LinkRelation; label: string }[] = [
  { value: 'causes', label: 'Causes' },
  { value: 'caused-by', label: 'Caused by' },
  { value: 'related', label: 'Related to' },
];

/** Most matches offered at once: a search narrows a long timeline. */
const MAX_MATCHES = 8;

interface Props {
  event: TimelineEvent;
  events: readonly TimelineEvent[];
  readOnly: boolean;
  /** The event's links in the document now (the props are a frame behind a write). */
  readCurrent(): readonly EventLink[];
  onCommit(links: EventLink[]): string | null;
  onSelect(eventId: string): void;
}

export function LinkList({ event, events, readOnly, readCurrent, onCommit, onSelect }: Props) {
  const searchId = useId();
  const messageId = useId();
  const [relation, setRelation] = useState<LinkRelation>('causes');
  const [query, setQuery] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const byId = new Map(events.map((e) => [e.id, e]));
  const shown = (event.links ?? []).filter((link) => byId.has(link.eventId));
  const linked = new Set(shown.map((link) => link.eventId));
  const needle = query.trim().toLowerCase();
  const matches = needle
    ? events
        .filter((e) => e.id !== event.id && !linked.has(e.id))
        .filter((e) => e.title.toLowerCase().includes(needle))
        .slice(0, MAX_MATCHES)
    : [];

  const add = (target: string) => {
    const others = readCurrent().filter((link) => link.eventId !== target);
    const refusal = onCommit([...others, { eventId: target, relation }]);
    setMessage(refusal);
    if (refusal === null) setQuery('');
  };
  const remove = (target: string) =>
    setMessage(onCommit(readCurrent().filter((link) => link.eventId !== target)));

  return (
    <section className="panel-links" aria-label="Links" data-testid="event-links">
      <h3>
        Links <span className="count">{shown.length}</span>
      </h3>
      {shown.length === 0 && <p className="panel-empty">No links to other events.</p>}
      <ul className="link-list">
        {shown.map((link) => {
          const target = byId.get(link.eventId)!;
          return (
            <li key={link.eventId} className="link-row" data-link-target={link.eventId}>
              <span className={`link-relation relation-${link.relation}`}>
                {RELATION_CHOICES.find((choice) => choice.value === link.relation)?.label}
              </span>
              <button
                type="button"
                className="link-button link-target"
                title={`Select ${target.title}`}
                onClick={() => onSelect(link.eventId)}
              >
                {target.title || '(untitled)'}
              </button>
              <span className="link-date">{formatEventDate(target.start)}</span>
              {!readOnly && (
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Remove link to ${target.title}`}
                  title="Remove link"
                  onClick={() => remove(link.eventId)}
                >
                  ×
                </button>
              )}
            </li>
          );
        })}
      </ul>
      {!readOnly && (
        <div className="link-add">
          <div className="link-add-row">
            <select
              aria-label="Relation"
              value={relation}
              onChange={(e) => setRelation(e.target.value as LinkRelation)}
            >
              {RELATION_CHOICES.map((choice) => (
                <option key={choice.value} value={choice.value}>
                  {choice.label}
                </option>
              ))}
            </select>
            <input
              id={searchId}
              type="search"
              aria-label="Find an event to link"
              placeholder="Find an event to link…"
              value={query}
              autoComplete="off"
              onChange={(e) => setQuery(e.target.value)}
              aria-describedby={message ? messageId : undefined}
            />
          </div>
          {needle && (
            <ul className="link-matches" aria-label="Matching events">
              {matches.map((match) => (
                <li key={match.id}>
                  <button type="button" onClick={() => add(match.id)}>
                    <span>{match.title || '(untitled)'}</span>
                    <span className="link-date">{formatEventDate(match.start)}</span>
                  </button>
                </li>
              ))}
              {matches.length === 0 && <li className="panel-empty">No event matches.</li>}
            </ul>
          )}
        </div>
      )}
      <FieldMessage id={messageId} message={message} />
    </section>
  );
}
