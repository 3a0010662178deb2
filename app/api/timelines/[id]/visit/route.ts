import { ForbiddenError } from '@/lib/errors';
import type { Principal } from '@/server/access/policy';
import { json, route } from '../../../_lib/http';

export const dynamic = 'force-dynamic';

/** `GET /api/timelines/<id>/visit` → `{ lastVisitAt }`: when this account last opened the dashboard. */
export const GET = route<{ id: string }>(
  'timeline.read',
  async (_request, { id }, services, principal) => {
    const at = await services.visits.lastVisit(visitAccountOf(principal).user.id, id);
    return json({ lastVisitAt: at?.toISOString() ?? null });
  },
);

/**
 * `POST /api/timelines/<id>/visit` (no body) records a visit of the dashboard now →
 * `{ previousVisitAt, visitedAt }`. Accounts only: a share link's visits are kept in the browser.
 */
export const POST = route<{ id: string }>(
  'timeline.read',
  async (_request, { id }, services, principal) => {
    const visit = await services.visits.recordVisit(visitAccountOf(principal).user.id, id);
    return json({
      previousVisitAt: visit.previousVisitAt?.toISOString() ?? null,
      visitedAt: visit.visitedAt.toISOString(),
    });
  },
);

/** Visits are remembered per account; a share link has none (its page keeps them in the browser). */
function visitAccountOf(principal: Principal | null): Extract<Principal, { kind: 'user' }> {
  if (principal?.kind !== 'user') {
    throw new ForbiddenError(
      'visits are remembered per account; a share-link page keeps its last visit in the browser',
    );
  }
  return principal;
}
