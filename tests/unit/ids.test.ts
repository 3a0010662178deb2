import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createId, ID_PATTERN } from '../../lib/ids';

describe('createId', () => {
  it('makes 16-character ids by default', () => {
    assert.equal(createId().length, 16);
  });

  it('makes ids of the requested length', () => {
    for (const length of [1, 8, 32, 64]) assert.equal(createId(length).length, length);
  });

  it('uses only lowercase letters and digits', () => {
    for (let i = 0; i < 1000; i++) assert.match(createId(), /^[0-9a-z]{16}$/);
  });

  it('uses the whole alphabet over many ids', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) for (const char of createId()) seen.add(char);
    assert.equal(seen.size, 36);
  });

  it('makes ids that match ID_PATTERN', () => {
    for (let i = 0; i < 1000; i++) assert.match(createId(), ID_PATTERN);
  });

  it('makes 10,000 distinct ids', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 10_000; i++) ids.add(createId());
    assert.equal(ids.size, 10_000);
  });
});

describe('ID_PATTERN', () => {
  it('accepts ids chosen by importers: letters, digits, _ and -, up to 64 characters', () => {
    for (const id of ['a', 'Event_01', 'my-id', 'A'.repeat(64)]) assert.match(id, ID_PATTERN);
  });

  it('rejects empty, too long and unsafe ids', () => {
    for (const id of ['', 'a'.repeat(65), 'a/b', '../x', 'a b', 'a.b', 'é', 'id\n']) {
      assert.doesNotMatch(id, ID_PATTERN, JSON.stringify(id));
    }
  });
});
