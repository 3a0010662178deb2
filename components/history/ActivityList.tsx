'use client';
/**
 * The activity log: who created, changed (which fields) or deleted which event, and when, newest
 * first. Refreshed every few seconds while shown. Names and titles are React text, never HTML.
 */
import type { ActivitySummary } from '@/lib/timeline/schemas';
import { useActivity } from '../api/history';
import { FormError } from '../ui/FormError';
import { formatMoment, formatMomentShort } from './historyFormat';

const VERBS: Record<ActivitySummary['action'], string> = {
  created: 'created',
  updated: 'changed',
  deleted: 'deleted',
  restored: 'restored',
};

export function ActivityList({
  timelineId,
  liveEventIds,
}: {
  timelineId: string;
  /** Ids of the events the live timeline has now (tells what a restore did to an event). */
  liveEventIds?: ReadonlySet<string>;
}) {
  const activity = useActivity(timelineId);
  if (activity.isPending) return <p className="loading">Loading activity…</p>;
  if (activity.error && !activity.data) {
    return (
      <FormError>
        Could not load the activity: {activity.error.message} It is retried every few seconds.
      </FormError>
    );
  }
  const entries = activity.data ?? [];
  const restoreEffects = liveEventIds ? inferRestoreEffects(entries, liveEventIds) : new Map();
  return (
    <>
      {activity.error && (
        <FormError>
          The activity could not be refreshed: {activity.error.message} Showing the last list
          loaded.
        </FormError>
      )}
      {entries.length === 0 ? (
        <p className="empty">No activity yet. Created, changed and deleted events appear here.</p>
      ) : (
        <ol className="activity-list" data-testid="activity-list">
          {entries.map((entry) => (
            <li key={entry.id} className="activity-entry" data-action={entry.action}>
              <ActivityText entry={entry} restoreEffect={restoreEffects.get(entry.id)} />
              <span className="activity-time">
                {' · '}
                <time dateTime={entry.at} title={formatMoment(entry.at)}>
                  {formatMomentShort(entry.at)}
                </time>
              </span>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

type RestoreEffect = 'added' | 'removed';

/**
 * A restore that added or removed an event is logged as "restored" without fields, so whether it
 * brought the event back or took it away is worked out from the log itself: walking from the
 * newest entry (whose outcome the live timeline shows) back in time, each entry says whether the
 * event existed before it. Entries are in the order they were recorded, which is the order of the
 * changes they describe.
 */
function inferRestoreEffects(
  entries: ActivitySummary[],
  liveEventIds: ReadonlySet<string>,
): Map<string, RestoreEffect> {
  const effects = new Map<string, RestoreEffect>();
  const existsAfter = new Map<string, boolean>();
  for (const entry of entries) {
    if (entry.count > 1) continue;
    const after = existsAfter.get(entry.eventId) ?? liveEventIds.has(entry.eventId);
    let before: boolean;
    if (entry.action === 'created') before = false;
    else if (entry.action === 'restored' && entry.fields.length === 0) {
      effects.set(entry.id, after ? 'added' : 'removed');
      before = !after;
    } else before = true;
    existsAfter.set(entry.eventId, before);
  }
  return effects;
}

/** "Ana changed title, description of “Outage”". */
function ActivityText({
  entry,
  restoreEffect,
}: {
  entry: ActivitySummary;
  restoreEffect: RestoreEffect | undefined;
}) {
  const title = entry.eventTitle || '(untitled event)';
  const fields = entry.fields.join(', ');
  if (entry.count > 1) return <BulkActivityText entry={entry} />;
  if (restoreEffect) {
    return (
      <span className="activity-text">
        <strong className="activity-actor">{entry.actor}</strong>{' '}
        {restoreEffect === 'added' ? 'brought back' : 'removed'}{' '}
        <span className="activity-event">“{title}”</span> by restoring a version
      </span>
    );
  }
  const verb = VERBS[entry.action];
  return (
    <span className="activity-text">
      <strong className="activity-actor">{entry.actor}</strong> {verb}{' '}
      {fields && (
        <>
          <span className="activity-fields">{fields}</span> of{' '}
        </>
      )}
      <span className="activity-event">“{title}”</span>
      {entry.action === 'restored' && ' from a saved version'}
    </span>
  );
}

/** "Ana created 10,000 events" — one transaction that touched many events (an import). */
function BulkActivityText({ entry }: { entry: ActivitySummary }) {
  const fields = entry.fields.join(', ');
  return (
    <span className="activity-text">
      <strong className="activity-actor">{entry.actor}</strong> {VERBS[entry.action]}{' '}
      {fields && entry.action === 'updated' && (
        <>
          <span className="activity-fields">{fields}</span> of{' '}
        </>
      )}
      <span className="activity-event">{entry.count.toLocaleString('en-US')} events</span>
      {entry.action === 'restored' && ' from a saved version'}
      {' at once'}
    </span>
  );
}
