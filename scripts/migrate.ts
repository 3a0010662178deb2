/**
 * `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded PGlite in
 * DATA_DIR (default ./.data), without starting the server.
 */
import path from 'node:path';
import { openDatabase } from '../server/db/database';

const root = path.resolve(import.meta.dirname, '..');
const database = await openDatabase({
  databaseUrl: process.env.DATABASE_URL || undefined,
  dataDir: path.resolve(root, process.env.DATA_DIR ?? '.data'),
});
console.log(`migrations applied (${database.kind})`);
await database.close();
