import { buildContentDisposition } from '@/lib/downloadName';
import { ValidationError } from '@/lib/errors';
import { ExportQuery } from '@/lib/export/options';
import { formatZodError } from '@/lib/timeline/schemas';
import { route } from '../../../_lib/http';

export const dynamic = 'force-dynamic';

/**
 * `GET /api/timelines/<id>/export?format=pdf|docx|pptx|png|svg|csv|json|timelinejs|ics
 * &snapshot=&from=&to=&title=&summary=&handling=&comments=&scale=` → the timeline (or a saved
 * version of it) as a briefing in that format (server/export), as a download named
 * `<timeline-title>-<yyyy-mm-dd>.<ext>`. A bad parameter is a 400 naming it. Readers (viewers,
 * view links) may export: an export shows nothing the editor does not.
 */
export const GET = route<{ id: string }>(
  'timeline.read',
  async (request, { id }, services, principal) => {
    const parsed = ExportQuery.safeParse(
      Object.fromEntries(new URL(request.url).searchParams.entries()),
    );
    if (!parsed.success) throw new ValidationError(formatZodError(parsed.error));
    const author = principal?.kind === 'user' ? principal.user.name : undefined;
    const rendered = await services.exports.renderExport(id, parsed.data, author);
    return new Response(Buffer.from(rendered.body), {
      headers: {
        'content-type': rendered.contentType,
        'content-disposition': buildContentDisposition(rendered.fileName),
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
    });
  },
);
