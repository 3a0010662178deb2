/**
 * Builds a running Chronoboard: database (migrated), store, collaboration server, services,
 * the demo seed, and one HTTP server that serves Next's pages and API routes and claims websocket
 * upgrades under /collab/. `startServer` is what server/main.ts and the tests call.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createCollabAuthorizer } from './access/collab';
import { createAccessService } from './access/service';
import { createClientAddressResolver } from './clientAddress';
import { subscribeCollabToAccessEvents } from './collab/accessEvents';
import { createDefaultExtensions, type DefaultExtensionOptions } from './collab/extensions';
import { subscribeCollabToNotices } from './collab/noticeEvents';
import { type CollabServer, createCollabServer } from './collab/server';
import { recoverSpilledUpdates } from './collab/spill';
import {
  CLIENT_ADDRESS_HEADER,
  type HealthReport,
  type HealthTrouble,
  PUBLIC_TROUBLE_DESCRIPTION,
  type Services,
  setServices,
} from './context';
import { type Database, openDatabase } from './db/database';
import { createLocalEventBus, type EventBus } from './events/bus';
import { createLogger, type Logger } from './log';
import type { RedisLink } from './redis';
import { createCommentService } from './services/comments';
import { createExportService } from './services/exports';
import { createHistoryService } from './services/history';
import { createImportService } from './services/imports';
import { seedDemoTimeline } from './services/seed';
import { createTimelineService, TIMELINE_DELETED_REASON } from './services/timelines';
import { createVisitService } from './services/visits';
import { createPrismaCommentStore } from './store/comments';
import { createPrismaStore } from './store/prismaStore';
import type { TimelineStore } from './store/types';

export interface ServerOptions {
  port: number;
  host: string;
  /** PostgreSQL URL; PGlite in `dataDir` when absent. */
  databaseUrl?: string;
  dataDir: string;
  /** Serve the Next.js app (pages and REST API); false runs only the collaboration websocket. */
  web: false | { dev: boolean };
  seedDemo: boolean;
  /** How long a browser session lasts after its last refresh (default 30 days; short in tests). */
  sessionTtlMs?: number;
  /**
   * Behind a reverse proxy: the client address is the right-most X-Forwarded-For entry not added
   * by a trusted proxy (server/clientAddress.ts).
   */
  trustProxy?: boolean;
  /** The proxies' addresses or CIDR ranges; empty means one proxy hop in front of us. */
  trustedProxies?: string[];
  logger?: Logger;
  /**
   * Several instances serving the same timelines: updates, presence and server events cross
   * instances through this Redis (see README "Several instances"). Without it, one instance.
   */
  redis?: {
    url: string;
    /** Key and channel prefix; default derived from the database (instances on one database share). */
    prefix?: string;
    /** Storage lease lifetime (default 10 s) and resync interval (default 30 s), for tests. */
    leaseMs?: number;
    resyncMs?: number;
  };
  /** Overrides for tests: how long empty rooms stay loaded, persistence batching. */
  collab?: Pick<
    Parameters<typeof createCollabServer>[0],
    'idleMs' | 'deferLoadMs' | 'shutdownTimeoutMs' | 'maxConnectionsPerIp' | 'limits'
  > &
    Pick<DefaultExtensionOptions, 'persistence' | 'history'>;
}

export interface RunningServer {
  url: string;
  port: number;
  database: Database;
  store: TimelineStore;
  collab: CollabServer;
  services: Services;
  /** With Redis: this instance's id and its storage leases (tests, health). */
  shared?: { instanceId: string; prefix: string; leaseOf(timelineId: string): bigint | null };
  /** Stops accepting connections, persists every room, closes the database. */
  close(): Promise<void>;
}

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..');

/** Starts the server and resolves once it accepts requests. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const logger = options.logger ?? createLogger();
  const database = await openDatabase({
    databaseUrl: options.databaseUrl,
    dataDir: options.dataDir,
  });
  const store = createPrismaStore(database);
  const spillDir = path.join(options.dataDir, 'unsaved');
  // Edits saved to files by a shutdown during a database outage go in before any room opens.
  await recoverSpilledUpdates(spillDir, store, logger);
  let redis: RedisLink | undefined;
  // The Redis client (hundreds of modules) and the pieces built on it load only when configured.
  const shared = options.redis
    ? {
        ...(await import('./redis')),
        ...(await import('./events/redisBus')),
        ...(await import('./sharedLimits')),
      }
    : undefined;
  if (options.redis && shared) {
    const { connectRedis, defaultRedisPrefix } = shared;
    redis = await connectRedis({
      url: options.redis.url,
      prefix:
        options.redis.prefix ||
        defaultRedisPrefix({ databaseUrl: options.databaseUrl, dataDir: options.dataDir }),
      logger,
    });
    logger.info('sharing timelines with other instances through redis', {
      prefix: redis.prefix,
      instance: redis.instanceId,
    });
  }
  // Access publishes withdrawals on the bus; the collab server, which asks access who may
  // connect, subscribes and closes the matching connections. With Redis, on every instance.
  const bus: EventBus =
    redis && shared ? await shared.createRedisEventBus(redis, logger) : createLocalEventBus(logger);
  const access = createAccessService({
    database,
    logger,
    bus,
    host: options.host,
    sessionTtlMs: options.sessionTtlMs,
    throttle: redis && shared ? shared.createRedisThrottle(redis, logger) : undefined,
  });
  const { persistence, history, ...collabOptions } = options.collab ?? {};
  // One answer to "who is this?" for HTTP and the websocket, so both count a person the same way.
  const clientAddressOf = createClientAddressResolver({
    trustProxy: options.trustProxy ?? false,
    trustedProxies: options.trustedProxies,
  });
  const { extensions, sharedRooms } = createDefaultExtensions(
    store,
    {
      persistence,
      history,
      spillDir,
      shared: redis
        ? {
            link: redis,
            options: {
              ...(options.redis?.leaseMs ? { leaseMs: options.redis.leaseMs } : {}),
              ...(options.redis?.resyncMs ? { resyncMs: options.redis.resyncMs } : {}),
            },
          }
        : undefined,
    },
    logger,
  );
  const collab = createCollabServer({
    store,
    logger,
    authorize: createCollabAuthorizer(access),
    clientAddressOf,
    extensions,
    ...collabOptions,
  });
  subscribeCollabToAccessEvents(bus, collab);
  // A deletion on any instance ends the timeline's live session on every one.
  bus.subscribe('timeline.deleted', ({ timelineId }) =>
    collab.closeTimeline(timelineId, TIMELINE_DELETED_REASON),
  );
  // Comment changes reach everyone in the timeline as a notice on their websocket.
  subscribeCollabToNotices(bus, collab);
  const timelines = createTimelineService({ store, collab, bus });

  async function checkHealth(): Promise<HealthReport> {
    const { rooms, connections, unpersistedBytes, degraded: collabDegraded } = collab.health();
    let degraded: string | undefined;
    let trouble: HealthTrouble | undefined;
    try {
      await store.ping();
    } catch (error) {
      degraded = `database unreachable: ${(error as Error).message}`;
      trouble = 'database-unreachable';
    }
    if (degraded === undefined && collabDegraded !== undefined) {
      degraded = collabDegraded;
      trouble = 'writes-failing';
    }
    return {
      ok: degraded === undefined,
      db: database.kind,
      ...(degraded ? { degraded, trouble } : {}),
      // Redis away does not make this instance unhealthy: it keeps serving its own connections
      // (a load balancer should keep sending it traffic); edits cross instances again once back.
      ...(redis ? { redis: redis.connected ? 'connected' : 'unreachable' } : {}),
      rooms,
      connections,
      unpersistedBytes,
    };
  }

  const historyService = createHistoryService({
    store,
    collab,
    namedSnapshotLimit: redis && shared ? shared.createRedisRateLimiter(redis, logger) : undefined,
  });
  const commentService = createCommentService({
    comments: createPrismaCommentStore(database),
    store,
    collab,
    bus,
  });
  const services: Services = {
    access,
    timelines,
    history: historyService,
    exports: createExportService({ timelines, history: historyService, comments: commentService }),
    comments: commentService,
    visits: createVisitService(database),
    imports: createImportService({ collab }),
    checkHealth,
  };
  setServices(services);

  if (options.seedDemo) {
    const demoId = await seedDemoTimeline(store, timelines, collab);
    if (demoId) logger.info('seeded the demo timeline', { timeline: demoId });
  }

  let handleRequest: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '1' }).end('Starting…');
  };
  const httpServer = createServer((req, res) => handleRequest(req, res));
  // Idle keep-alive connections stay open longer than the clients and load balancers that reuse
  // them (Node's default of 5 s closes a socket a client is about to send on: ECONNRESET).
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  let handleWebUpgrade:
    | ((req: IncomingMessage, socket: import('node:stream').Duplex, head: Buffer) => void)
    | null = null;
  httpServer.on('upgrade', (req, socket, head) => {
    if (collab.handleUpgrade(req, socket, head)) return;
    // Next's dev server uses upgrades for hot reload; anything else has no owner here.
    if (handleWebUpgrade) handleWebUpgrade(req, socket, head);
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const port = (httpServer.address() as AddressInfo).port;

  let closeWeb = async () => {};
  if (options.web) {
    const { default: next } = await import('next');
    const app = next({ dev: options.web.dev, dir: PROJECT_ROOT, hostname: options.host, port });
    await app.prepare();
    const nextHandler = app.getRequestHandler();
    handleRequest = (req, res) => {
      req.headers[CLIENT_ADDRESS_HEADER] = clientAddressOf(req);
      void nextHandler(req, res);
    };
    handleWebUpgrade = (req, socket, head) => {
      void app.getUpgradeHandler()(req, socket, head);
    };
    closeWeb = () => app.close();
  } else {
    handleRequest = (req, res) => {
      // The same health check as the web app's, for load balancers in front of collab-only
      // instances (`npm run start:collab`).
      if (req.method === 'GET' && req.url?.split('?')[0] === '/api/health') {
        void checkHealth().then(
          (report) =>
            res
              .writeHead(report.ok ? 200 : 503, {
                'content-type': 'application/json',
                'cache-control': 'no-store',
              })
              // Nobody is signed in here: the kind of trouble, never a database error's text.
              .end(
                JSON.stringify(
                  report.degraded
                    ? {
                        ...report,
                        degraded: PUBLIC_TROUBLE_DESCRIPTION[report.trouble ?? 'writes-failing'],
                      }
                    : report,
                ),
              ),
          () => res.writeHead(503).end(),
        );
        return;
      }
      res
        .writeHead(404, { 'content-type': 'text/plain' })
        .end('This instance only serves /collab/ and /api/health.');
    };
  }

  const displayHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${displayHost === '0.0.0.0' ? '127.0.0.1' : displayHost}:${port}`;
  logger.info('chronoboard listening', { url, db: database.kind, web: options.web !== false });

  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    database,
    store,
    collab,
    services,
    shared:
      redis && sharedRooms
        ? {
            instanceId: redis.instanceId,
            prefix: redis.prefix,
            leaseOf: (timelineId) => sharedRooms.leaseOf(timelineId),
          }
        : undefined,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        await collab.close();
        sharedRooms?.stop();
        await redis?.close();
        httpServer.closeAllConnections();
        await stopped;
        await closeWeb().catch(() => {});
        await database.close();
        setServices(undefined);
      })();
      return closing;
    },
  };
}
