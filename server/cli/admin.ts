/**
 * Administration from the shell, for bootstrapping and automation:
 *
 *   npm run admin -- create-user <email> --role <admin|editor|viewer> [--name "<name>"]
 *   npm run admin -- create-token <email> [--name "<token name>"]
 *
 * Uses the same database as the server (DATABASE_URL, else PGlite in DATA_DIR). The embedded
 * database can be open in one process only: stop the server first, or use PostgreSQL.
 * Prints the generated password or token on stdout (only that, so scripts can capture it).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Email, Role } from '../../lib/access';
import { createApiTokenFor } from '../access/apiTokens';
import { createAccessDeps } from '../access/deps';
import { createUser } from '../access/people';
import { openDatabase } from '../db/database';
import { createLocalEventBus } from '../events/bus';
import { createLogger } from '../log';

const USAGE = `usage:
  npm run admin -- create-user <email> --role <admin|editor|viewer> [--name "<name>"]
  npm run admin -- create-token <email> [--name "<token name>"]`;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

const { positionals, values } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: { role: { type: 'string' }, name: { type: 'string' } },
    });
  } catch (error) {
    return fail(`${(error as Error).message}\n${USAGE}`);
  }
})();
const [command, rawEmail] = positionals;
if (!command || !rawEmail || positionals.length > 2) fail(USAGE);
const email = Email.safeParse(rawEmail);
if (!email.success) fail(`invalid email: ${email.error.issues[0]?.message ?? rawEmail}`);

const database = await openDatabase({
  databaseUrl: process.env.DATABASE_URL || undefined,
  dataDir: path.resolve(import.meta.dirname, '../..', process.env.DATA_DIR ?? '.data'),
}).catch((error: Error) => fail(`cannot open the database: ${error.message}`));
const logger = createLogger('error');
// No live connections in this process: withdrawals (none today) reach nobody.
const deps = createAccessDeps({ database, logger, bus: createLocalEventBus(logger) });

try {
  if (command === 'create-user') {
    const role = Role.safeParse(values.role);
    if (!role.success) fail(`--role must be admin, editor or viewer\n${USAGE}`);
    const { user, password } = await createUser(deps, {
      email: email.data,
      name: values.name,
      role: role.data,
    });
    process.stderr.write(`created ${user.role} ${user.email}; their password:\n`);
    process.stdout.write(`${password}\n`);
  } else if (command === 'create-token') {
    const created = await createApiTokenFor(deps, email.data, values.name ?? 'command line');
    process.stderr.write(`API token for ${email.data} (use as "Authorization: Bearer <token>"):\n`);
    process.stdout.write(`${created.token}\n`);
  } else {
    fail(`unknown command ${command}\n${USAGE}`);
  }
} catch (error) {
  await database.close();
  fail((error as Error).message);
}
await database.close();
