import { json, route } from '../../../../_lib/http';

export const dynamic = 'force-dynamic';

/**
 * `GET /api/timelines/<id>/comments/counts` → `{ counts: { <eventId>: { open, total } } }`:
 * threads not resolved and comments in all, per event that has any.
 */
export const GET = route<{ id: string }>('timeline.read', async (_request, { id }, services) => {
  return json(await services.comments.countComments(id));
});
