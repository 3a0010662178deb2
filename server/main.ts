/**
 * Entry point: `tsx server/main.ts [--dev] [--collab-only]`.
 * Configuration comes from the environment (see README: PORT, HOST, DATABASE_URL, DATA_DIR,
 * REDIS_URL, REDIS_PREFIX). `--collab-only` serves only the collaboration websocket and
 * /api/health, without Next.js. `npm start` and `npm run start:collab` run a bundle of this file
 * under plain node (scripts/build-server.ts); `npm run dev` runs it under tsx.
 */
import path from 'node:path';
import v8 from 'node:v8';
import { MAX_CONNECTIONS_PER_IP } from '../lib/limits';
import { PROJECT_ROOT, startServer } from './app';
import { createLogger } from './log';

const logger = createLogger();

function numberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    logger.error(`${name} must be a non-negative number of milliseconds`, { value: raw });
    process.exit(1);
  }
  return value;
}
const args = new Set(process.argv.slice(2));
const dev = args.has('--dev');

// Prisma plans each query in a WebAssembly module (its query compiler). V8 compiles that module's
// hot functions a second time with its optimising tier, which left ~45-90 MiB more resident in
// this process for the rest of its life (bench/idle.ts; BENCHMARKS.md "Idle connections"), for
// no query latency we could measure. Keep V8's baseline WebAssembly tier only. Not with PGlite:
// there the database itself runs in WebAssembly. Set before the first query compiles the module.
if (process.env.DATABASE_URL && process.env.WASM_OPTIMIZE !== 'true') {
  v8.setFlagsFromString('--liftoff-only');
}

const server = await startServer({
  port: Number(process.env.PORT ?? 3000),
  host: process.env.HOST ?? '127.0.0.1',
  databaseUrl: process.env.DATABASE_URL || undefined,
  dataDir: path.resolve(PROJECT_ROOT, process.env.DATA_DIR ?? '.data'),
  web: args.has('--collab-only') ? false : { dev },
  seedDemo: process.env.SEED_DEMO !== 'false',
  sessionTtlMs: process.env.SESSION_TTL_MS ? numberFromEnv('SESSION_TTL_MS', 0) : undefined,
  trustProxy: process.env.TRUST_PROXY === 'true',
  trustedProxies: (process.env.TRUSTED_PROXIES ?? '').split(',').filter((entry) => entry.trim()),
  redis: process.env.REDIS_URL
    ? {
        url: process.env.REDIS_URL,
        prefix: process.env.REDIS_PREFIX || undefined,
        leaseMs: numberFromEnv('REDIS_LEASE_MS', 0) || undefined,
        resyncMs: numberFromEnv('REDIS_RESYNC_MS', 0) || undefined,
      }
    : undefined,
  collab: {
    shutdownTimeoutMs: numberFromEnv('SHUTDOWN_TIMEOUT_MS', 10_000),
    idleMs: numberFromEnv('ROOM_IDLE_MS', 5_000),
    deferLoadMs: process.env.ROOM_DEFER_LOAD_MS
      ? numberFromEnv('ROOM_DEFER_LOAD_MS', 0)
      : undefined,
    maxConnectionsPerIp: numberFromEnv('MAX_CONNECTIONS_PER_IP', MAX_CONNECTIONS_PER_IP),
    history: { activitySnapshotMs: numberFromEnv('AUTO_SNAPSHOT_MS', 10 * 60_000) },
  },
  logger,
}).catch((error: unknown) => {
  logger.error('could not start', { error, stack: (error as Error).stack });
  process.exit(1);
});

// Tests and scripts read this line to learn the port when PORT=0.
process.stdout.write(`Chronoboard ready on ${server.url}\n`);
if (
  !args.has('--collab-only') &&
  (await server.services.access.isSetupRequired().catch(() => false))
) {
  process.stdout.write(
    `No account exists yet: open ${server.url}/setup to create the admin account (or run \`npm run admin -- create-user <email> --role admin\`).\n`,
  );
  // Printed (and logged, for log collectors) only here: whoever reads it runs the server.
  const setupCode = await server.services.access.readSetupCode().catch(() => null);
  if (setupCode) {
    process.stdout.write(
      `This server is reachable from the network: /setup asks for the setup code ${setupCode}\n`,
    );
    logger.warn('setup needs the one-time setup code', { setupCode });
  }
}

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down: persisting open timelines', { signal });
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('shutdown failed', { error });
        process.exit(1);
      },
    );
  });
}
