'use client';
import Link from 'next/link';

/** Shown when the server refused or ended access to the timeline (4401/4403). */
export function AccessEnded({
  timelineId,
  reason,
  viaShareLink,
}: {
  timelineId: string;
  reason: string | null;
  viaShareLink: boolean;
}) {
  return (
    <main className="page narrow">
      <h1>No access to this timeline</h1>
      <p role="alert" data-testid="access-ended">
        The server ended access: {reason ?? 'no access'}.
      </p>
      <p>
        {viaShareLink
          ? 'Ask the person who shared the link for a new one.'
          : 'Sign in again, or ask an admin for access.'}{' '}
        <a href={viaShareLink ? '/login' : `/login?next=/t/${encodeURIComponent(timelineId)}`}>
          Sign in
        </a>
      </p>
    </main>
  );
}

export function TimelineNotFound({ timelineId }: { timelineId: string }) {
  return (
    <main className="page narrow">
      <h1>Timeline not found</h1>
      <p>
        There is no timeline with the id <code>{timelineId}</code>. It may have been deleted, or the
        link is incomplete.
      </p>
      <Link href="/">Back to all timelines</Link>
    </main>
  );
}
