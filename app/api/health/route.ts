import type { HealthTrouble } from '@/server/context';
import { json, route } from '../_lib/http';

export const dynamic = 'force-dynamic';

/**
 * `GET /api/health` → `{ ok, db, degraded?, trouble?, rooms, connections, unpersistedBytes }`; 503 while
 * degraded. Only admins read why (a database error's text can name hosts and users); everyone
 * else gets the kind of trouble and what it means for their edits.
 */
export const GET = route('public', async (_request, _params, services, principal) => {
  const report = await services.checkHealth();
  const isAdmin = principal?.kind === 'user' && principal.user.role === 'admin';
  if (report.degraded && !isAdmin) {
    report.degraded = PUBLIC_DESCRIPTION[report.trouble ?? 'writes-failing'];
  }
  return json(report, report.ok ? 200 : 503);
});

/** What each kind of trouble means for everyone's edits, without a database error's details. */
const PUBLIC_DESCRIPTION: Record<HealthTrouble, string> = {
  'database-unreachable': 'database unreachable; edits are held in memory and retried',
  'writes-failing': 'writes to the database are failing; edits are held in memory and retried',
};
