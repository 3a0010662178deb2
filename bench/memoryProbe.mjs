/**
 * Preloaded into the server process by the benchmarks (`--import`): answers memory questions over
 * the IPC channel, so a benchmark reads the server's own figures without any endpoint in the
 * product. `{ type: 'memory', gc: true }` collects garbage first (the server runs with
 * --expose-gc) so the heap figure is what is retained, not what awaits collection.
 * Plain JavaScript: it loads the same into the tsx-run server and into the plain-node
 * collaboration-only bundle, without bringing tsx into the process it measures.
 */
import v8 from 'node:v8';

if (process.send) {
  process.on('message', (/** @type {{ type?: string; id?: number; gc?: boolean }} */ message) => {
    if (message?.type !== 'memory') return;
    const collect = /** @type {{ gc?: () => void }} */ (globalThis).gc;
    if (message.gc && collect) collect();
    const { rss, heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage();
    process.send?.({
      type: 'memory',
      id: message.id,
      rss,
      heapTotal,
      heapUsed,
      external,
      arrayBuffers,
      // Committed and used bytes per V8 heap space: where committed heap goes (new space, …).
      spaces: Object.fromEntries(
        v8
          .getHeapSpaceStatistics()
          .map((space) => [space.space_name, [space.space_size, space.space_used_size]]),
      ),
    });
  });
  // The channel must not keep the server alive once it wants to exit.
  process.channel?.unref();
}
