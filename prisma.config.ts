import { existsSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'prisma/config';

// Prisma's CLI downloads a native schema engine before every command, which fails offline.
// When no engine is configured we point it at a stub that answers `--version` (enough for
// `prisma generate`) and fails loudly for anything else. Migrations are applied by our own
// runner (server/db/migrate.ts) from the committed SQL files.
if (!process.env.PRISMA_SCHEMA_ENGINE_BINARY) {
  const stub = path.resolve('prisma/schema-engine-stub.cjs');
  if (existsSync(stub)) process.env.PRISMA_SCHEMA_ENGINE_BINARY = stub;
}

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres' },
});
