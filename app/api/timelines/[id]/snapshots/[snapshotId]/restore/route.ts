import { RestoreSnapshotBody } from '@/lib/timeline/schemas';
import { authorOf, json, readBody, route } from '../../../../../_lib/http';

export const dynamic = 'force-dynamic';

/**
 * `POST /api/timelines/<id>/snapshots/<snapshotId>/restore` `{ author? }` → `{ restored, backup }`.
 * Applied to the live timeline as a new change; `backup` is the snapshot taken just before, which
 * restores the state the restore replaced.
 */
export const POST = route<{ id: string; snapshotId: string }>(
  'timeline.write',
  async (request, params, services, principal) => {
    const body = await readBody(request, RestoreSnapshotBody, { optional: true });
    return json(
      await services.history.restoreSnapshot(params.id, params.snapshotId, {
        author: authorOf(principal, body.author),
      }),
    );
  },
);
