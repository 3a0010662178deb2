/**
 * Node y-websocket clients for tests: an unmodified WebsocketProvider, with BroadcastChannel
 * disabled so that two clients in one process can only sync through the server.
 */
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { TimelineSummary } from '../../../lib/timeline/schemas';
import { credentialsFor } from './auth';

export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  destroy(): void;
}

export function connectClient(
  wsUrl: string,
  timelineId: string,
  doc = new Y.Doc(),
  params?: Record<string, string>,
): TestClient {
  // As the test admin (its API token) unless the test passes its own parameters.
  const token = credentialsFor(wsUrl)?.token;
  const provider = new WebsocketProvider(wsUrl, timelineId, doc, {
    params: params ?? (token ? { token } : {}),
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 300,
  });
  return {
    doc,
    provider,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Resolves when the provider has completed its first sync with the server. */
export function waitForSync(client: TestClient, timeoutMs = 10_000): Promise<void> {
  if (client.provider.synced) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('client did not sync in time')), timeoutMs);
    const handle = (synced: boolean) => {
      if (!synced) return;
      clearTimeout(timer);
      client.provider.off('sync', handle);
      resolve();
    };
    client.provider.on('sync', handle);
  });
}

/** Polls `check` until it returns a truthy value or the timeout passes. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  what: string,
  timeoutMs = 10_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

/**
 * Fetches JSON from the server and returns status and body. Sends the test admin's API token of
 * that server unless the request sets its own `authorization` (`''` for none).
 */
export async function api<T = unknown>(
  baseUrl: string,
  path: string,
  init?: RequestInit,
): Promise<{ status: number; body: T }> {
  const token = credentialsFor(baseUrl)?.token;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...(init?.headers as Record<string, string> | undefined),
  };
  if (headers.authorization === '') delete headers.authorization;
  const response = await fetch(`${baseUrl}${path}`, { ...init, headers });
  return { status: response.status, body: (await response.json()) as T };
}

/** Creates a timeline through the REST API (asserting 201) and returns its summary. */
export async function createTimeline(baseUrl: string, title: string): Promise<TimelineSummary> {
  const { status, body } = await api<TimelineSummary>(baseUrl, '/api/timelines', {
    method: 'POST',
    body: JSON.stringify({ title }),
  });
  if (status !== 201)
    throw new Error(`creating a timeline failed with ${status}: ${JSON.stringify(body)}`);
  return body;
}
