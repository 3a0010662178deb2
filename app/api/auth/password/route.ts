import { ChangePasswordBody } from '@/lib/access';
import { accountOf, json, readBody, route } from '../../_lib/http';

export const dynamic = 'force-dynamic';

/**
 * `POST /api/auth/password` `{ currentPassword, newPassword }` → `{ ok }`. Browser sessions only
 * (403 for API tokens); the person's other sessions end.
 */
export const POST = route('account', async (request, _params, services, principal) => {
  const body = await readBody(request, ChangePasswordBody);
  await services.access.changePassword(accountOf(principal), body);
  return json({ ok: true });
});
