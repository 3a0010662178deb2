/**
 * Recently verified credentials, by token hash. Saves a query per request, and keeps people who
 * were working able to reconnect while the database is briefly unreachable (their edits are then
 * held in memory, see collab/extensions/persistence.ts). Cleared whenever access is withdrawn, so a revoked
 * link or removed account stops working at once; with several instances the withdrawal events
 * reach every instance's cache through the event bus.
 */
import type { EventBus, ServerEventType } from '../events/bus';
import type { Principal } from './policy';

/** How long verified credentials are trusted without asking the database again. */
export const VERIFIED_FRESH_MS = 30_000;
/** How long they are still trusted while the database cannot be asked. */
export const VERIFIED_STALE_MS = 15 * 60_000;
const MAX_VERIFIED = 10_000;

export interface VerifiedCredential {
  principal: Principal;
  /** When it was verified (epoch ms). */
  at: number;
  /** When the credential itself stops working (epoch ms), if it does. */
  expiresAt: number | null;
}

export interface CredentialCache {
  get(tokenHash: string): VerifiedCredential | undefined;
  set(tokenHash: string, entry: VerifiedCredential): void;
  delete(tokenHash: string): void;
  /** Forgets everything (access was withdrawn somewhere) and starts a new generation. */
  clear(): void;
  /**
   * Counts withdrawals. A verification notes it before asking the database and compares after:
   * if it moved, access was withdrawn while the answer was on its way, so the answer may be
   * stale and is neither cached nor used (tokenLookup.ts asks again).
   */
  generation(): number;
}

/** Creates an empty cache; it forgets everything when full rather than tracking age. */
export function createCredentialCache(): CredentialCache {
  const verified = new Map<string, VerifiedCredential>();
  let generation = 0;
  return {
    get: (tokenHash) => verified.get(tokenHash),
    set(tokenHash, entry) {
      if (verified.size >= MAX_VERIFIED) verified.clear();
      verified.set(tokenHash, entry);
    },
    delete: (tokenHash) => void verified.delete(tokenHash),
    clear() {
      generation++;
      verified.clear();
    },
    generation: () => generation,
  };
}

/** Every event after which a cached credential may no longer be valid. */
const WITHDRAWING_EVENTS: ServerEventType[] = [
  'credential.withdrawn',
  'role.changed',
  'account.removed',
  'link.revoked',
];

/**
 * Clears the cache on every withdrawing event, including those published by other instances;
 * returns the function that unsubscribes.
 */
export function subscribeCacheToAccessEvents(bus: EventBus, cache: CredentialCache): () => void {
  const unsubscribers = WITHDRAWING_EVENTS.map((type) =>
    bus.subscribe(type, () => {
      cache.clear();
      return 0;
    }),
  );
  return () => {
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}
