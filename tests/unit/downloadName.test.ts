import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildContentDisposition,
  buildExportFileName,
  sanitizeFileName,
} from '../../lib/downloadName';

describe('download names', () => {
  it('names an export after the timeline and the day', () => {
    const at = new Date('2026-11-30T23:59:00Z');
    assert.equal(
      buildExportFileName('North Korea blackout', at),
      'North-Korea-blackout-2026-11-30.json',
    );
  });

  it('removes what file systems refuse and keeps other scripts', () => {
    assert.equal(sanitizeFileName('a/b\\c: "d"? <e>|*'), 'a-b-c-d-e');
    assert.equal(sanitizeFileName('  Ряды / 北朝鮮  '), 'Ряды-北朝鮮');
    assert.equal(sanitizeFileName('../..'), 'timeline');
    assert.equal(sanitizeFileName('\u0000\u0007'), 'timeline');
    assert.equal(sanitizeFileName('x'.repeat(300)).length, 80);
  });

  it('gives an ASCII fallback and the exact UTF-8 name', () => {
    const header = buildContentDisposition('Ряды-2026-11-30.json');
    assert.match(header, /^attachment; filename="____-2026-11-30\.json"; filename\*=UTF-8''/);
    assert.ok(header.endsWith(encodeURIComponent('Ряды-2026-11-30.json')));
  });
});
