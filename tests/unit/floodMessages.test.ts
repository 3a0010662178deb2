/**
 * The flood benchmark's attack messages are real protocol messages: the server's decoder accepts
 * them, and the awareness one does register made-up clients (what flood 1 is about).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import {
  encodeClientFrame,
  encodeEmptySyncStep1,
  encodeNullAwareness,
} from '../../bench/floodAttack';
import { decodeClientMessage } from '../../server/collab/protocol';

describe('flood messages', () => {
  it('encodes awareness updates of made-up clients with a null state', () => {
    const message = decodeClientMessage(encodeNullAwareness(1_000, 50));
    assert.equal(message.type, 'awareness');
    const doc = new Y.Doc();
    const awareness = new awarenessProtocol.Awareness(doc);
    awarenessProtocol.applyAwarenessUpdate(
      awareness,
      (message as { update: Uint8Array }).update,
      'attacker',
    );
    // Null states add no state, but every made-up id is remembered in the metadata.
    assert.equal(awareness.getStates().size, 1);
    assert.equal(awareness.meta.size, 51);
    awareness.destroy();
    doc.destroy();
  });

  it('encodes a sync step 1 asking for the whole document', () => {
    const message = decodeClientMessage(encodeEmptySyncStep1());
    assert.equal(message.type, 'syncStep1');
    assert.deepEqual([...(message as { stateVector: Uint8Array }).stateVector], [0]);
  });

  it('frames a payload as a masked binary websocket frame', () => {
    for (const length of [10, 300, 70_000]) {
      const payload = new Uint8Array(length).map((_, i) => i & 0xff);
      const frame = encodeClientFrame(payload);
      assert.equal(frame[0], 0x82);
      assert.equal(frame[1]! & 0x80, 0x80);
      const short = frame[1]! & 0x7f;
      const offset = short < 126 ? 2 : short === 126 ? 4 : 10;
      const declared =
        short < 126
          ? short
          : short === 126
            ? frame.readUInt16BE(2)
            : Number(frame.readBigUInt64BE(2));
      assert.equal(declared, length);
      const mask = frame.subarray(offset, offset + 4);
      const body = frame.subarray(offset + 4);
      assert.deepEqual(
        body.map((byte, i) => byte ^ mask[i & 3]!),
        Buffer.from(payload),
      );
    }
  });
});
