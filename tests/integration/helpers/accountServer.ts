/**
 * The real server without the web app (`web: false`), in-process on port 0 over PGlite in a
 * temporary directory, with an admin account set up: for tests of what accounts and share links
 * may do over the collaboration websocket.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type RunningServer, startServer } from '../../../server/app';
import { createLogger } from '../../../server/log';

export interface AccountServer {
  server: RunningServer;
  /** Base of the collaboration websocket: `${wsUrl}/<timelineId>`. */
  wsUrl: string;
  admin: { id: string; token: string };
  /** Creates an account with `role` and returns an API token for it. */
  tokenFor(role: 'editor' | 'viewer', name: string): Promise<string>;
  close(): Promise<void>;
}

/** Starts the server; `label` names its data directory and its accounts' e-mail domain. */
export async function startAccountServer(label: string): Promise<AccountServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `chronoboard-${label}-`));
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    web: false,
    seedDemo: false,
    logger: createLogger('error'),
    collab: { idleMs: 200 },
  });
  const { access } = server.services;
  const { user } = await access.setup({
    email: `admin@${label}.test`,
    name: 'Ada Admin',
    password: 'correct horse battery staple',
  });
  const adminToken = (await access.createApiToken(user.id, 'tests')).token;
  return {
    server,
    wsUrl: `ws://127.0.0.1:${server.port}/collab`,
    admin: { id: user.id, token: adminToken },
    async tokenFor(role, name) {
      const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@${label}.test`;
      const created = await access.createUser({ email, name, role });
      return (await access.createApiToken(created.user.id, 'tests')).token;
    },
    async close() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
