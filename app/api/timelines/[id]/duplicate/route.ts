import { json, route } from '../../../_lib/http';

export const dynamic = 'force-dynamic';

/** `POST /api/timelines/<id>/duplicate` → 201 with the new timeline: a copy of the content now. */
export const POST = route<{ id: string }>('timeline.create', async (_request, { id }, services) => {
  return json(await services.timelines.duplicateTimeline(id), 201);
});
