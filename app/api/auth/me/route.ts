import { json, route } from '../../_lib/http';

export const dynamic = 'force-dynamic';

/** `GET /api/auth/me` → who is calling (an account, a share link, or nobody) and whether setup is needed. */
export const GET = route('public', async (_request, _params, services, principal) => {
  return json(await services.access.describe(principal));
});
