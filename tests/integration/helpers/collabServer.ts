/**
 * A collaboration server alone, in-process, on port 0, over any TimelineStore: for protocol tests
 * that need many connections or a controllable store, without Next.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as Y from 'yjs';
import { initializeTimeline } from '../../../lib/timeline/model';
import { type CollabServer, createCollabServer } from '../../../server/collab/server';
import { createLogger } from '../../../server/log';
import type { TimelineStore } from '../../../server/store/types';

export interface TestCollabServer {
  wsUrl: string;
  collab: CollabServer;
  close(): Promise<void>;
}

export async function startCollabServer(
  store: TimelineStore,
  options: Partial<Parameters<typeof createCollabServer>[0]> = {},
): Promise<TestCollabServer> {
  const collab = createCollabServer({
    store,
    logger: createLogger('error'),
    idleMs: 50,
    // Access rules are tested through the real server (access.test.ts); here everyone edits.
    authorize: async () => ({ mode: 'edit' }),
    ...options,
  });
  const http = createServer((_req, res) => res.writeHead(404).end());
  http.on('upgrade', (req, socket, head) => {
    if (!collab.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    wsUrl: `ws://127.0.0.1:${port}/collab`,
    collab,
    async close() {
      await collab.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** Creates a timeline with one lane directly in a store; returns its id and lane id. */
export async function createStoredTimeline(
  store: TimelineStore,
  id: string,
): Promise<{ id: string; laneId: string }> {
  const doc = new Y.Doc();
  const [laneId] = initializeTimeline(doc, { title: `Timeline ${id}`, lanes: [{ title: 'Lane' }] });
  await store.createTimeline(
    { id, title: `Timeline ${id}`, eventCount: 0 },
    Y.encodeStateAsUpdate(doc),
  );
  return { id, laneId: laneId! };
}

/** The stored document of a timeline, decoded. */
export async function loadStoredDoc(store: TimelineStore, id: string): Promise<Y.Doc> {
  const stored = await store.loadDoc(id);
  if (!stored) throw new Error(`timeline ${id} not stored`);
  const doc = new Y.Doc();
  for (const update of stored.updates) Y.applyUpdate(doc, update);
  return doc;
}
