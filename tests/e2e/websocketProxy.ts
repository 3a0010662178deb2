/**
 * A TCP proxy in front of the server that can cut only the websocket traffic: while cut, open
 * websocket connections are dropped and new websocket handshakes refused, but plain HTTP still
 * goes through. That is a browser whose collaboration connection is gone while the page itself
 * can still be (re)loaded, so a test can reload a page while it is "offline". (Cutting all
 * traffic, like tests/integration/helpers/tcpProxy.ts does, would make the reload itself fail.)
 *
 * A connection is a websocket when its first request carries `Upgrade: websocket`; browsers
 * open a dedicated connection for every websocket.
 */
import net from 'node:net';

export interface WebsocketProxy {
  port: number;
  /** Drops the open websockets and refuses new ones until `restore`; HTTP keeps working. */
  cutWebsockets(): void;
  restore(): void;
  /** Websocket handshakes refused since the last cut. */
  refused(): number;
  close(): Promise<void>;
}

/** How much of a connection's first request is read to find its headers. */
const MAX_HEADER_BYTES = 64 * 1024;

export async function startWebsocketProxy(target: {
  host: string;
  port: number;
}): Promise<WebsocketProxy> {
  const all = new Set<net.Socket>();
  const websockets = new Set<net.Socket>();
  let cut = false;
  let refused = 0;

  const server = net.createServer((client) => {
    all.add(client);
    client.on('close', () => all.delete(client));
    client.on('error', () => client.destroy());
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1 && head.length < MAX_HEADER_BYTES) return;
      client.off('data', onData);
      client.pause();
      const headers = head.subarray(0, end === -1 ? head.length : end).toString('latin1');
      const isWebsocket = /\r\nupgrade:[ \t]*websocket/i.test(headers);
      if (isWebsocket && cut) {
        refused++;
        client.destroy();
        return;
      }
      const upstream = net.connect(target.port, target.host);
      all.add(upstream);
      const group = isWebsocket ? [client, upstream] : [];
      for (const socket of group) websockets.add(socket);
      upstream.on('close', () => {
        all.delete(upstream);
        websockets.delete(upstream);
        client.destroy();
      });
      client.on('close', () => {
        websockets.delete(client);
        upstream.destroy();
      });
      upstream.on('error', () => upstream.destroy());
      upstream.write(head);
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    };
    client.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    port: (server.address() as net.AddressInfo).port,
    cutWebsockets() {
      cut = true;
      refused = 0;
      for (const socket of websockets) socket.destroy();
    },
    restore() {
      cut = false;
    },
    refused: () => refused,
    async close() {
      cut = true;
      for (const socket of all) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
