import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  encodePersistedQuery,
  PERSISTED_MESSAGE_TYPE,
  SaveTracker,
  type SaveTrackerOptions,
} from '../../components/timeline/session/saveTracker';
import { decodeClientMessage, encodePersistedAck, MessageType } from '../../server/collab/protocol';

/** A tracker with a fake clock and a fake connection that records the queries it sends. */
function setup(options: Partial<SaveTrackerOptions> & { online?: boolean } = {}) {
  const sent: number[] = [];
  const timers = new Map<number, { at: number; callback: () => void }>();
  const changes: number[] = [];
  let now = 0;
  let nextTimer = 1;
  let online = options.online ?? true;
  const tracker = new SaveTracker({
    batchMs: 80,
    sendQuery: (token) => {
      if (!online) return false;
      sent.push(token);
      return true;
    },
    onChange: (unsaved) => changes.push(unsaved),
    setTimer: (callback, ms) => {
      const id = nextTimer++;
      timers.set(id, { at: now + ms, callback });
      return id;
    },
    clearTimer: (id) => timers.delete(id as number),
    ...options,
  });
  return {
    tracker,
    sent,
    changes,
    timers,
    setOnline(value: boolean) {
      online = value;
    },
    /** Moves the fake clock forward, running the timers that come due. */
    advance(ms: number) {
      now += ms;
      for (const [id, timer] of [...timers].sort((a, b) => a[1].at - b[1].at)) {
        if (timer.at <= now) {
          timers.delete(id);
          timer.callback();
        }
      }
    },
  };
}

describe('persisted query encoding', () => {
  it('is the message the server decodes as a persisted query, with the same type number', () => {
    assert.equal(PERSISTED_MESSAGE_TYPE, MessageType.persisted);
    for (const token of [0, 1, 127, 128, 300, 2 ** 31 + 5]) {
      assert.deepEqual(decodeClientMessage(encodePersistedQuery(token)), {
        type: 'persistedQuery',
        token,
      });
    }
  });

  it('is byte-for-byte the shape of the server answer', () => {
    assert.deepEqual(encodePersistedQuery(300), encodePersistedAck(300));
  });
});

describe('SaveTracker', () => {
  it('starts saved and sends nothing while there is nothing to confirm', () => {
    const { tracker, sent, advance } = setup();
    assert.equal(tracker.unsaved, 0);
    tracker.synced();
    advance(1_000);
    assert.deepEqual(sent, []);
    assert.equal(tracker.unsaved, 0);
  });

  it('gathers a burst of changes into one query and counts them saved when it is answered', () => {
    const { tracker, sent, changes, advance } = setup();
    tracker.synced();
    tracker.localChange();
    advance(30);
    tracker.localChange();
    advance(30);
    tracker.localChange();
    assert.equal(tracker.unsaved, 3);
    assert.deepEqual(sent, [], 'no query before the batch window ends');
    advance(20);
    assert.deepEqual(sent, [1]);
    assert.deepEqual(tracker.pendingTokens, [1]);
    tracker.ack(1);
    assert.equal(tracker.unsaved, 0);
    assert.deepEqual(tracker.pendingTokens, []);
    assert.deepEqual(changes, [1, 2, 3, 0]);
  });

  it('an answer covers only the changes made before its query', () => {
    const { tracker, sent, advance } = setup();
    tracker.synced();
    tracker.localChange();
    tracker.localChange();
    advance(80);
    assert.deepEqual(sent, [1]);
    tracker.localChange(); // after query 1 was sent
    tracker.ack(1);
    assert.equal(tracker.unsaved, 1);
    advance(80);
    assert.deepEqual(sent, [1, 2]);
    tracker.ack(2);
    assert.equal(tracker.unsaved, 0);
  });

  it('a later answer also settles earlier queries, and unknown or repeated answers are ignored', () => {
    const { tracker, sent, advance } = setup();
    tracker.synced();
    tracker.localChange();
    advance(80);
    tracker.localChange();
    advance(80);
    assert.deepEqual(sent, [1, 2]);
    tracker.ack(99);
    assert.equal(tracker.unsaved, 2);
    tracker.ack(2);
    assert.equal(tracker.unsaved, 0);
    assert.deepEqual(tracker.pendingTokens, []);
    tracker.ack(1); // late duplicate: nothing moves backwards
    assert.equal(tracker.unsaved, 0);
  });

  it('sends no query for changes made offline, then one covering all of them after the sync', () => {
    const { tracker, sent, setOnline, advance } = setup({ online: false });
    tracker.localChange();
    tracker.localChange();
    advance(1_000);
    assert.deepEqual(sent, []);
    assert.equal(tracker.unsaved, 2);
    setOnline(true);
    tracker.synced();
    assert.deepEqual(sent, [1], 'the sync query goes at once, without waiting for a batch');
    tracker.ack(1);
    assert.equal(tracker.unsaved, 0);
  });

  it('a disconnect drops outstanding queries; the next sync queries again', () => {
    const { tracker, sent, timers, advance } = setup();
    tracker.synced();
    tracker.localChange();
    advance(80);
    assert.deepEqual(sent, [1]);
    tracker.localChange(); // a batch timer is running…
    assert.equal(timers.size, 1);
    tracker.disconnected(); // …and is cancelled with the connection
    assert.equal(timers.size, 0);
    assert.deepEqual(tracker.pendingTokens, []);
    tracker.ack(1); // an answer from the old connection cannot count any more
    assert.equal(tracker.unsaved, 2);
    tracker.localChange();
    advance(1_000);
    assert.deepEqual(sent, [1], 'nothing is sent while disconnected');
    tracker.synced();
    assert.deepEqual(sent, [1, 2]);
    tracker.ack(2);
    assert.equal(tracker.unsaved, 0);
  });

  it('a query that cannot be sent is not waited for', () => {
    const { tracker, sent, setOnline, advance } = setup();
    tracker.synced();
    tracker.localChange();
    setOnline(false); // the socket died before the provider noticed
    advance(80);
    assert.deepEqual(sent, []);
    assert.deepEqual(tracker.pendingTokens, []);
    assert.equal(tracker.unsaved, 1);
  });

  it('changes carried over from an earlier session are cleared by the first answer after a sync', () => {
    const { tracker, sent, changes, advance } = setup({ carriedOver: 3 });
    assert.equal(tracker.unsaved, 3);
    tracker.localChange();
    assert.equal(tracker.unsaved, 4);
    tracker.synced();
    assert.deepEqual(sent, [1]);
    tracker.localChange();
    advance(80);
    assert.deepEqual(sent, [1, 2]);
    tracker.ack(1);
    assert.equal(tracker.unsaved, 1, 'the change made after the sync query is still pending');
    tracker.ack(2);
    assert.equal(tracker.unsaved, 0);
    assert.deepEqual(changes, [4, 5, 1, 0]);
  });

  it('carried-over changes alone still trigger a query on sync', () => {
    const { tracker, sent } = setup({ carriedOver: 2 });
    tracker.synced();
    assert.deepEqual(sent, [1]);
    tracker.ack(1);
    assert.equal(tracker.unsaved, 0);
  });

  it('only a sync query clears carried-over changes, not a batch query', () => {
    const { tracker, sent, setOnline, advance } = setup({ carriedOver: 2 });
    setOnline(false);
    tracker.synced(); // the sync query could not be sent
    setOnline(true);
    tracker.localChange();
    advance(80);
    assert.deepEqual(sent, [2]);
    tracker.ack(2);
    assert.equal(tracker.unsaved, 2, 'the batch query covers only this session');
  });

  it('an answer to a later query settles the sync query before it, carried-over changes too', () => {
    const { tracker, sent, advance } = setup({ carriedOver: 2 });
    tracker.synced();
    tracker.disconnected(); // sync query 1 is lost with the connection
    tracker.synced();
    tracker.localChange();
    advance(80);
    assert.deepEqual(sent, [1, 2, 3]);
    assert.deepEqual(tracker.pendingTokens, [2, 3]);
    tracker.ack(3);
    assert.equal(tracker.unsaved, 0);
  });

  it('ignores bad carried-over values and stops after destroy', () => {
    const { tracker, sent, advance } = setup({ carriedOver: -4 });
    assert.equal(tracker.unsaved, 0);
    tracker.synced();
    tracker.localChange();
    tracker.destroy();
    advance(1_000);
    tracker.localChange();
    tracker.synced();
    assert.deepEqual(sent, []);
    assert.equal(tracker.unsaved, 1);
    assert.equal(setup({ carriedOver: Number.NaN }).tracker.unsaved, 0);
  });

  it('notifies subscribers until they unsubscribe', () => {
    const { tracker } = setup();
    const seen: number[] = [];
    const unsubscribe = tracker.subscribe((n) => seen.push(n));
    tracker.localChange();
    unsubscribe();
    tracker.localChange();
    assert.deepEqual(seen, [1]);
  });
});
