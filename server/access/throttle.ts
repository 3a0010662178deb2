/**
 * Slows down password guessing. Failed sign-ins are counted per (client address, email) and per
 * email alone within a window: 10 from one address pause that address for the account; 50 from
 * anywhere pause the account for everyone (a distributed attack), which also bounds how far a
 * stranger can lock someone out. In memory and per instance; a restart forgets.
 */
export interface ThrottleOptions {
  windowMs: number;
  perClient: number;
  perAccount: number;
  /** Most keys kept; expired ones are dropped first, then the oldest. */
  maxKeys: number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = {
  windowMs: 15 * 60_000,
  perClient: 10,
  perAccount: 50,
  maxKeys: 10_000,
};

interface Window {
  count: number;
  since: number;
}

export class SignInThrottle {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly options: ThrottleOptions = DEFAULT_THROTTLE,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until `email` may be tried again from `client`, or 0 if it may now. */
  retryAfter(client: string, email: string): number {
    const now = this.now();
    let wait = 0;
    for (const [key, limit] of this.keys(client, email)) {
      const window = this.current(key, now);
      if (window && window.count >= limit) {
        wait = Math.max(wait, window.since + this.options.windowMs - now);
      }
    }
    return wait;
  }

  recordFailure(client: string, email: string): void {
    const now = this.now();
    for (const [key] of this.keys(client, email)) {
      const window = this.current(key, now);
      if (window) window.count++;
      else this.insert(key, { count: 1, since: now }, now);
    }
  }

  /** A successful sign-in clears this address's count (not the account-wide one). */
  recordSuccess(client: string, email: string): void {
    this.windows.delete(`client:${client}|${email}`);
  }

  get size(): number {
    return this.windows.size;
  }

  private keys(client: string, email: string): [string, number][] {
    return [
      [`client:${client}|${email}`, this.options.perClient],
      [`account:${email}`, this.options.perAccount],
    ];
  }

  private current(key: string, now: number): Window | undefined {
    const window = this.windows.get(key);
    if (window && now - window.since >= this.options.windowMs) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }

  private insert(key: string, window: Window, now: number): void {
    if (this.windows.size >= this.options.maxKeys) {
      for (const [old, value] of this.windows) {
        if (now - value.since >= this.options.windowMs) this.windows.delete(old);
      }
      // Still full: forget the oldest (Map keeps insertion order).
      while (this.windows.size >= this.options.maxKeys) {
        const oldest = this.windows.keys().next().value as string;
        this.windows.delete(oldest);
      }
    }
    this.windows.set(key, window);
  }
}
