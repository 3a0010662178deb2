import { UpdateCommentBody } from '@/lib/comments';
import { accountOf, json, readBody, route } from '../../../../_lib/http';

export const dynamic = 'force-dynamic';

/**
 * `PATCH /api/timelines/<id>/comments/<commentId>` `{ body?, resolved? }` → the comment. `body`:
 * its author only; `resolved` (true resolves, false reopens): a thread's first comment, anyone
 * who may comment.
 */
export const PATCH = route<{ id: string; commentId: string }>(
  'timeline.comment',
  async (request, { id, commentId }, services, principal) => {
    const { user } = accountOf(principal);
    const body = await readBody(request, UpdateCommentBody);
    const actor = { id: user.id, isAdmin: user.role === 'admin' };
    return json(await services.comments.updateComment(id, commentId, actor, body));
  },
);

/**
 * `DELETE /api/timelines/<id>/comments/<commentId>` → `{ deleted }` (a thread's first comment
 * takes its replies with it): its author, or an admin.
 */
export const DELETE = route<{ id: string; commentId: string }>(
  'timeline.comment',
  async (_request, { id, commentId }, services, principal) => {
    const { user } = accountOf(principal);
    const actor = { id: user.id, isAdmin: user.role === 'admin' };
    return json(await services.comments.deleteComment(id, commentId, actor));
  },
);
