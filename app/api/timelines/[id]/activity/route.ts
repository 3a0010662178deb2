import { ValidationError } from '@/lib/errors';
import { json, route } from '../../../_lib/http';

export const dynamic = 'force-dynamic';

/** `GET /api/timelines/<id>/activity?limit=100` → `{ entries: [...] }`, newest first. */
export const GET = route<{ id: string }>('timeline.read', async (request, { id }, services) => {
  const raw = new URL(request.url).searchParams.get('limit') ?? '100';
  if (!/^\d+$/.test(raw)) throw new ValidationError('limit must be an integer from 1 to 1000');
  return json({ entries: await services.history.listActivity(id, Number(raw)) });
});
