import { AcceptInviteBody } from '@/lib/access';
import { json, readBody, route, withSessionCookie } from '../../_lib/http';

export const dynamic = 'force-dynamic';

/**
 * `POST /api/invites/accept` `{ token, email, name, password }` → 201 `{ user }` and a session
 * cookie. The invite's role is given to the new account; an invite works once.
 */
export const POST = route('public', async (request, _params, services) => {
  const body = await readBody(request, AcceptInviteBody);
  const { user, sessionToken } = await services.access.acceptInvite(body);
  return withSessionCookie(json({ user }, 201), request, sessionToken, services);
});
