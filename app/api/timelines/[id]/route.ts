import { json, route } from '../../_lib/http';

export const dynamic = 'force-dynamic';

/** `GET /api/timelines/<id>` → the timeline's summary. */
export const GET = route<{ id: string }>('timeline.read', async (_request, { id }, services) => {
  return json(await services.timelines.getTimeline(id));
});

/**
 * `DELETE /api/timelines/<id>` (admins) → `{ deleted: id }`. Removes the timeline with its history
 * and share links; pages open on it are told it was deleted.
 */
export const DELETE = route<{ id: string }>(
  'timeline.delete',
  async (_request, { id }, services) => {
    await services.timelines.deleteTimeline(id);
    return json({ deleted: id });
  },
);
