/**
 * Helpers that keep route handlers thin: parse and validate the body with a zod schema from lib/,
 * call a service, and map errors to HTTP statuses with a message a person can act on.
 */
import type { z } from 'zod';
import { AppError, ForbiddenError, statusOf, ValidationError } from '@/lib/errors';
import { MAX_JSON_BODY_BYTES } from '@/lib/limits';
import { isSameOrigin } from '@/lib/origin';
import { formatZodError } from '@/lib/timeline/schemas';
import type { Permission, Principal } from '@/server/access/policy';
import { CLIENT_ADDRESS_HEADER, getServices, type Services } from '@/server/context';

type Handler<Params> = (
  request: Request,
  context: { params: Promise<Params> },
) => Promise<Response>;

/**
 * Wraps a route handler. Every route names the permission it needs (server/access/policy.ts); the
 * caller is authenticated and checked before the handler runs, for the timeline in `params.id`
 * where the permission is about one. Thrown errors become JSON error responses (401/403 included).
 */
export function route<Params = Record<string, never>>(
  permission: Permission,
  handler: (
    request: Request,
    params: Params,
    services: Services,
    principal: Principal | null,
  ) => Promise<Response>,
): Handler<Params> {
  return async (request, context) => {
    try {
      refuseCrossSiteWrite(request);
      const params = await context.params;
      const services = getServices();
      const timelineId = (params as { id?: unknown } | undefined)?.id;
      const principal = await services.access.authorizeRequest(
        request,
        permission,
        typeof timelineId === 'string' ? timelineId : undefined,
      );
      return await handler(request, params, services, principal);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** The signed-in account of a principal, or a 403 for share links (routes about one's account). */
export function accountOf(principal: Principal | null): Extract<Principal, { kind: 'user' }> {
  if (principal?.kind !== 'user') throw new ForbiddenError('sign in with an account to do this');
  return principal;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every state-changing request, public ones included (sign-in, setup, invite acceptance,
 * sign-out), must come from our own pages or from a script (no Origin). A cross-site form or
 * `text/plain` POST carries Origin, so it is refused before any handler runs: login CSRF and
 * forced sign-out need no cookie to do harm.
 */
function refuseCrossSiteWrite(request: Request): void {
  if (SAFE_METHODS.has(request.method)) return;
  if (!isSameOrigin(request.headers.get('origin'), request.headers.get('host'))) {
    throw new ForbiddenError('cross-site request refused: send it from Chronoboard itself');
  }
}

/**
 * Reads a request body as text, refusing more than `maxBytes` (413) without buffering past the
 * limit: a declared Content-Length over it is refused before reading.
 */
export async function readLimitedText(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? 'NaN');
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function tooLarge(maxBytes: number): AppError {
  return new AppError(`request body is larger than ${Math.round(maxBytes / 1024)} KiB`, 413);
}

/**
 * Reads a JSON body and validates it; throws ValidationError with a readable message.
 * With `optional`, an empty body counts as `{}` (for actions whose fields are all optional).
 * A body must be declared `application/json` (415 otherwise): browsers send `text/plain` and form
 * types cross-site without a preflight, so accepting them would open JSON routes to forged forms.
 */
export async function readBody<S extends z.ZodType>(
  request: Request,
  schema: S,
  options: { optional?: boolean } = {},
): Promise<z.output<S>> {
  const text = await readLimitedText(request, MAX_JSON_BODY_BYTES);
  if (!(options.optional && text.trim() === '')) requireJsonContentType(request);
  let body: unknown;
  try {
    body = options.optional && text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new ValidationError('request body must be valid JSON');
  }
  const result = schema.safeParse(body);
  if (!result.success) throw new ValidationError(formatZodError(result.error));
  return result.data;
}

function requireJsonContentType(request: Request): void {
  const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new AppError(
      `send the body as JSON with "Content-Type: application/json" (got ${type ? `"${type}"` : 'none'})`,
      415,
    );
  }
}

export function json(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: { 'cache-control': 'no-store' } });
}

function errorResponse(error: unknown): Response {
  const status = statusOf(error);
  if (status !== undefined) return json({ error: (error as Error).message }, status);
  console.error('unhandled error in route', error);
  return json({ error: 'internal error; the server log has the details' }, 500);
}

/**
 * Who a change is recorded as: the account name for signed-in callers (never what the body
 * claims), else the name a share-link visitor typed.
 */
export function authorOf(principal: Principal | null, claimed: string | undefined) {
  return principal?.kind === 'user' ? principal.user.name : claimed;
}

/** Adds (or, with null, clears) the httpOnly session cookie on a response. */
export function withSessionCookie(
  response: Response,
  request: Request,
  sessionToken: string | null,
  services: Services,
): Response {
  const secure =
    new URL(request.url).protocol === 'https:' ||
    request.headers.get('x-forwarded-proto') === 'https';
  response.headers.append('set-cookie', services.access.sessionCookie(sessionToken, { secure }));
  return response;
}

/** The client's address for sign-in throttling, as set by the server (never by the client). */
export function clientKeyOf(request: Request): string {
  return request.headers.get(CLIENT_ADDRESS_HEADER) || 'unknown';
}

/** A path of this app as an absolute URL, as the caller reached it (proxies included). */
export function absoluteUrl(request: Request, path: string): string {
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  const proto =
    request.headers.get('x-forwarded-proto') ?? new URL(request.url).protocol.replace(':', '');
  return new URL(path, host ? `${proto}://${host}` : new URL(request.url).origin).toString();
}
