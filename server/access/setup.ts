/**
 * The first account of a fresh instance. The `setup.completed` setting row is the lock that
 * makes setup happen once, whether through the setup page or the admin CLI.
 */
import type { SetupBody, UserSummary } from '../../lib/access';
import { ConflictError, ForbiddenError } from '../../lib/errors';
import {
  type AccessDeps,
  createUserRow,
  isUniqueViolation,
  toUserSummary,
  type UserRow,
} from './deps';
import { startSession } from './sessions';
import { matchesSetupCode } from './setupCode';

const SETUP_KEY = 'setup.completed';

/** Whether the instance still has no account (the setup page is then offered). */
export async function isSetupRequired(deps: Pick<AccessDeps, 'database' | 'setup'>) {
  if (deps.setup.done) return false;
  deps.setup.done = (await deps.database.prisma.user.count()) > 0;
  return !deps.setup.done;
}

/** Marks the instance as set up; false if it already was (the row exists). */
export async function claimSetup(deps: Pick<AccessDeps, 'database'>): Promise<boolean> {
  try {
    await deps.database.prisma.appSetting.create({
      data: { key: SETUP_KEY, value: new Date().toISOString() },
    });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/** Creates the first account (admin) of a fresh instance and signs it in. */
export async function setUpInstance(
  deps: AccessDeps,
  body: SetupBody,
): Promise<{ user: UserSummary; sessionToken: string }> {
  if (!(await isSetupRequired(deps)))
    throw new ConflictError('this instance is already set up; sign in instead');
  if (deps.setup.code !== null && !matchesSetupCode(deps.setup.code, body.setupCode)) {
    throw new ForbiddenError(
      body.setupCode
        ? 'this setup code is not right; copy it from the server’s start-up log'
        : 'enter the setup code printed in the server’s start-up log (this server is reachable from the network)',
    );
  }
  // The setting row is the lock: of two concurrent setups, one claim fails.
  if (!(await claimSetup(deps)))
    throw new ConflictError('this instance is already set up; sign in instead');
  let user: UserRow;
  try {
    const { setupCode: _code, ...account } = body;
    user = await createUserRow(deps, { ...account, role: 'admin' });
  } catch (error) {
    // Release the claim, or the instance would count as set up with nobody able to sign in.
    await deps.database.prisma.appSetting.deleteMany({ where: { key: SETUP_KEY } }).catch(() => {});
    throw error;
  }
  deps.setup.done = true;
  deps.setup.code = null; // one-time
  deps.logger.info('first account created (admin)', { user: user.id });
  return { user: toUserSummary(user), sessionToken: await startSession(deps, user.id) };
}

/**
 * The setup code to show in the start-up log, or null when none is needed (loopback, or an
 * account exists already).
 */
export async function readSetupCode(deps: Pick<AccessDeps, 'database' | 'setup'>) {
  if (deps.setup.code === null || !(await isSetupRequired(deps))) return null;
  return deps.setup.code;
}
