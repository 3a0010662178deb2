import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXPORT_FORMATS, exportFileName, findExportFormat } from '../../server/export';

describe('export registry', () => {
  it('finds registered formats and names the choices for unknown ones', () => {
    assert.equal(findExportFormat('json').extension, 'json');
    assert.throws(
      () => findExportFormat('docx'),
      (error: Error & { status?: number }) =>
        error.status === 400 && error.message.includes(EXPORT_FORMATS.map((f) => f.id).join(', ')),
    );
  });

  it('renders JSON that parses back to the content', async () => {
    const content = {
      timeline: {
        id: 't1',
        title: 'T',
        eventCount: 0,
        createdAt: '2019-02-18T00:00:00.000Z',
        updatedAt: '2019-02-18T00:00:00.000Z',
      },
      lanes: [],
      events: [],
    };
    const bytes = await findExportFormat('json').render(content);
    assert.deepEqual(JSON.parse(new TextDecoder().decode(bytes)), content);
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
