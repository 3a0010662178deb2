import { ValidationError } from '@/lib/errors';
import { json, route } from '../../../_lib/http';

export const dynamic = 'force-dynamic';

/**
 * `GET /api/timelines/<id>/activity?limit=100[&since=<ISO date>]` → `{ entries: [...] }`, newest
 * first; with `since`, only entries recorded after that time.
 */
export const GET = route<{ id: string }>('timeline.read', async (request, { id }, services) => {
  const params = new URL(request.url).searchParams;
  const raw = params.get('limit') ?? '100';
  if (!/^\d+$/.test(raw)) throw new ValidationError('limit must be an integer from 1 to 1000');
  const rawSince = params.get('since');
  const since = rawSince === null ? undefined : new Date(rawSince);
  if (since && (Number.isNaN(since.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(rawSince!))) {
    throw new ValidationError('since must be an ISO date-time such as 2026-11-30T14:05:00.000Z');
  }
  return json({ entries: await services.history.listActivity(id, Number(raw), since) });
});
