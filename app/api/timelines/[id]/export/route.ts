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
      'content-disposition': contentDisposition(rendered.fileName),
      'cache-control': 'no-store',
    },
  });
});

/** An attachment header with an ASCII fallback and the exact UTF-8 name (RFC 6266). */
function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
