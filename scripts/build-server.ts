/**
 * Builds the server as plain JavaScript that Node runs without tsx: an esbuild bundle of
 * server/main.ts in dist/server/, unless the existing one was built from exactly the current
 * sources. Both production processes run it: `npm start` (web app and collaboration in one
 * process, `serverCommand()`) and `npm run start:collab` (`collabOnlyCommand()`). tsx's loader,
 * its transform cache and the source text and source maps it keeps cost ~27 MiB of the
 * collaboration-only process's 150 MiB budget (BENCHMARKS.md "Idle connections") and more in the
 * all-in-one ("Bulk changes"). `npm run dev` stays on tsx (hot reload).
 *
 * Packages stay external: Node loads them from node_modules as usual (the native and WebAssembly
 * ones — argon2, Prisma's query compiler, pg — must, and so does Next.js, which finds the app's
 * build in `.next/` from the project root). Modules loaded with `await import()` stay lazy: they
 * become chunks of their own (code splitting), so a package they import is loaded only when they
 * are. A bundled file's `import.meta.url` and `import.meta.dirname` are rewritten to name its own
 * source file and folder, so paths computed from them (the project root, the migrations, the
 * fonts, the decode and export workers) are the same as under tsx.
 *
 * `tsx scripts/build-server.ts` builds if needed; importing it gives the commands that run the
 * processes (what package.json's start and start:collab run, the benchmarks and tests spawn).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sourceFingerprint } from './sourceFingerprint';

const ROOT = path.resolve(import.meta.dirname, '..');
/** Where the bundle goes (gitignored). */
export const SERVER_DIST = path.join(ROOT, 'dist/server');
/** The bundle's entry, relative to the project root. */
export const SERVER_ENTRY = 'dist/server/main.mjs';

/**
 * Node's options for both processes, and the environment they need before Node starts (the C
 * library reads MALLOC_ARENA_MAX once, at the first allocation). package.json's start and
 * start:collab spell out the same commands (tests/unit/collabCommand.test.ts checks that they
 * agree).
 * - `--max-semi-space-size=2`: V8's young generation is at most 2 MiB per semi-space instead of
 *   16; an idle connection allocates nothing, and a process otherwise keeps up to 32 MiB
 *   committed for it from its first burst on. 1 MiB saved a little more but cost 8-16 % more CPU
 *   per relayed edit (more scavenges; BENCHMARKS.md "Idle connections"). In the all-in-one it
 *   lowered the peak of a 100,000-event import by 45-50 MiB ("Bulk changes").
 * - MALLOC_ARENA_MAX=2: glibc gives each thread that allocates (libuv's pool, V8's helpers) an
 *   arena of its own, up to 8 per core, each keeping what it freed.
 */
export const SERVER_NODE_OPTIONS = ['--max-semi-space-size=2'];
export const SERVER_ENV: Record<string, string> = { MALLOC_ARENA_MAX: '2' };

export interface ServerCommand {
  /** Node's arguments (after any of the caller's own), run from the project root. */
  args: string[];
  env: Record<string, string>;
}

/** The all-in-one process (`npm start`): the web app and the collaboration websocket. */
export function serverCommand(): ServerCommand {
  return { args: [...SERVER_NODE_OPTIONS, SERVER_ENTRY], env: { ...SERVER_ENV } };
}

/** The collaboration-only process (`npm run start:collab`). */
export function collabOnlyCommand(): ServerCommand {
  const { args, env } = serverCommand();
  return { args: [...args, '--collab-only'], env };
}

function runScript(command: ServerCommand): string {
  const env = Object.entries(command.env).map(([name, value]) => `${name}=${value}`);
  return [...env, 'node', ...command.args].join(' ');
}

/** package.json's start: build the web app and the bundle if needed, then run it. */
export function startScript(): string {
  return `tsx scripts/ensure-build.ts && tsx scripts/build-server.ts && ${runScript(serverCommand())}`;
}

/** package.json's start:collab: build the bundle if needed (not the web app), then run it. */
export function collabStartScript(): string {
  return `tsx scripts/build-server.ts && ${runScript(collabOnlyCommand())}`;
}

/** The sources the bundle is made of, plus what decides how it is made. */
const INPUTS = ['server', 'lib', 'scripts/build-server.ts', 'package-lock.json', 'tsconfig.json'];
const FINGERPRINT = path.join(SERVER_DIST, 'source-hash');

let inFlight: Promise<boolean> | null = null;

/**
 * Builds the bundle unless it is up to date; resolves with whether it built. Callers in one
 * process share one build (the e2e setup starts two servers at once).
 */
export function ensureServerBuild(log: (line: string) => void = console.log): Promise<boolean> {
  inFlight ??= buildIfStale(log).finally(() => {
    inFlight = null;
  });
  return inFlight;
}

async function buildIfStale(log: (line: string) => void): Promise<boolean> {
  const fingerprint = sourceFingerprint(ROOT, INPUTS);
  if (
    existsSync(path.join(ROOT, SERVER_ENTRY)) &&
    existsSync(FINGERPRINT) &&
    readFileSync(FINGERPRINT, 'utf8') === fingerprint
  ) {
    return false;
  }
  log('build-server: bundling the server (esbuild)…');
  const esbuild = await import('esbuild');
  // Built beside, then swapped in: an interrupted build never leaves a half bundle in place.
  const building = `${SERVER_DIST}.building-${process.pid}-${randomBytes(4).toString('hex')}`;
  rmSync(building, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: {
      main: path.join(ROOT, 'server/main.ts'),
      // The export worker thread (server/export/offThread.ts starts it in the bundle).
      'render-worker': path.join(ROOT, 'server/export/renderWorker.ts'),
    },
    outdir: building,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    define: { CHRONOBOARD_BUNDLE: 'true' },
    logLevel: 'warning',
    plugins: [
      {
        name: 'source-locations',
        setup(build) {
          build.onLoad({ filter: /\.(ts|mjs|js)$/ }, (args) => {
            const source = readFileSync(args.path, 'utf8');
            if (!source.includes('import.meta.')) return undefined;
            const relativeFile = path.relative(SERVER_DIST, args.path).split(path.sep).join('/');
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
  const old = `${SERVER_DIST}.old-${process.pid}-${randomBytes(4).toString('hex')}`;
  if (existsSync(SERVER_DIST)) renameSync(SERVER_DIST, old);
  renameSync(building, SERVER_DIST);
  rmSync(old, { recursive: true, force: true });
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await ensureServerBuild();
}
