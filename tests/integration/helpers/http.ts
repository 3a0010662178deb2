/**
 * Plain HTTP calls to a test server with exactly the credentials given (unlike `api` in auth.ts,
 * which adds the admin's token), for tests that check who may do what.
 */
import type { ServerProcess } from './serverProcess';

export interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

/**
 * One request: `bearer` as `Authorization: Bearer`, `cookie` as is, other headers as given; a
 * `body` is sent as JSON. A reply that is not JSON reads as `{ unparsed: text }`.
 */
export async function call<T = Record<string, unknown>>(
  server: Pick<ServerProcess, 'url'>,
  method: string,
  urlPath: string,
  options: {
    bearer?: string;
    cookie?: string;
    body?: unknown;
    headers?: Record<string, string>;
  } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  if (options.cookie) headers.cookie = options.cookie;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${server.url}${urlPath}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = { unparsed: text };
  }
  return { status: response.status, body: body as T, headers: response.headers };
}

/** The `error` message of a refused request ('' when there is none). */
export function errorOf(reply: Reply<unknown>): string {
  return String((reply.body as { error?: unknown }).error ?? '');
}
