/**
 * The CSV export and the CSV import agree: what the exporter writes (formula-escaped cells
 * included) reads back as the same events.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCsv, unescapeFormula } from '../../lib/import/csv';
import { findExportFormat } from '../../server/export';
import { decode, makeInput } from './helpers/briefingFixture';

describe('CSV export → import', () => {
  it('reads back every exported event with its title, dates and kind, formulas unescaped', async () => {
    const input = makeInput();
    const text = decode(await findExportFormat('csv').render(input));
    // The exporter escaped the formula-looking title for spreadsheets…
    assert.match(text, /'=HYPERLINK/);
    const plan = parseCsv(text);
    assert.deepEqual(plan.errors, []);
    // …and the import gives it back as written.
    const byTitle = new Map(plan.events.map((planned) => [planned.event.title, planned.event]));
    for (const event of input.briefing.events) {
      const read = byTitle.get(event.title);
      assert.ok(read, `"${event.title}" is imported`);
      assert.equal(read.kind, event.kind);
      assert.equal(new Date(read.start).toISOString(), new Date(event.start).toISOString());
    }
  });

  it('takes off only the escape our exporter adds', () => {
    assert.equal(unescapeFormula("'=1+1"), '=1+1');
    assert.equal(unescapeFormula("'-000500-01-01"), '-000500-01-01');
    assert.equal(unescapeFormula("'quoted'"), "'quoted'");
    assert.equal(unescapeFormula('plain'), 'plain');
  });
});
