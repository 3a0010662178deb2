/**
 * A per-person sliding-window limit on named snapshots (NAMED_SNAPSHOT_RATE). Each named
 * snapshot is a full copy of the document, so a loop on the endpoint must not fill the database.
 * In memory: one server process owns the limit; a restart forgets it, which is harmless. With
 * several instances the limit is counted in Redis instead (server/sharedLimits.ts).
 */
import { RateLimitError } from '../../lib/errors';
import { NAMED_SNAPSHOT_RATE } from '../../lib/limits';

export interface RateWindow {
  limit: number;
  windowMs: number;
}

/** Refuses attempts over a limit: in memory here, in Redis with several instances. */
export interface RateLimiter {
  /** Records an attempt by `key`; throws RateLimitError (429) when it is over the limit. */
  consume(key: string, what: string): void | Promise<void>;
}

/** Counts attempts per key in a sliding window and refuses those over the limit. */
export class SlidingWindowLimiter implements RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly window: RateWindow = NAMED_SNAPSHOT_RATE,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records an attempt by `key`; throws RateLimitError (429) when it is over the limit. */
  consume(key: string, what: string): void {
    const now = this.now();
    const recent = (this.hits.get(key) ?? []).filter((at) => at > now - this.window.windowMs);
    if (recent.length >= this.window.limit) {
      this.hits.set(key, recent);
      const retryInSeconds = Math.ceil((recent[0]! + this.window.windowMs - now) / 1000);
      throw new RateLimitError(
        `too many ${what}: at most ${this.window.limit} per ${Math.round(this.window.windowMs / 1000)} seconds; try again in ${retryInSeconds} s`,
      );
    }
    recent.push(now);
    this.hits.set(key, recent);
    this.forgetIdle(now);
  }

  /** Drops keys with no attempt in the window, so the map holds only active people. */
  private forgetIdle(now: number): void {
    if (this.hits.size < 1_000) return;
    for (const [key, times] of this.hits) {
      if ((times.at(-1) ?? 0) <= now - this.window.windowMs) this.hits.delete(key);
    }
  }
}
