import { buildContentDisposition, buildExportFileName } from '@/lib/downloadName';
import { ValidationError } from '@/lib/errors';
import { json, route } from '../../../_lib/http';

export const dynamic = 'force-dynamic';

const FORMATS = ['json'] as const;

/**
 * `GET /api/timelines/<id>/export?format=json` → `{ timeline, lanes, events }` from the live
 * document, as a download named `<title>-<yyyy-mm-dd>.json`.
 */
export const GET = route<{ id: string }>('timeline.read', async (request, { id }, services) => {
  const format = new URL(request.url).searchParams.get('format') ?? 'json';
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new ValidationError(`format must be one of: ${FORMATS.join(', ')}`);
  }
  const exported = await services.timelines.exportTimeline(id);
  const response = json(exported);
  response.headers.set(
    'content-disposition',
    buildContentDisposition(buildExportFileName(exported.timeline.title)),
  );
  return response;
});
