/**
 * Hands the services built by server/main.ts to Next's route handlers. Next bundles route
 * handlers separately from the server entry, so a module-level singleton would exist twice;
 * a well-known global symbol is the one place both copies see. Route handlers import only this
 * file (and types), never the database or the collaboration server directly.
 */
import type { AccessService } from './access/service';
import type { DatabaseKind } from './db/database';
import type { CommentService } from './services/comments';
import type { ExportService } from './services/exports';
import type { HistoryService } from './services/history';
import type { ImportService } from './services/imports';
import type { TimelineService } from './services/timelines';
import type { VisitService } from './services/visits';

export type HealthTrouble = 'database-unreachable' | 'writes-failing';

/**
 * What each kind of trouble means for everyone's edits, without a database error's details (the
 * web app's /api/health shows these to non-admins; a collab-only instance always).
 */
export const PUBLIC_TROUBLE_DESCRIPTION: Record<HealthTrouble, string> = {
  'database-unreachable': 'database unreachable; edits are held in memory and retried',
  'writes-failing': 'writes to the database are failing; edits are held in memory and retried',
};

export interface HealthReport {
  ok: boolean;
  db: DatabaseKind;
  /** Set when storage does not answer or writes are failing; edits are then held in memory. */
  degraded?: string;
  /** The kind of trouble `degraded` describes, for readers who may not see its details. */
  trouble?: HealthTrouble;
  rooms: number;
  connections: number;
  unpersistedBytes: number;
  /** With REDIS_URL: whether edits and server events reach the other instances right now. */
  redis?: 'connected' | 'unreachable';
}

export interface Services {
  access: AccessService;
  timelines: TimelineService;
  history: HistoryService;
  comments: CommentService;
  exports: ExportService;
  /** Dashboard visits per account ("changed since your last visit"). */
  visits: VisitService;
  imports: ImportService;
  checkHealth(): Promise<HealthReport>;
}

/**
 * The address of the client, as the server determined it (server/clientAddress.ts: the socket's peer,
 * or with TRUST_PROXY the right-most X-Forwarded-For entry not added by a trusted proxy). Set by server/app.ts on every request, overwriting whatever
 * the client sent, so route handlers can rely on it (sign-in throttling).
 */
export const CLIENT_ADDRESS_HEADER = 'x-chronoboard-client-address';

const KEY = Symbol.for('chronoboard.services');
type GlobalWithServices = typeof globalThis & { [KEY]?: Services };

/** Registers the services of this process (called once by the server at start). */
export function setServices(services: Services | undefined): void {
  (globalThis as GlobalWithServices)[KEY] = services;
}

/** The services of this process; throws if the app was not started through server/main.ts. */
export function getServices(): Services {
  const services = (globalThis as GlobalWithServices)[KEY];
  if (!services) {
    throw new Error(
      'Chronoboard services are not running: start the app with `npm start` or `npm run dev`',
    );
  }
  return services;
}
