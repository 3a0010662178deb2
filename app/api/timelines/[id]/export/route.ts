import { buildContentDisposition } from '@/lib/downloadName';
import { ValidationError } from '@/lib/errors';
import { ExportQuery, readExportFilters } from '@/lib/export/options';
import { formatZodError } from '@/lib/timeline/schemas';
import { route } from '../../../_lib/http';

export const dynamic = 'force-dynamic';

/**
 * `GET /api/timelines/<id>/export?format=pdf|docx|pptx|png|svg|csv|json|timelinejs|ics
 * &snapshot=&from=&to=&title=&summary=&handling=&comments=&scale=&slides=` plus the editor URL's
 * filters (`q`, `lane`, `tag`, `confidence`, `kind`, `minSources`, `single`, `changed`) → the
 * timeline (or a saved version of it), narrowed to the filter, as a briefing in that format
 * (server/export), as a download named `<timeline-title>-<yyyy-mm-dd>.<ext>`. A bad parameter is
 * a 400 naming it. Readers (viewers, view links) may export, comments included: an export shows
 * nothing the editor and the comments API do not.
 */
export const GET = route<{ id: string }>(
  'timeline.read',
  async (request, { id }, services, principal) => {
    const params = new URL(request.url).searchParams;
    const parsed = ExportQuery.safeParse(Object.fromEntries(params.entries()));
    if (!parsed.success) throw new ValidationError(formatZodError(parsed.error));
    const { filters, errors } = readExportFilters(params);
    if (errors.length > 0) throw new ValidationError(errors.join('; '));
    const author = principal?.kind === 'user' ? principal.user.name : undefined;
    const rendered = await services.exports.renderExport(id, { ...parsed.data, filters }, author);
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
