/**
 * What every access operation works with, passed explicitly, and the pieces they share: the
 * public form of an account row, and `withdraw`, the one way access is taken away.
 */
import { Role, type UserSummary } from '../../lib/access';
import { ConflictError } from '../../lib/errors';
import { createId } from '../../lib/ids';
import type { Database } from '../db/database';
import type { EventBus, ServerEvent } from '../events/bus';
import type { Logger } from '../log';
import {
  type CredentialCache,
  createCredentialCache,
  subscribeCacheToAccessEvents,
} from './credentialCache';
import { hashPassword, SESSION_TTL_MS } from './credentials';
import type { Principal } from './policy';
import { createSetupCode } from './setupCode';
import { type AttemptThrottle, SignInThrottle } from './throttle';

export interface AccessDeps {
  database: Database;
  /** Where withdrawals are published (collaboration closes the matching connections). */
  bus: EventBus;
  cache: CredentialCache;
  logger: Logger;
  throttle: AttemptThrottle;
  /**
   * Whether this instance is known to be set up (once true the database is not asked again), and
   * the one-time code setup asks for when the server is reachable from the network (setup.ts).
   */
  setup: { done: boolean; code: string | null };
  /** How long a session lasts after its last refresh (SESSION_TTL_MS; shorter in tests). */
  sessionTtlMs: number;
}

export interface AccessOptions {
  database: Database;
  bus: EventBus;
  logger: Logger;
  /** The interface the server listens on: anything but loopback needs a setup code. */
  host?: string;
  sessionTtlMs?: number;
  /** Sign-in throttling shared by several instances (server/sharedLimits.ts); else in memory. */
  throttle?: AttemptThrottle;
}

/**
 * Builds the dependencies of the access operations for one instance, and subscribes the
 * credential cache to the bus so withdrawals published elsewhere clear it too.
 */
export function createAccessDeps(options: AccessOptions): AccessDeps {
  const { host, sessionTtlMs, throttle, ...shared } = options;
  const cache = createCredentialCache();
  subscribeCacheToAccessEvents(options.bus, cache);
  return {
    ...shared,
    cache,
    throttle: throttle ?? new SignInThrottle(),
    setup: { done: false, code: createSetupCode(host) },
    sessionTtlMs: sessionTtlMs ?? SESSION_TTL_MS,
  };
}

/**
 * Access was withdrawn (revoked, signed out, removed, role changed): forget every verified
 * credential at once, so nothing withdrawn is served from memory even before the event is
 * delivered, then publish it. Resolves with how many connections this instance closed.
 */
export function withdraw(deps: Pick<AccessDeps, 'bus' | 'cache'>, event: ServerEvent) {
  deps.cache.clear();
  return deps.bus.publish(event);
}

export type UserRow = {
  id: string;
  email: string;
  name: string;
  role: string;
  createdAt: Date;
};

/** The public fields of an account, picked one by one: never the password hash. */
export function toUser(row: UserRow): Extract<Principal, { kind: 'user' }>['user'] {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: Role.parse(row.role),
    createdAt: row.createdAt,
  };
}

/** An account as the API returns it. */
export function toUserSummary(user: UserRow): UserSummary {
  return { ...toUser(user), createdAt: user.createdAt.toISOString() };
}

/** Whether a Prisma error is a unique-constraint violation (the row already exists). */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'P2002';
}

/** Creates an account row; a taken email is a 409. */
export async function createUserRow(
  deps: Pick<AccessDeps, 'database'>,
  input: { email: string; name: string; password: string; role: Role },
): Promise<UserRow> {
  try {
    return await deps.database.prisma.user.create({
      data: {
        id: createId(),
        email: input.email,
        name: input.name,
        role: input.role,
        passwordHash: await hashPassword(input.password),
      },
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new ConflictError(`an account for ${input.email} already exists`);
    throw error;
  }
}
