'use client';
/**
 * One thread: its first comment, the replies, and what the viewer may do — reply, resolve or
 * reopen (anyone who may comment), edit or delete their own comments (admins delete any).
 * Comment text is plain text, rendered as text (never HTML), line breaks kept by CSS.
 */
import { useState } from 'react';
import type { CommentSummary, CommentThread as Thread } from '@/lib/comments';
import { formatDateTime, formatRelative, truncate } from '@/lib/format';
import { FormError } from '../../ui/FormError';
import { CommentComposer } from './CommentComposer';

/** What the viewer may do, and the writes (each resolves once the server accepted it). */
export interface CommentActions {
  /** The viewer's account id; null for share-link visitors (read only). */
  me: string | null;
  isAdmin: boolean;
  now: Date;
  reply(rootId: string, text: string): Promise<unknown>;
  edit(id: string, text: string): Promise<unknown>;
  setResolved(rootId: string, resolved: boolean): Promise<unknown>;
  remove(id: string): Promise<unknown>;
}

export function CommentThreadView({
  thread,
  actions,
}: {
  thread: Thread;
  actions: CommentActions;
}) {
  const { root, replies } = thread;
  const [replying, setReplying] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const resolved = root.resolvedAt !== null;
  const canComment = actions.me !== null;

  const toggleResolved = async () => {
    setError(null);
    try {
      await actions.setResolved(root.id, !resolved);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const body = (
    <>
      <CommentItem comment={root} actions={actions} />
      {replies.length > 0 && (
        <ol className="comment-replies" aria-label="Replies">
          {replies.map((reply) => (
            <li key={reply.id}>
              <CommentItem comment={reply} actions={actions} />
            </li>
          ))}
        </ol>
      )}
      {resolved && root.resolvedBy && (
        <p className="comment-resolved-note">
          Resolved by {nameOf(root.resolvedBy, actions.me)}{' '}
          <time dateTime={root.resolvedAt!} title={`${formatDateTime(root.resolvedAt!)} UTC`}>
            {formatRelative(root.resolvedAt!, actions.now)}
          </time>
        </p>
      )}
      {canComment && (
        <div className="comment-thread-actions">
          {replying ? (
            <CommentComposer
              label="Reply"
              submitLabel="Reply"
              placeholder="Reply…"
              autoFocus
              onSubmit={async (text) => {
                await actions.reply(root.id, text);
                setReplying(false);
              }}
              onCancel={() => setReplying(false)}
            />
          ) : (
            <>
              {!resolved && (
                <button type="button" onClick={() => setReplying(true)}>
                  Reply
                </button>
              )}
              <button type="button" onClick={() => void toggleResolved()}>
                {resolved ? 'Reopen' : 'Resolve'}
              </button>
            </>
          )}
        </div>
      )}
      {error && <FormError>{error}</FormError>}
    </>
  );

  const label = `Thread by ${nameOf(root.author, actions.me)}`;
  if (!resolved) {
    return (
      <article className="comment-thread" aria-label={label} data-comment-thread={root.id}>
        {body}
      </article>
    );
  }
  // Resolved threads stay out of the way: one line, opened on demand.
  const count = 1 + replies.length;
  return (
    <details
      className="comment-thread resolved"
      aria-label={`${label} (resolved)`}
      data-comment-thread={root.id}
    >
      <summary>
        <span className="comment-resolved-mark" aria-hidden="true">
          ✓
        </span>{' '}
        <strong>{nameOf(root.author, actions.me)}</strong>: {truncate(root.body, 60).text}
        <span className="comment-meta"> · resolved{count > 1 ? ` · ${count} comments` : ''}</span>
      </summary>
      {body}
    </details>
  );
}

function CommentItem({ comment, actions }: { comment: CommentSummary; actions: CommentActions }) {
  const [editing, setEditing] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const own = actions.me !== null && comment.author.id === actions.me;
  const mayDelete = own || (actions.me !== null && actions.isAdmin);

  const remove = async () => {
    setError(null);
    try {
      await actions.remove(comment.id);
    } catch (err) {
      setError((err as Error).message);
      setConfirmingDelete(false);
    }
  };

  return (
    <div className="comment" data-comment-id={comment.id}>
      <div className="comment-header">
        <strong className="comment-author">{nameOf(comment.author, actions.me)}</strong>
        <time
          className="comment-meta"
          dateTime={comment.createdAt}
          title={`${formatDateTime(comment.createdAt)} UTC`}
        >
          {formatRelative(comment.createdAt, actions.now)}
        </time>
        {comment.editedAt && (
          <span className="comment-meta" title={`Edited ${formatDateTime(comment.editedAt)} UTC`}>
            (edited)
          </span>
        )}
      </div>
      {editing ? (
        <CommentComposer
          label="Edit comment"
          submitLabel="Save"
          initial={comment.body}
          autoFocus
          onSubmit={async (text) => {
            await actions.edit(comment.id, text);
            setEditing(false);
          }}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <p className="comment-body">{comment.body}</p>
      )}
      {!editing && (own || mayDelete) && (
        <div className="comment-actions">
          {confirmingDelete ? (
            <>
              <span>
                {comment.parentId === null ? 'Delete this thread and its replies?' : 'Delete?'}
              </span>
              <button type="button" className="danger" onClick={() => void remove()}>
                Delete
              </button>
              <button type="button" onClick={() => setConfirmingDelete(false)}>
                Keep
              </button>
            </>
          ) : (
            <>
              {own && (
                <button type="button" className="link-button" onClick={() => setEditing(true)}>
                  Edit
                </button>
              )}
              {mayDelete && (
                <button
                  type="button"
                  className="link-button danger-link"
                  onClick={() => setConfirmingDelete(true)}
                >
                  Delete
                </button>
              )}
            </>
          )}
        </div>
      )}
      {error && <FormError>{error}</FormError>}
    </div>
  );
}

/** An author as the viewer reads it: "You" for their own, "Former member" for removed accounts. */
function nameOf(person: { id: string; name: string | null }, me: string | null): string {
  if (me !== null && person.id === me) return 'You';
  return person.name ?? 'Former member';
}
