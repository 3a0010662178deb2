/**
 * Helpers that keep route handlers thin: parse and validate the body with a zod schema from lib/,
 * call a service, and map errors to HTTP statuses with a message a person can act on.
 */
import type { z } from 'zod';
import { statusOf, ValidationError } from '@/lib/errors';
import { formatZodError } from '@/lib/timeline/schemas';
import { getServices, type Services } from '@/server/context';

type Handler<Params> = (
  request: Request,
  context: { params: Promise<Params> },
) => Promise<Response>;

/** Wraps a route handler: services are passed in, thrown errors become JSON error responses. */
export function route<Params = Record<string, never>>(
  handler: (request: Request, params: Params, services: Services) => Promise<Response>,
): Handler<Params> {
  return async (request, context) => {
    try {
      return await handler(request, await context.params, getServices());
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/**
 * Reads a JSON body and validates it; throws ValidationError with a readable message.
 * With `optional`, an empty body counts as `{}` (for actions whose fields are all optional).
 */
export async function readBody<S extends z.ZodType>(
  request: Request,
  schema: S,
  options: { optional?: boolean } = {},
): Promise<z.output<S>> {
  let body: unknown;
  try {
    const text = await request.text();
    body = options.optional && text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new ValidationError('request body must be valid JSON');
  }
  const result = schema.safeParse(body);
  if (!result.success) throw new ValidationError(formatZodError(result.error));
  return result.data;
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
