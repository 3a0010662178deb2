import { accountOf, json, route } from '../../_lib/http';

export const dynamic = 'force-dynamic';

/** `DELETE /api/tokens/<tokenId>` → revokes one of your API tokens and closes its connections. */
export const DELETE = route<{ tokenId: string }>(
  'account',
  async (_request, { tokenId }, services, principal) => {
    await services.access.revokeApiToken(accountOf(principal).user.id, tokenId);
    return json({ ok: true });
  },
);
