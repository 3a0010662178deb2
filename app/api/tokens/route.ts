import { CreateTokenBody } from '@/lib/access';
import { accountOf, json, readBody, route } from '../_lib/http';

export const dynamic = 'force-dynamic';

/** `GET /api/tokens` → your API tokens (never their secrets). */
export const GET = route('account', async (_request, _params, services, principal) => {
  return json({ tokens: await services.access.listApiTokens(accountOf(principal).user.id) });
});

/**
 * `POST /api/tokens` `{ name }` → 201 `{ id, token }`. The token acts with your role
 * (`Authorization: Bearer <token>`); it is shown once.
 */
export const POST = route('account', async (request, _params, services, principal) => {
  const { name } = await readBody(request, CreateTokenBody);
  return json(await services.access.createApiToken(accountOf(principal).user.id, name), 201);
});
