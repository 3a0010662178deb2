// Decodes Yjs updates off the main thread, so that an update crafted to make the decoder spin
// or allocate without end (yjs#687) costs a worker that is killed, never the server's event loop.
// Plain JavaScript so it loads the same under tsx, node and any bundler-free deployment.
import { parentPort } from 'node:worker_threads';
import * as Y from 'yjs';

// Tell the guard the decoder is loaded: its time limit measures decoding, not start-up.
parentPort.postMessage({ ready: true });

parentPort.on('message', ({ id, update }) => {
  try {
    const { structs, ds } = Y.decodeUpdate(update);
    parentPort.postMessage({ id, ok: true, empty: structs.length === 0 && ds.clients.size === 0 });
  } catch (error) {
    parentPort.postMessage({ id, ok: false, error: String(error?.message ?? error) });
  }
});
