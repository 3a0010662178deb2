import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { EMPTY_SYNC_STEP_1 } from '../../components/timeline/session/earlySocket';

describe('early socket', () => {
  it('sends the same sync step 1 as y-websocket does for an empty document', () => {
    // What y-websocket's onopen writes: message type sync (0), then y-protocols' step 1.
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    syncProtocol.writeSyncStep1(encoder, new Y.Doc());
    assert.deepEqual(encoding.toUint8Array(encoder), EMPTY_SYNC_STEP_1);
  });
});
