'use client';
/**
 * The event's comment threads, in the event panel: open threads first (oldest first), then the
 * resolved ones collapsed, then a box to start a thread. Accounts comment whatever their role;
 * share-link visitors read, with a note saying why they cannot write. Live: the editing session
 * refetches on the server's notices (session/useLiveComments.ts).
 */
import { useEffect, useMemo, useState } from 'react';
import { useCommentCounts, useCommentMutations, useEventComments } from '@/components/api/comments';
import { groupThreads } from '@/lib/comments';
import { plural } from '@/lib/format';
import { useEditingSession } from '../session/EditingSessionProvider';
import { CommentComposer } from './CommentComposer';
import { type CommentActions, CommentThreadView } from './CommentThread';
import './comments.css';

/** The id of the section, for the header's count to link to. */
export const COMMENTS_SECTION_ID = 'event-comments';

export function Comments({ eventId }: { eventId: string }) {
  const { timelineId, access } = useEditingSession();
  const comments = useEventComments(timelineId, eventId);
  const { create, update, remove } = useCommentMutations(timelineId, eventId);
  const now = useNow(30_000);
  const me = access.user?.id ?? null;

  const threads = useMemo(() => groupThreads(comments.data ?? []), [comments.data]);
  const open = threads.filter((thread) => thread.root.resolvedAt === null);
  const resolved = threads.filter((thread) => thread.root.resolvedAt !== null);

  const actions: CommentActions = {
    me,
    isAdmin: access.user?.role === 'admin',
    now,
    reply: (rootId, text) => create.mutateAsync({ parentId: rootId, body: text }),
    edit: (id, text) => update.mutateAsync({ id, body: text }),
    setResolved: (id, resolved) => update.mutateAsync({ id, resolved }),
    remove: (id) => remove.mutateAsync(id),
  };

  return (
    <section className="panel-comments" id={COMMENTS_SECTION_ID} aria-label="Comments">
      <h3>
        Comments{' '}
        {threads.length > 0 && (
          <span className="count">
            · {open.length} open{resolved.length > 0 ? `, ${resolved.length} resolved` : ''}
          </span>
        )}
      </h3>
      {comments.isPending ? (
        <p className="loading">Loading comments…</p>
      ) : comments.error ? (
        <p className="form-error" role="alert">
          Comments could not be loaded: {comments.error.message}
        </p>
      ) : threads.length === 0 ? (
        <p className="empty comment-empty">No comments yet.</p>
      ) : null}
      {open.map((thread) => (
        <CommentThreadView key={thread.root.id} thread={thread} actions={actions} />
      ))}
      {resolved.map((thread) => (
        <CommentThreadView key={thread.root.id} thread={thread} actions={actions} />
      ))}
      {me !== null ? (
        <CommentComposer
          label="New comment"
          submitLabel="Comment"
          placeholder="Ask a question, challenge a source, note a lead…"
          onSubmit={(text) => create.mutateAsync({ body: text })}
        />
      ) : (
        <p className="comment-readonly-note">
          You are viewing through a share link, so comments are read-only: a comment needs an
          author. Sign in with an account to comment.
        </p>
      )}
    </section>
  );
}

/**
 * The event's comment count for the panel header: links to the section; says how many threads
 * are still open.
 */
export function CommentCountBadge({ eventId }: { eventId: string }) {
  const { timelineId } = useEditingSession();
  const counts = useCommentCounts(timelineId);
  const count = counts.data?.[eventId];
  if (!count || count.total === 0) return null;
  const label = `${plural(count.total, 'comment')}, ${count.open} open`;
  return (
    <a
      className={`comment-count-badge${count.open > 0 ? ' has-open' : ''}`}
      href={`#${COMMENTS_SECTION_ID}`}
      title={label}
      aria-label={label}
      data-testid="comment-count"
    >
      <SpeechBubble /> {count.total}
    </a>
  );
}

/** A speech bubble drawn inline (emoji fonts are not on every machine). */
function SpeechBubble() {
  return (
    <svg
      className="comment-count-icon"
      viewBox="0 0 16 16"
      width="12"
      height="12"
      aria-hidden="true"
      focusable="false"
    >
      <path
        d="M2 2.5h12a1 1 0 0 1 1 1v7a1 1 0 0 1-1 1H7l-3.5 3v-3H2a1 1 0 0 1-1-1v-7a1 1 0 0 1 1-1z"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
        strokeLinejoin="round"
      />
    </svg>
  );
}

/** The current time, refreshed every `intervalMs`, so "5 min ago" stays true while shown. */
function useNow(intervalMs: number): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
