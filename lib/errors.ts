/**
 * Errors that services raise and route handlers map to HTTP statuses. They carry their status
 * as data: Next bundles route handlers separately from the server, so the same class can exist
 * twice in one process and `instanceof` across that boundary is not reliable.
 */

export class AppError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** The named thing does not exist (404). */
export class NotFoundError extends AppError {
  override name = 'NotFoundError';
  constructor(message: string) {
    super(message, 404);
  }
}

/** The request is malformed or would make the data invalid (400). */
export class ValidationError extends AppError {
  override name = 'ValidationError';
  constructor(message: string) {
    super(message, 400);
  }
}

/** A dependency (the database) is not available right now (503). */
export class UnavailableError extends AppError {
  override name = 'UnavailableError';
  constructor(message: string) {
    super(message, 503);
  }
}

/** The HTTP status an error asks for, or undefined for unexpected errors. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : undefined;
}
