/**
 * Builds the Next.js app unless the existing build was made from exactly the current sources.
 * Used by `npm start` and the test scripts so that a fresh clone just works and a stale build is
 * never served. The fingerprint covers everything Next bundles plus the lock file.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sourceFingerprint } from './sourceFingerprint';

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

const fingerprint = sourceFingerprint(ROOT, INPUTS);

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
