import { json, route } from '../_lib/http';

export const dynamic = 'force-dynamic';

/**
 * `GET /api/health` → `{ ok, db, degraded?, rooms, connections, unpersistedBytes }`; 503 while
 * degraded. Only admins read why (a database error's text can name hosts and users); everyone
 * else gets the kind of trouble and what it means for their edits.
 */
export const GET = route('public', async (_request, _params, services, principal) => {
  const report = await services.checkHealth();
  const isAdmin = principal?.kind === 'user' && principal.user.role === 'admin';
  if (report.degraded && !isAdmin) report.degraded = describeDegradedPublicly(report.degraded);
  return json(report, report.ok ? 200 : 503);
});

function describeDegradedPublicly(reason: string): string {
  return reason.startsWith('database unreachable')
    ? 'database unreachable; edits are held in memory and retried'
    : 'writes to the database are failing; edits are held in memory and retried';
}
