import { json, route } from '../../_lib/http';

export const dynamic = 'force-dynamic';

/** `DELETE /api/invites/<inviteId>` (admins) → withdraws an unused invite. */
export const DELETE = route<{ inviteId: string }>(
  'workspace.admin',
  async (_request, { inviteId }, services) => {
    await services.access.revokeInvite(inviteId);
    return json({ ok: true });
  },
);
