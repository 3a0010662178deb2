/**
 * Slows down password guessing. Attempts are counted per (client address, email) and per email
 * alone within a window: 10 from one address pause that address for the account; 50 from
 * anywhere pause the account for everyone (a distributed attack), which also bounds how far a
 * stranger can lock someone out. Unknown emails count exactly like known ones (otherwise the
 * answer would tell which addresses have accounts). The change-password form is counted per
 * account: a stolen session must not become an unlimited password oracle.
 *
 * An attempt is reserved (counted) before the password is verified and released when it turns
 * out right, so a parallel burst gets no more guesses than a serial one: verification is slow
 * (argon2) and every request of a burst would otherwise pass the check before any had failed.
 *
 * In memory and per instance (with REDIS_URL, server/sharedLimits.ts counts across instances and
 * falls back to this one while Redis is unreachable); a restart forgets. The map is bounded, but a key that is still
 * limiting is never forgotten to make room (that would reopen the account to guessing): expired
 * keys go first, then the oldest keys that are not limiting; if every key is limiting, new
 * attempts are refused until some expire.
 */
/**
 * What sign-in and change-password count attempts with: this in-memory `SignInThrottle`, or with
 * several instances the Redis one (server/sharedLimits.ts), which keeps the same rules.
 */
export interface AttemptThrottle {
  /** Counts a sign-in attempt before the password is checked; 0, or the ms to wait. */
  reserve(client: string, email: string): number | Promise<number>;
  /** The reserved attempt was right: it does not count, and this address starts afresh. */
  release(client: string, email: string): void | Promise<void>;
  reservePasswordChange(userId: string): number | Promise<number>;
  releasePasswordChange(userId: string): void | Promise<void>;
}

export interface ThrottleOptions {
  windowMs: number;
  perClient: number;
  perAccount: number;
  /** Most keys kept. */
  maxKeys: number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = {
  windowMs: 15 * 60_000,
  perClient: 10,
  perAccount: 50,
  maxKeys: 100_000,
};

interface Window {
  count: number;
  since: number;
  limit: number;
}

type Key = [key: string, limit: number];

export class SignInThrottle implements AttemptThrottle {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly options: ThrottleOptions = DEFAULT_THROTTLE,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until `email` may be tried again from `client`, or 0 if it may now. */
  retryAfter(client: string, email: string): number {
    return this.waitFor(this.signInKeys(client, email), this.now());
  }

  /**
   * Counts a sign-in attempt before the password is checked: returns 0 when it was counted and
   * may go ahead, else the milliseconds to wait (nothing was counted).
   */
  reserve(client: string, email: string): number {
    return this.reserveKeys(this.signInKeys(client, email));
  }

  /** The reserved attempt was right: it does not count, and this address starts afresh. */
  release(client: string, email: string): void {
    const account = this.windows.get(`account:${email}`);
    if (account && account.count > 0) account.count--;
    this.recordSuccess(client, email);
  }

  /** Counts a failed attempt without checking the limit first (see `reserve`). */
  recordFailure(client: string, email: string): void {
    const now = this.now();
    for (const key of this.signInKeys(client, email)) this.count(key, now);
  }

  /** A successful sign-in clears this address's count (not the account-wide one). */
  recordSuccess(client: string, email: string): void {
    this.windows.delete(`client:${client}|${email}`);
  }

  /** Counts an attempt at the change-password form of one account; 0 or the wait as above. */
  reservePasswordChange(userId: string): number {
    return this.reserveKeys([[`password:${userId}`, this.options.perClient]]);
  }

  /** The current password was right: the account's change-password count starts afresh. */
  releasePasswordChange(userId: string): void {
    this.windows.delete(`password:${userId}`);
  }

  get size(): number {
    return this.windows.size;
  }

  private signInKeys(client: string, email: string): Key[] {
    return [
      [`client:${client}|${email}`, this.options.perClient],
      [`account:${email}`, this.options.perAccount],
    ];
  }

  /** Checks and counts in one synchronous step, so concurrent requests cannot both pass. */
  private reserveKeys(keys: Key[]): number {
    const now = this.now();
    const wait = this.waitFor(keys, now);
    if (wait > 0) return wait;
    const missing = keys.filter(([key]) => !this.current(key, now)).length;
    if (!this.makeRoom(missing, now)) return this.options.windowMs;
    for (const key of keys) this.count(key, now);
    return 0;
  }

  private waitFor(keys: Key[], now: number): number {
    let wait = 0;
    for (const [key, limit] of keys) {
      const window = this.current(key, now);
      if (window && window.count >= limit) {
        wait = Math.max(wait, window.since + this.options.windowMs - now);
      }
    }
    return wait;
  }

  private count([key, limit]: Key, now: number): void {
    const window = this.current(key, now);
    if (window) {
      window.count++;
      return;
    }
    // recordFailure does not ask first; when no room can be made it still counts (one over).
    this.makeRoom(1, now);
    this.windows.set(key, { count: 1, since: now, limit });
  }

  private current(key: string, now: number): Window | undefined {
    const window = this.windows.get(key);
    if (window && now - window.since >= this.options.windowMs) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }

  /** Frees `needed` places without forgetting a limiting key; false if that is impossible. */
  private makeRoom(needed: number, now: number): boolean {
    if (this.windows.size + needed <= this.options.maxKeys) return true;
    for (const [key, window] of this.windows) {
      if (now - window.since >= this.options.windowMs) this.windows.delete(key);
    }
    // Map keeps insertion order, so this forgets the oldest non-limiting keys first.
    for (const [key, window] of this.windows) {
      if (this.windows.size + needed <= this.options.maxKeys) break;
      if (window.count < window.limit) this.windows.delete(key);
    }
    return this.windows.size + needed <= this.options.maxKeys;
  }
}
