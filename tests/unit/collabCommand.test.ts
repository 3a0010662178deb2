/**
 * `npm start` and `npm run start:collab` run the server's bundle with the options and environment
 * that the benchmarks and tests spawn it with (scripts/build-server.ts): one command each, spelled
 * twice.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  collabOnlyCommand,
  collabStartScript,
  SERVER_ENTRY,
  serverCommand,
  startScript,
} from '../../scripts/build-server';

const ROOT = path.resolve(import.meta.dirname, '../..');
const scripts = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts;

describe('npm start and npm run start:collab', () => {
  it('start:collab is the command the benchmarks and tests run', () => {
    assert.equal(scripts['start:collab'], collabStartScript());
    const { args, env } = collabOnlyCommand();
    assert.ok(args.includes(SERVER_ENTRY) && args.at(-1) === '--collab-only');
    assert.ok(args.includes('--max-semi-space-size=2'));
    assert.equal(env.MALLOC_ARENA_MAX, '2');
  });

  it('start is the command the benchmarks and tests run: the same bundle, plain node', () => {
    assert.equal(scripts.start, startScript());
    const { args, env } = serverCommand();
    assert.equal(args.at(-1), SERVER_ENTRY);
    assert.ok(args.includes('--max-semi-space-size=2'));
    assert.equal(env.MALLOC_ARENA_MAX, '2');
    // The web app is built before it runs; no tsx runs the server itself.
    assert.match(scripts.start, /^tsx scripts\/ensure-build\.ts && /);
    assert.doesNotMatch(scripts.start, /tsx server\//);
    // Development keeps tsx (hot reload).
    assert.equal(scripts.dev, 'tsx server/main.ts --dev');
  });
});
