/**
 * The export URL's filters: read with the editor's parser but strictly (every dropped value is an
 * error naming its parameter), `dim` never narrows, a day in `to` covers the whole UTC day, and
 * the dialog's URL carries a filter's parameters with its `from`/`to` winning.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildExportUrl,
  ExportQuery,
  encodeExportFilters,
  readExportFilters,
} from '../../lib/export/options';
import { EMPTY_FILTERS, parseFilters } from '../../lib/filters/filters';

describe('export filters', () => {
  it('reads the editor URL filters, leaving from/to to the query, and refuses bad values', () => {
    const params = new URLSearchParams(
      'format=pdf&q=convoy&lane=lane1&lane=lane2&tag=Grid&confidence=none&kind=range&minSources=2&changed=2019-03-01&dim=1&from=2019-03-01T12:00:00Z',
    );
    const { filters, errors } = readExportFilters(params);
    assert.deepEqual(errors, []);
    assert.deepEqual(filters, {
      ...EMPTY_FILTERS,
      q: 'convoy',
      lanes: ['lane1', 'lane2'],
      tags: ['Grid'],
      confidence: ['none'],
      kinds: ['range'],
      minSources: 2,
      changedSince: '2019-03-01',
    });
    assert.deepEqual(
      readExportFilters(new URLSearchParams('confidence=sure&minSources=0&single=yes')).errors,
      [
        'confidence=sure: use high, moderate, low or none',
        'minSources=0: use a whole number from 1 to 99',
        'single=yes: use 1',
      ],
    );
  });

  it('takes a day in `to` as the whole UTC day and a time as it is', () => {
    assert.equal(ExportQuery.parse({ to: '2019-03-01' }).to, '2019-03-01T23:59:59.999Z');
    assert.equal(ExportQuery.parse({ to: '2019-03-01T12:00:00Z' }).to, '2019-03-01T12:00:00.000Z');
    assert.equal(ExportQuery.parse({ from: '2019-03-01' }).from, '2019-03-01T00:00:00.000Z');
    assert.equal(ExportQuery.safeParse({ from: '2019-03-01', to: '2019-03-01' }).success, true);
  });

  it("builds the dialog's URL with a filter (dimming left out, its from/to winning)", () => {
    const { filters } = parseFilters('q=border%20fire&tag=a&tag=b&from=2019-01-01&dim=1');
    const query = encodeExportFilters(filters);
    assert.equal(query, 'q=border+fire&tag=a&tag=b&from=2019-01-01');
    const url = new URL(
      buildExportUrl('t1', { format: 'csv', from: '2018-01-01', comments: 'true' }, query),
      'http://x',
    );
    assert.equal(url.pathname, '/api/timelines/t1/export');
    assert.equal(url.searchParams.get('from'), '2019-01-01');
    assert.deepEqual(url.searchParams.getAll('tag'), ['a', 'b']);
    assert.equal(url.searchParams.get('comments'), 'true');
    assert.equal(url.searchParams.get('dim'), null);
  });
});
