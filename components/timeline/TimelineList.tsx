'use client';
/** Home page: the timelines of this workspace, and a form to create one. */
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { canWrite, type UserSummary } from '@/lib/access';
import { UserMenu } from '../access/UserMenu';
import { useCreateTimeline, useTimelines } from '../api/timelines';
import { FormError } from '../ui/FormError';

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
});

export function TimelineList({ user }: { user: UserSummary }) {
  const canCreate = canWrite(user.role);
  const timelines = useTimelines();
  const create = useCreateTimeline();
  const router = useRouter();
  const [title, setTitle] = useState('');

  const handleCreate = (event: React.FormEvent) => {
    event.preventDefault();
    create.mutate(title, {
      onSuccess: (timeline) => {
        setTitle('');
        router.push(`/t/${timeline.id}`);
      },
    });
  };

  return (
    <main className="page">
      <header className="page-header with-menu">
        <div>
          <h1>Chronoboard</h1>
          <p className="subtitle">Shared timelines for analyst teams.</p>
        </div>
        <UserMenu user={user} />
      </header>

      {!canCreate && (
        <p className="hint">You have read-only access. Ask an admin if you need to edit.</p>
      )}
      {canCreate && (
        <form className="create-form" onSubmit={handleCreate}>
          <label htmlFor="new-title">New timeline</label>
          <input
            id="new-title"
            placeholder="e.g. Election week, March 2019"
            value={title}
            maxLength={500}
            onChange={(e) => setTitle(e.target.value)}
          />
          <button type="submit" className="primary" disabled={create.isPending || !title.trim()}>
            {create.isPending ? 'Creating…' : 'Create timeline'}
          </button>
          {create.error && (
            <FormError>Could not create the timeline: {create.error.message}</FormError>
          )}
        </form>
      )}

      {timelines.isPending && <p className="loading">Loading timelines…</p>}
      {timelines.error && (
        <FormError>
          Could not load timelines: {timelines.error.message} Retrying automatically.
        </FormError>
      )}
      {timelines.data && timelines.data.length === 0 && (
        <p className="empty">No timelines yet.{canCreate ? ' Create one above.' : ''}</p>
      )}
      {timelines.data && timelines.data.length > 0 && (
        <table className="timeline-table" data-testid="timeline-list">
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col">Events</th>
              <th scope="col">Last edit (UTC)</th>
            </tr>
          </thead>
          <tbody>
            {timelines.data.map((timeline) => (
              <tr key={timeline.id} data-timeline-id={timeline.id}>
                <td>
                  <Link href={`/t/${timeline.id}`}>{timeline.title}</Link>
                </td>
                <td className="numeric" data-field="event-count">
                  {timeline.eventCount}
                </td>
                <td>{dateFormat.format(new Date(timeline.updatedAt))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
