import { ChangeRoleBody } from '@/lib/access';
import { accountOf, json, readBody, route } from '../../_lib/http';

export const dynamic = 'force-dynamic';

/** `PATCH /api/users/<userId>` `{ role }` (admins) → the account; the last admin cannot be demoted. */
export const PATCH = route<{ userId: string }>(
  'workspace.admin',
  async (request, { userId }, services, principal) => {
    const { role } = await readBody(request, ChangeRoleBody);
    return json(await services.access.changeRole(accountOf(principal).user.id, userId, role));
  },
);

/** `DELETE /api/users/<userId>` (admins) → removes the account, its sessions and API tokens. */
export const DELETE = route<{ userId: string }>(
  'workspace.admin',
  async (_request, { userId }, services, principal) => {
    await services.access.removeUser(accountOf(principal).user.id, userId);
    return json({ ok: true });
  },
);
