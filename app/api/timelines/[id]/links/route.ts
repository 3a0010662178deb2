import { CreateLinkBody } from '@/lib/access';
import { absoluteUrl, json, readBody, route } from '../../../_lib/http';

export const dynamic = 'force-dynamic';

/**
 * `GET /api/timelines/<id>/links` (editors, admins) → `{ links: [...] }` with their status
 * (active, expired, suspended, revoked) and maker (`createdBy: { id, name } | null`).
 */
export const GET = route<{ id: string }>('timeline.share', async (_request, { id }, services) => {
  return json({ links: await services.access.listShareLinks(id) });
});

/**
 * `POST /api/timelines/<id>/links` `{ role: 'view' | 'edit', expiresAt?, label? }` (editors,
 * admins) → 201 `{ id, token, url }`. The token is shown once; `url` opens the timeline with it.
 */
export const POST = route<{ id: string }>(
  'timeline.share',
  async (request, { id }, services, principal) => {
    const body = await readBody(request, CreateLinkBody);
    const createdBy = principal?.kind === 'user' ? principal.user.id : null;
    const created = await services.access.createShareLink(id, body, createdBy);
    return json({ ...created, url: absoluteUrl(request, created.url!) }, 201);
  },
);
