import { SetupBody } from '@/lib/access';
import { json, readBody, route, withSessionCookie } from '../_lib/http';

export const dynamic = 'force-dynamic';

/**
 * `POST /api/setup` `{ email, name, password }` → 201 `{ user }` and a session cookie. Creates the
 * first account of a fresh instance, which becomes admin; 409 once any account exists.
 */
export const POST = route('public', async (request, _params, services) => {
  const body = await readBody(request, SetupBody);
  const { user, sessionToken } = await services.access.setup(body);
  return withSessionCookie(json({ user }, 201), request, sessionToken, services);
});
