import { CommentListQuery, CreateCommentBody } from '@/lib/comments';
import { ValidationError } from '@/lib/errors';
import { formatZodError } from '@/lib/timeline/schemas';
import { accountOf, json, readBody, route } from '../../../_lib/http';

export const dynamic = 'force-dynamic';

/**
 * `GET /api/timelines/<id>/comments[?eventId=]` → `{ comments: [...] }`, oldest first: the
 * timeline's comments, or one event's (also an event deleted since: its thread is kept).
 */
export const GET = route<{ id: string }>('timeline.read', async (request, { id }, services) => {
  const parsed = CommentListQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw new ValidationError(formatZodError(parsed.error));
  return json({ comments: await services.comments.listComments(id, parsed.data.eventId) });
});

/**
 * `POST /api/timelines/<id>/comments` `{ eventId, body }` (a new thread) or `{ parentId, body }`
 * (a reply) → 201 with the comment. Any account; the author is the caller.
 */
export const POST = route<{ id: string }>(
  'timeline.comment',
  async (request, { id }, services, principal) => {
    const { user } = accountOf(principal);
    const body = await readBody(request, CreateCommentBody);
    const actor = { id: user.id, isAdmin: user.role === 'admin' };
    return json(await services.comments.createComment(id, actor, body), 201);
  },
);
