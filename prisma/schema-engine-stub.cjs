#!/usr/bin/env node
// Stand-in for Prisma's Rust schema engine, which cannot be downloaded on machines without
// internet access. `prisma generate` only needs the engine to exist and report a version;
// every other engine command must fail loudly instead of silently doing nothing.
if (process.argv.includes('--version')) {
  console.log('schema-engine-cli stub (chronoboard: migrations are applied by scripts/migrate.ts)');
  process.exit(0);
}
console.error(
  'chronoboard: the Prisma schema engine is not installed here. Migrations are plain SQL in ' +
    'prisma/migrations and are applied by `npm run db:migrate` (or automatically at start).',
);
process.exit(1);
