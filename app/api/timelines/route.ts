import { CreateTimelineBody } from '@/lib/timeline/schemas';
import { json, readBody, route } from '../_lib/http';

export const dynamic = 'force-dynamic';

/** `GET /api/timelines` → `{ timelines: [...] }`, most recently edited first. */
export const GET = route('account', async (_request, _params, services) => {
  return json({ timelines: await services.timelines.listTimelines() });
});

/** `POST /api/timelines` `{ title }` → 201 with the new timeline. */
export const POST = route('timeline.create', async (request, _params, services) => {
  const body = await readBody(request, CreateTimelineBody);
  return json(await services.timelines.createTimeline(body), 201);
});
