import { CreateInviteBody } from '@/lib/access';
import { absoluteUrl, accountOf, json, readBody, route } from '../_lib/http';

export const dynamic = 'force-dynamic';

/** `GET /api/invites` (admins) → `{ invites: [...] }`, newest first. */
export const GET = route('workspace.admin', async (_request, _params, services) => {
  return json({ invites: await services.access.listInvites() });
});

/**
 * `POST /api/invites` `{ role, expiresInDays? }` (admins) → 201 `{ id, token, url }`. The link is
 * shown once; it works for one account until it expires (7 days by default).
 */
export const POST = route('workspace.admin', async (request, _params, services, principal) => {
  const body = await readBody(request, CreateInviteBody, { optional: true });
  const created = await services.access.createInvite(accountOf(principal).user.id, body);
  return json({ ...created, url: absoluteUrl(request, created.url!) }, 201);
});
