/**
 * Builds the collaboration-only process (`npm run start:collab`) as plain JavaScript that Node
 * runs without tsx: an esbuild bundle of server/main.ts in dist/collab/, unless the existing one
 * was built from exactly the current sources. tsx's loader and its transform cache cost that
 * process ~27 MiB of its 150 MiB budget (BENCHMARKS.md "Idle connections").
 *
 * Packages stay external: Node loads them from node_modules as usual (the native and WebAssembly
 * ones — argon2, Prisma's query compiler, pg — must). Modules loaded with `await import()` stay
 * lazy: they become chunks of their own (code splitting), so a package they import is loaded only
 * when they are. A bundled file's `import.meta.url` and `import.meta.dirname` are rewritten to
 * name its own source file and folder, so paths computed from them (the project root, the
 * migrations, the decode worker) are the same as under tsx.
 *
 * `tsx scripts/build-collab.ts` builds if needed; importing it gives the command that runs the
 * process (what package.json's start:collab runs, bench/idle.ts and the tests spawn).
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
/** Where the bundle goes (gitignored). */
export const COLLAB_DIST = path.join(ROOT, 'dist/collab');
/** The bundle's entry, relative to the project root. */
export const COLLAB_ENTRY = 'dist/collab/main.mjs';

/**
 * Node's options for that process, and the environment it needs before Node starts (the C
 * library reads MALLOC_ARENA_MAX once, at the first allocation). package.json's start:collab
 * spells out the same command (tests/unit/collabCommand.test.ts checks that they agree).
 * - `--max-semi-space-size=2`: V8's young generation is at most 2 MiB per semi-space instead of
 *   16; an idle connection allocates nothing, and this process otherwise keeps up to 32 MiB
 *   committed for it from its first burst on. 1 MiB saved a little more but cost 8-16 % more CPU
 *   per relayed edit (more scavenges; BENCHMARKS.md "Idle connections").
 * - MALLOC_ARENA_MAX=2: glibc gives each thread that allocates (libuv's pool, V8's helpers) an
 *   arena of its own, up to 8 per core, each keeping what it freed.
 */
export const COLLAB_NODE_OPTIONS = ['--max-semi-space-size=2'];
export const COLLAB_ENV: Record<string, string> = { MALLOC_ARENA_MAX: '2' };

/** The collaboration-only process: Node's arguments (after any of the caller's own) and env. */
export function collabOnlyCommand(): { args: string[]; env: Record<string, string> } {
  return { args: [...COLLAB_NODE_OPTIONS, COLLAB_ENTRY, '--collab-only'], env: { ...COLLAB_ENV } };
}

/** package.json's start:collab: build if needed, then run the bundle with plain node. */
export function collabStartScript(): string {
  const env = Object.entries(COLLAB_ENV).map(([name, value]) => `${name}=${value}`);
  return `tsx scripts/build-collab.ts && ${[...env, 'node', ...collabOnlyCommand().args].join(' ')}`;
}

/** The sources the bundle is made of, plus what decides how it is made. */
const INPUTS = ['server', 'lib', 'scripts/build-collab.ts', 'package-lock.json', 'tsconfig.json'];
const FINGERPRINT = path.join(COLLAB_DIST, 'source-hash');

function listFiles(entry: string): string[] {
  const full = path.join(ROOT, entry);
  if (!existsSync(full)) return [];
  if (statSync(full).isFile()) return [entry];
  return readdirSync(full)
    .sort()
    .flatMap((name) => listFiles(path.join(entry, name)));
}

function sourceFingerprint(): string {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap(listFiles)) {
    hash.update(file);
    hash.update(readFileSync(path.join(ROOT, file)));
  }
  return hash.digest('hex');
}

/** Builds the bundle unless it is up to date; returns whether it built. */
export async function ensureCollabBuild(log: (line: string) => void = console.log) {
  const fingerprint = sourceFingerprint();
  if (
    existsSync(path.join(ROOT, COLLAB_ENTRY)) &&
    existsSync(FINGERPRINT) &&
    readFileSync(FINGERPRINT, 'utf8') === fingerprint
  ) {
    return false;
  }
  log('build-collab: bundling the collaboration-only server (esbuild)…');
  const esbuild = await import('esbuild');
  // Built beside, then swapped in: an interrupted build never leaves a half bundle in place.
  const building = `${COLLAB_DIST}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: { main: path.join(ROOT, 'server/main.ts') },
    outdir: building,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    define: { CHRONOBOARD_COLLAB_BUNDLE: 'true' },
    logLevel: 'warning',
    plugins: [
      {
        name: 'source-locations',
        setup(build) {
          build.onLoad({ filter: /\.(ts|mjs|js)$/ }, (args) => {
            const source = readFileSync(args.path, 'utf8');
            if (!source.includes('import.meta.')) return undefined;
            const relativeFile = path.relative(COLLAB_DIST, args.path).split(path.sep).join('/');
            const sourceUrl = `new URL(${JSON.stringify(relativeFile)}, import.meta.url)`;
            // One pass: what replaces `import.meta.dirname` itself holds `import.meta.url`.
            const contents = source.replace(/import\.meta\.(dirname|url)\b/g, (_, which) =>
              which === 'url'
                ? `${sourceUrl}.href`
                : `bundledSourcePath.dirname(bundledSourceFile(${sourceUrl}))`,
            );
            return {
              contents: contents.includes('bundledSourcePath')
                ? `import bundledSourcePath from 'node:path';\nimport { fileURLToPath as bundledSourceFile } from 'node:url';\n${contents}`
                : contents,
              loader: args.path.endsWith('.ts') ? 'ts' : 'js',
            };
          });
        },
      },
    ],
  });
  writeFileSync(path.join(building, path.basename(FINGERPRINT)), fingerprint);
  const old = `${COLLAB_DIST}.old-${process.pid}`;
  if (existsSync(COLLAB_DIST)) renameSync(COLLAB_DIST, old);
  renameSync(building, COLLAB_DIST);
  rmSync(old, { recursive: true, force: true });
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await ensureCollabBuild();
}
