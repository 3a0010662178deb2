import { json, route } from '../../_lib/http';

export const dynamic = 'force-dynamic';

/** `GET /api/timelines/<id>` → the timeline's summary. */
export const GET = route<{ id: string }>('timeline.read', async (_request, { id }, services) => {
  return json(await services.timelines.getTimeline(id));
});
