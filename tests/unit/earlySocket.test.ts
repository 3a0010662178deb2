import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { EARLY_SOCKET_KEY, earlySocketScript } from '../../components/timeline/session/earlySocket';

describe('the early socket script', () => {
  it('carries its values as JSON literals that cannot end the script element', () => {
    const source = earlySocketScript('t1</script><script>alert(1)//', 'a"b</SCRIPT>');
    assert.doesNotMatch(source, /<\/script/i);
    assert.doesNotMatch(source, /<!--/);
    // Still valid JavaScript.
    assert.doesNotThrow(() => new Function(source));
  });

  it('asks with the sync step 1 of an empty document, the message the provider would send', () => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0); // y-websocket's messageSync
    syncProtocol.writeSyncStep1(encoder, new Y.Doc());
    const provider = [...encoding.toUint8Array(encoder)];
    assert.match(
      earlySocketScript('t1', null),
      new RegExp(`new Uint8Array\\(\\[${provider.join(',')}\\]\\)`),
    );
  });

  it('opens the URL the provider will ask for, share-link token included', () => {
    for (const token of [null, 'tok en/+=?&']) {
      const opened: string[] = [];
      class FakeSocket {
        binaryType = 'blob';
        constructor(url: string) {
          opened.push(url);
        }
        close() {}
      }
      const window: Record<string, unknown> = {};
      const run = new Function(
        'window',
        'location',
        'WebSocket',
        'setTimeout',
        earlySocketScript('t1', token),
      );
      run(window, { protocol: 'https:', host: 'chrono.example:8443' }, FakeSocket, () => 0);
      const provider = new WebsocketProvider(
        'wss://chrono.example:8443/collab',
        't1',
        new Y.Doc(),
        {
          connect: false,
          params: token ? { token } : {},
          WebSocketPolyfill: FakeSocket as unknown as typeof WebSocket,
        },
      );
      try {
        assert.deepEqual(opened, [provider.url]);
        assert.equal((window[EARLY_SOCKET_KEY] as { url: string }).url, provider.url);
      } finally {
        provider.destroy();
        provider.awareness.destroy(); // its check interval would keep the test process alive
      }
    }
  });
});
