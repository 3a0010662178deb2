/**
 * `npm run start:collab` runs the collaboration-only bundle with the options and environment that
 * the benchmarks and tests spawn it with (scripts/build-collab.ts): one command, spelled twice.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { COLLAB_ENTRY, collabOnlyCommand, collabStartScript } from '../../scripts/build-collab';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('npm run start:collab', () => {
  it('is the command the benchmarks and tests run', () => {
    const scripts = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts;
    assert.equal(scripts['start:collab'], collabStartScript());
    const { args, env } = collabOnlyCommand();
    assert.ok(args.includes(COLLAB_ENTRY) && args.at(-1) === '--collab-only');
    assert.equal(env.MALLOC_ARENA_MAX, '2');
    // The all-in-one server still runs under tsx.
    assert.match(scripts.start, /tsx server\/main\.ts$/);
  });
});
