import { ValidationError } from '@/lib/errors';
import { CreateSnapshotBody, formatZodError, SnapshotListQuery } from '@/lib/timeline/schemas';
import type { Principal } from '@/server/access/policy';
import { authorOf, json, readBody, route } from '../../../_lib/http';

export const dynamic = 'force-dynamic';

/**
 * `GET /api/timelines/<id>/snapshots?limit=&cursor=` → `{ snapshots: [...], nextCursor }`,
 * newest first; `nextCursor` (null on the last page) is the `cursor` of the next page.
 */
export const GET = route<{ id: string }>('timeline.read', async (request, { id }, services) => {
  const parsed = SnapshotListQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw new ValidationError(formatZodError(parsed.error));
  return json(await services.history.listSnapshots(id, parsed.data));
});

/**
 * `POST /api/timelines/<id>/snapshots` `{ label, author? }` → 201 with the named snapshot;
 * 429 when the person made too many in the last minute (NAMED_SNAPSHOT_RATE).
 */
export const POST = route<{ id: string }>(
  'timeline.write',
  async (request, { id }, services, principal) => {
    const body = await readBody(request, CreateSnapshotBody);
    return json(
      await services.history.createSnapshot(id, {
        ...body,
        author: authorOf(principal, body.author),
        requester: requesterOf(principal),
      }),
      201,
    );
  },
);

/** Who the rate limit counts: the account, or for share-link visitors the link they share. */
function requesterOf(principal: Principal | null): string {
  if (principal?.kind === 'user') return `user:${principal.user.id}`;
  if (principal?.kind === 'link') return `link:${principal.link.id}`;
  return 'anonymous';
}
