'use client';
/**
 * Recent changes, newest first: the activity log plus live edits not yet in it, named from the
 * room's presence at once ("Someone" when nobody there wrote it, e.g. a deletion).
 */
import type { FeedEntry } from '@/lib/dashboard/liveFeed';
import { formatMoment, formatMomentShort } from '@/lib/format';

const VERBS: Record<FeedEntry['action'], string> = {
  created: 'added',
  updated: 'changed',
  deleted: 'removed',
  restored: 'restored',
};

export function ChangeFeed({ entries, error }: { entries: FeedEntry[]; error: string | null }) {
  return (
    <section className="dash-card feed-card" aria-label="Recent changes" data-rows-box>
      <div className="dash-card-head">
        <h2>Recent changes</h2>
      </div>
      {error && <p className="form-error">The log could not be refreshed: {error}</p>}
      {entries.length === 0 ? (
        <p className="empty">No changes yet. Edits by analysts appear here as they are made.</p>
      ) : (
        <ol className="feed" data-testid="feed" data-whole-rows>
          {entries.map((entry) => (
            <li
              key={entry.key}
              className={`feed-entry${entry.live ? ' live' : ''}`}
              data-action={entry.action}
              data-event-id={entry.eventId}
            >
              <span className="feed-text">
                <strong>{entry.actor ?? 'Someone'}</strong> {VERBS[entry.action]}{' '}
                {entry.fields.length > 0 && (
                  <span className="feed-fields">{entry.fields.join(', ')} of </span>
                )}
                <span className="feed-event">“{entry.eventTitle || '(untitled event)'}”</span>
              </span>
              <time className="feed-time" dateTime={entry.at} title={formatMoment(entry.at)}>
                {entry.live ? 'just now' : formatMomentShort(entry.at)}
              </time>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
