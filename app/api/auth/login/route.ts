import { LoginBody } from '@/lib/access';
import { clientKeyOf, json, readBody, route, withSessionCookie } from '../../_lib/http';

export const dynamic = 'force-dynamic';

/**
 * `POST /api/auth/login` `{ email, password }` → `{ user }` and a session cookie; 401 for a wrong
 * email or password (the same message for both), 429 after repeated failures.
 */
export const POST = route('public', async (request, _params, services) => {
  const body = await readBody(request, LoginBody);
  const { user, sessionToken } = await services.access.login(body, clientKeyOf(request));
  return withSessionCookie(json({ user }), request, sessionToken, services);
});
