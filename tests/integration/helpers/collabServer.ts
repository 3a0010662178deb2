/**
 * A collaboration server alone, in-process, on port 0, over any TimelineStore: for protocol tests
 * that need many connections or a controllable store, without Next.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as Y from 'yjs';
import { initializeTimeline } from '../../../lib/timeline/model';
import type { Extension } from '../../../server/collab/extension';
import {
  createDefaultExtensions,
  type DefaultExtensionOptions,
} from '../../../server/collab/extensions';
import type { PersistenceExtension } from '../../../server/collab/extensions/persistence';
import {
  type CollabServer,
  type CollabServerOptions,
  createCollabServer,
} from '../../../server/collab/server';
import { createLogger } from '../../../server/log';
import type { TimelineStore } from '../../../server/store/types';

export interface TestCollabServer {
  wsUrl: string;
  collab: CollabServer;
  /** The persistence extension (to observe a room's commits). */
  persistence: PersistenceExtension;
  close(): Promise<void>;
}

export type TestCollabOptions = Partial<Omit<CollabServerOptions, 'extensions'>> &
  DefaultExtensionOptions & {
    /** Registered after the default extensions. */
    extraExtensions?: Extension[];
  };

export async function startCollabServer(
  store: TimelineStore,
  options: TestCollabOptions = {},
): Promise<TestCollabServer> {
  const { persistence, history, spillDir, extraExtensions = [], ...collabOptions } = options;
  const logger = collabOptions.logger ?? createLogger('error');
  const defaults = createDefaultExtensions(store, { persistence, history, spillDir }, logger);
  const collab = createCollabServer({
    store,
    logger,
    idleMs: 50,
    // Access rules are tested through the real server (access.test.ts); here everyone edits.
    authorize: async () => ({ mode: 'edit' }),
    ...collabOptions,
    extensions: [...defaults.extensions, ...extraExtensions],
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
    persistence: defaults.persistence,
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
