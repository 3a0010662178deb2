import { json, route } from '../_lib/http';

export const dynamic = 'force-dynamic';

/** `GET /api/users` (admins) → `{ users: [...] }`, oldest first. */
export const GET = route('workspace.admin', async (_request, _params, services) => {
  return json({ users: await services.access.listUsers() });
});
