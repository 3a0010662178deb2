import { json, route } from '../../../../../_lib/http';

export const dynamic = 'force-dynamic';

/**
 * `GET /api/timelines/<id>/snapshots/<snapshotId>/diff?against=now|<otherSnapshotId>` → events and
 * lanes added, removed and changed (per field, before → after) from the snapshot to `against`.
 */
export const GET = route<{ id: string; snapshotId: string }>(
  'timeline.read',
  async (request, params, services) => {
    const against = new URL(request.url).searchParams.get('against') ?? 'now';
    return json(await services.history.diffSnapshot(params.id, params.snapshotId, against));
  },
);
