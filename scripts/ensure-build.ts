/**
 * Builds the Next.js app unless the existing build was made from exactly the current sources.
 * Used by `npm start` and the test scripts so that a fresh clone just works and a stale build is
 * never served. The fingerprint covers everything Next bundles plus the lock file.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const INPUTS = [
  'proxy.ts',
  'app',
  'components',
  'lib',
  'server/context.ts',
  'next.config.js',
  'tsconfig.json',
  'package-lock.json',
];
const DIST_DIR = path.join(ROOT, process.env.NEXT_DIST_DIR || '.next');
const FINGERPRINT = path.join(DIST_DIR, 'chronoboard-source-hash');

function listFiles(entry: string): string[] {
  const full = path.join(ROOT, entry);
  if (!existsSync(full)) return [];
  if (statSync(full).isFile()) return [entry];
  return readdirSync(full)
    .sort()
    .flatMap((name) => listFiles(path.join(entry, name)));
}

const hash = createHash('sha256');
for (const file of INPUTS.flatMap(listFiles)) {
  hash.update(file);
  hash.update(readFileSync(path.join(ROOT, file)));
}
const fingerprint = hash.digest('hex');

const built =
  existsSync(path.join(DIST_DIR, 'BUILD_ID')) &&
  existsSync(FINGERPRINT) &&
  readFileSync(FINGERPRINT, 'utf8') === fingerprint;

if (built) {
  console.log('ensure-build: the build is up to date');
} else {
  console.log('ensure-build: building the web app (next build)…');
  const result = spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules/next/dist/bin/next'), 'build'],
    {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    },
  );
  if (result.status !== 0) {
    console.error('ensure-build: next build failed');
    process.exit(result.status ?? 1);
  }
  writeFileSync(FINGERPRINT, fingerprint);
}
