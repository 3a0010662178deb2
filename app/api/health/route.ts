import { json, route } from '../_lib/http';

export const dynamic = 'force-dynamic';

/** `GET /api/health` → `{ ok, db, degraded?, … }`; 503 while degraded. */
export const GET = route('public', async (_request, _params, services) => {
  const report = await services.checkHealth();
  return json(report, report.ok ? 200 : 503);
});
