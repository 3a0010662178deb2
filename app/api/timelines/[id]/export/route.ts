import { buildContentDisposition } from '@/lib/downloadName';
import { route } from '../../../_lib/http';

export const dynamic = 'force-dynamic';

/**
 * `GET /api/timelines/<id>/export?format=json` → the timeline in a registered export format
 * (server/export), read from the live document, as a download named
 * `<timeline-title>-<yyyy-mm-dd>.<ext>`. An unknown format is a 400 naming the choices.
 */
export const GET = route<{ id: string }>('timeline.read', async (request, { id }, services) => {
  const format = new URL(request.url).searchParams.get('format') ?? 'json';
  const rendered = await services.timelines.renderExport(id, format);
  return new Response(Buffer.from(rendered.body), {
    headers: {
      'content-type': rendered.contentType,
      'content-disposition': buildContentDisposition(rendered.fileName),
      'cache-control': 'no-store',
    },
  });
});
