/**
 * Runs the real server as a child process on port 0, as users run it (`npm start`, or
 * `npm run start:collab` with `web: false`: the bundle of `server/main.ts` under plain node,
 * scripts/build-server.ts), and learns its URL from the "Chronoboard ready on <url>" line. Used
 * where a test needs a real process: a restart, a kill -9, the e2e servers.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { collabOnlyCommand, ensureServerBuild, serverCommand } from '../../../scripts/build-server';
import { type AdminCredentials, signInAdmin } from './auth';

export const ROOT = path.resolve(import.meta.dirname, '../../..');

export interface ServerProcess {
  url: string;
  wsUrl: string;
  child: ChildProcess;
  /** The test admin (created by first-run setup, or signed in after a restart); null with `admin: false`. */
  admin: AdminCredentials | null;
  /** Everything the process wrote to stderr (its log), for failure messages. */
  log(): string;
  /** SIGTERM and wait for exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: no chance to flush anything. */
  kill(): Promise<void>;
}

export interface ServerProcessOptions {
  databaseUrl?: string;
  dataDir?: string;
  web?: boolean;
  env?: Record<string, string>;
  /** Set up (or sign in) the test admin and use its API token by default; true unless web is false. */
  admin?: boolean;
}

export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  // With REDIS_URL (set for the whole CI run) every server process gets its own Redis key prefix
  // unless the test makes several share one (tests/integration/instances.test.ts).
  const redisPrefix = `chronoboard-test-${randomBytes(6).toString('hex')}`;
  // The process `npm start` runs, or `npm run start:collab` without the web app: the bundle
  // under plain node with their options and environment.
  const command = options.web === false ? collabOnlyCommand() : serverCommand();
  await ensureServerBuild(() => {});
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    NODE_ENV: 'production',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    REDIS_PREFIX: redisPrefix,
    ...options.env,
    ...command.env,
  };
  delete env.DATABASE_URL;
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  if (options.dataDir) env.DATA_DIR = options.dataDir;
  const child = spawn(process.execPath, command.args, {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );

  const url = await waitForReady(child, () => stderr);

  const admin = options.admin !== false && options.web !== false ? await signInAdmin(url) : null;

  return {
    url,
    wsUrl: `${url.replace(/^http/, 'ws')}/collab`,
    child,
    admin,
    log: () => stderr,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * Resolves with the URL a server process announces on stdout ("Chronoboard ready on <url>");
 * rejects with its stderr if it exits first or is not ready within `timeoutMs` (generous: a
 * loaded 2-core machine can take a minute or more to start Next).
 */
export function waitForReady(
  child: ChildProcess,
  stderr: () => string,
  timeoutMs = 180_000,
): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(
      () => reject(new Error(`server not ready in ${timeoutMs / 1000} s:\n${stderr()}`)),
      timeoutMs,
    );
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /Chronoboard ready on (\S+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before it was ready:\n${stderr()}`));
    });
  });
}
