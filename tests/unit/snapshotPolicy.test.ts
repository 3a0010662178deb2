/** The pure rules of snapshots: thinning selection, spacing, and the named-snapshot rate limit. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  selectSnapshotsToThin,
  waitBeforeAutoSnapshot,
} from '../../server/collab/extensions/autoSnapshotsPolicy';
import { SlidingWindowLimiter } from '../../server/services/historyRateLimit';

const at = (iso: string) => new Date(iso);

describe('selectSnapshotsToThin', () => {
  it('keeps the newest automatic snapshot of each UTC day and returns the others', () => {
    const older = [
      { id: 'a', kind: 'auto' as const, createdAt: at('2026-06-09T23:59:00Z') },
      { id: 'b', kind: 'auto' as const, createdAt: at('2026-06-09T00:01:00Z') },
      { id: 'n', kind: 'named' as const, createdAt: at('2026-06-08T12:00:00Z') },
      { id: 'c', kind: 'auto' as const, createdAt: at('2026-06-08T10:00:00Z') },
      { id: 'd', kind: 'auto' as const, createdAt: at('2026-06-08T09:00:00Z') },
    ];
    assert.deepEqual(selectSnapshotsToThin(older), ['b', 'd']);
  });

  it('deletes at most the bound per run', () => {
    const older = Array.from({ length: 10 }, (_, i) => ({
      id: `s${i}`,
      kind: 'auto' as const,
      createdAt: at(`2026-06-09T${String(20 - i).padStart(2, '0')}:00:00Z`),
    }));
    assert.deepEqual(selectSnapshotsToThin(older, 3), ['s1', 's2', 's3']);
  });
});

describe('waitBeforeAutoSnapshot', () => {
  it('is zero without a previous snapshot or once the spacing has passed', () => {
    const now = at('2026-06-09T12:00:00Z');
    assert.equal(waitBeforeAutoSnapshot(undefined, now, 60_000), 0);
    assert.equal(waitBeforeAutoSnapshot({ createdAt: at('2026-06-09T11:58:00Z') }, now, 60_000), 0);
    assert.equal(
      waitBeforeAutoSnapshot({ createdAt: at('2026-06-09T11:59:30Z') }, now, 60_000),
      30_000,
    );
  });
});

describe('SlidingWindowLimiter', () => {
  it('refuses the attempt over the limit with a 429 and frees up as the window slides', () => {
    let now = 0;
    const limiter = new SlidingWindowLimiter({ limit: 2, windowMs: 1_000 }, () => now);
    limiter.consume('ana', 'named snapshots');
    now = 500;
    limiter.consume('ana', 'named snapshots');
    assert.throws(
      () => limiter.consume('ana', 'named snapshots'),
      (error: Error & { status?: number }) =>
        error.status === 429 && /at most 2 per 1 seconds; try again in 1 s/.test(error.message),
    );
    limiter.consume('ben', 'named snapshots');
    now = 1_001;
    limiter.consume('ana', 'named snapshots');
  });
});
