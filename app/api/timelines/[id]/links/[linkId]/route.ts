import { json, route } from '../../../../_lib/http';

export const dynamic = 'force-dynamic';

/**
 * `DELETE /api/timelines/<id>/links/<linkId>` (editors, admins) → `{ closed }`: the link stops
 * working at once and the live connections opened with it are closed (4401).
 */
export const DELETE = route<{ id: string; linkId: string }>(
  'timeline.share',
  async (_request, { id, linkId }, services) => {
    return json(await services.access.revokeShareLink(id, linkId));
  },
);
