/**
 * The first account of a fresh instance. The `setup.completed` setting row is the lock that
 * makes setup happen once, whether through the setup page or the admin CLI.
 */
import type { SetupBody, UserSummary } from '../../lib/access';
import { ConflictError } from '../../lib/errors';
import {
  type AccessDeps,
  createUserRow,
  isUniqueViolation,
  toUserSummary,
  type UserRow,
} from './deps';
import { startSession } from './sessions';

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
  // The setting row is the lock: of two concurrent setups, one claim fails.
  if (!(await claimSetup(deps)))
    throw new ConflictError('this instance is already set up; sign in instead');
  let user: UserRow;
  try {
    user = await createUserRow(deps, { ...body, role: 'admin' });
  } catch (error) {
    // Release the claim, or the instance would count as set up with nobody able to sign in.
    await deps.database.prisma.appSetting.deleteMany({ where: { key: SETUP_KEY } }).catch(() => {});
    throw error;
  }
  deps.setup.done = true;
  deps.logger.info('first account created (admin)', { user: user.id });
  return { user: toUserSummary(user), sessionToken: await startSession(deps, user.id) };
}
