import { PUBLIC_TROUBLE_DESCRIPTION } from '@/server/context';
import { json, route } from '../_lib/http';

export const dynamic = 'force-dynamic';

/**
 * `GET /api/health` → `{ ok, db, degraded?, trouble?, rooms, connections, unpersistedBytes, redis? }`; 503 while
 * degraded. Only admins read why (a database error's text can name hosts and users); everyone
 * else gets the kind of trouble and what it means for their edits.
 */
export const GET = route('public', async (_request, _params, services, principal) => {
  const report = await services.checkHealth();
  const isAdmin = principal?.kind === 'user' && principal.user.role === 'admin';
  if (report.degraded && !isAdmin) {
    report.degraded = PUBLIC_TROUBLE_DESCRIPTION[report.trouble ?? 'writes-failing'];
  }
  return json(report, report.ok ? 200 : 503);
});
