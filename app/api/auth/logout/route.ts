import { json, route, withSessionCookie } from '../../_lib/http';

export const dynamic = 'force-dynamic';

/** `POST /api/auth/logout` → ends the session (its live connections close) and clears the cookie. */
export const POST = route('public', async (request, _params, services, principal) => {
  await services.access.logout(principal);
  return withSessionCookie(json({ ok: true }), request, null, services);
});
