import { CreateSnapshotBody } from '@/lib/timeline/schemas';
import { authorOf, json, readBody, route } from '../../../_lib/http';

export const dynamic = 'force-dynamic';

/** `GET /api/timelines/<id>/snapshots` → `{ snapshots: [...] }`, newest first. */
export const GET = route<{ id: string }>('timeline.read', async (_request, { id }, services) => {
  return json({ snapshots: await services.history.listSnapshots(id) });
});

/** `POST /api/timelines/<id>/snapshots` `{ label, author? }` → 201 with the named snapshot. */
export const POST = route<{ id: string }>(
  'timeline.write',
  async (request, { id }, services, principal) => {
    const body = await readBody(request, CreateSnapshotBody);
    return json(
      await services.history.createSnapshot(id, {
        ...body,
        author: authorOf(principal, body.author),
      }),
      201,
    );
  },
);
