import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXPORT_FORMAT_CHOICES, ExportQuery } from '../../lib/export/options';
import { formatZodError } from '../../lib/timeline/schemas';
import { EXPORT_FORMATS, exportFileName, findExportFormat } from '../../server/export';
import { decode, makeInput } from './helpers/briefingFixture';

describe('export registry', () => {
  it('finds registered formats and names the choices for unknown ones', () => {
    assert.equal(findExportFormat('json').extension, 'json');
    assert.throws(
      () => findExportFormat('xlsx'),
      (error: Error & { status?: number }) =>
        error.status === 400 && error.message.includes(EXPORT_FORMATS.map((f) => f.id).join(', ')),
    );
  });

  it('registers each format the dialog offers, with the same extension', () => {
    for (const format of EXPORT_FORMATS) {
      const choice = EXPORT_FORMAT_CHOICES.find((candidate) => candidate.id === format.id);
      assert.ok(choice, `${format.id} is offered in lib/export/options.ts`);
      assert.equal(choice.extension, format.extension);
    }
  });

  it('renders JSON that parses back to the content, narrowed to the range', async () => {
    const input = makeInput();
    const bytes = await findExportFormat('json').render(input);
    assert.deepEqual(JSON.parse(decode(bytes)), input.content);
    const narrowed = makeInput({ from: '2019-06-01T00:00:00.000Z' });
    const events = JSON.parse(decode(await findExportFormat('json').render(narrowed))).events;
    assert.deepEqual(
      events.map((event: { id: string }) => event.id),
      ['ev-late'],
    );
  });
});

describe('export query', () => {
  const refusal = (query: Record<string, string>) => {
    const parsed = ExportQuery.safeParse(query);
    assert.equal(parsed.success, false);
    return formatZodError(parsed.error!);
  };

  it('names the parameter that is wrong', () => {
    assert.match(refusal({ format: 'xlsx' }), /^format: must be one of: pdf, docx/);
    assert.match(refusal({ format: 'csv', from: '2019-02-30' }), /^from: must be an ISO 8601/);
    assert.match(
      refusal({ format: 'csv', from: '2019-03-01', to: '2019-02-01' }),
      /^to: must not be before from/,
    );
    assert.match(refusal({ format: 'png', scale: '3' }), /^scale: must be 1 or 2/);
    assert.match(refusal({ format: 'pptx', slides: 'page' }), /^slides: must be lane or event/);
    assert.match(refusal({ format: 'pdf', comments: 'yes' }), /^comments: must be true or false/);
    assert.match(
      refusal({ format: 'pdf', handling: 'x'.repeat(121) }),
      /^handling: must be at most 120/,
    );
  });

  it('defaults to JSON and reads the briefing options', () => {
    assert.equal(ExportQuery.parse({}).format, 'json');
    const query = ExportQuery.parse({
      format: 'pdf',
      from: '2019-03-01',
      title: ' Brief ',
      summary: '',
      comments: 'true',
      scale: '2',
    });
    assert.equal(query.from, '2019-03-01T00:00:00.000Z');
    assert.equal(query.title, 'Brief');
    assert.equal(query.summary, undefined);
    assert.equal(query.comments, true);
    assert.equal(query.scale, 2);
  });
});

describe('exportFileName', () => {
  it('names a download <title>-<yyyy-mm-dd>.<ext> (lib/downloadName.ts) with the format extension', () => {
    const day = new Date('2026-11-30T23:59:00Z');
    assert.equal(exportFileName('Border outages', 'json', day), 'Border-outages-2026-11-30.json');
    assert.equal(exportFileName('../../etc/passwd', 'csv', day), 'etc-passwd-2026-11-30.csv');
    assert.equal(exportFileName('조선 정전', 'pdf', day), '조선-정전-2026-11-30.pdf');
  });
});
