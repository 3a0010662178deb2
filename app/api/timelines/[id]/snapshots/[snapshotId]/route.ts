import { json, route } from '../../../../_lib/http';

export const dynamic = 'force-dynamic';

/** `GET /api/timelines/<id>/snapshots/<snapshotId>` → the JSON export as of that snapshot. */
export const GET = route<{ id: string; snapshotId: string }>(
  'timeline.read',
  async (_request, params, services) => {
    return json(await services.history.getSnapshot(params.id, params.snapshotId));
  },
);
