import { ValidationError } from '@/lib/errors';
import { ImportFormat } from '@/lib/import/plan';
import { MAX_IMPORT_BYTES } from '@/lib/limits';
import { AuthorName } from '@/lib/timeline/schemas';
import { authorOf, json, readLimitedText, route } from '../../../_lib/http';

export const dynamic = 'force-dynamic';

/**
 * `POST /api/timelines/<id>/import?format=csv|json|timelinejs[&dryRun=true][&skipInvalid=true]`
 * with the file as the body → `{ dryRun, events, lanes, errors: [{ row, field?, message }],
 * sample }` (events and lanes: how many are, or would be, created). Editors only. A file with
 * unreadable rows is refused (400, nothing written) unless `skipInvalid=true`, which imports the
 * readable rows after the person saw the preview; a dry run lists the errors with status 200
 * unless the file as a whole is unreadable. Bodies over MAX_IMPORT_BYTES get 413.
 */
export const POST = route<{ id: string }>(
  'timeline.write',
  async (request, { id }, services, principal) => {
    const query = new URL(request.url).searchParams;
    const format = ImportFormat.safeParse(query.get('format') ?? '');
    if (!format.success) {
      throw new ValidationError(`format must be one of: ${ImportFormat.options.join(', ')}`);
    }
    const claimed = AuthorName.safeParse(query.get('author') ?? undefined);
    const text = await readLimitedText(request, MAX_IMPORT_BYTES);
    const { rejected, ...result } = await services.imports.importFile(
      id,
      authorOf(principal, claimed.success ? claimed.data : undefined) ?? 'Anonymous',
      {
        format: format.data,
        text,
        dryRun: query.get('dryRun') === 'true',
        skipInvalid: query.get('skipInvalid') === 'true',
      },
    );
    if (!rejected) return json(result);
    const first = result.errors[0];
    const error = first
      ? `${first.row > 0 ? `row ${first.row}` : 'file'}${first.field ? `, ${first.field}` : ''}: ${first.message}${result.errors.length > 1 ? ` (and ${result.errors.length - 1} more)` : ''}`
      : 'the file holds no events';
    return json({ error, ...result }, 400);
  },
);
