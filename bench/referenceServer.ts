/**
 * The reference relay of the crowded-room benchmark (bench/fanout.ts): `@y/websocket-server`
 * 0.1.1 — the y-websocket project's own server, pinned exactly — on port 0, in its own process,
 * with no authorization and no persistence. A client connects to `ws://host:port/<room>`.
 *
 * It prints `READY <port>` on stdout once listening, and answers `{ type: 'memory', id }` over
 * the IPC channel with its `process.memoryUsage()` (after a collection when asked), like
 * bench/memoryProbe.mjs does for our server.
 */
import http from 'node:http';
import v8 from 'node:v8';
import { setupWSConnection } from '@y/websocket-server/utils';
import { WebSocketServer } from 'ws';

const server = http.createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'text/plain' });
  response.end('reference relay');
});
const wss = new WebSocketServer({ noServer: true });
server.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => setupWSConnection(ws, request, { gc: true }));
});

process.on('message', (message: { type?: string; id?: number; gc?: boolean }) => {
  if (message?.type !== 'memory') return;
  if (message.gc) (globalThis as { gc?: () => void }).gc?.();
  const { rss, heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage();
  process.send?.({
    type: 'memory',
    id: message.id,
    rss,
    heapTotal,
    heapUsed,
    external,
    arrayBuffers,
    spaces: Object.fromEntries(
      v8
        .getHeapSpaceStatistics()
        .map((space) => [space.space_name, [space.space_size, space.space_used_size]]),
    ),
  });
});
process.on('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`READY ${port}\n`);
});
