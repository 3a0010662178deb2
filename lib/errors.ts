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

/** The caller did not say who they are, or their credentials are invalid or expired (401). */
export class UnauthorizedError extends AppError {
  override name = 'UnauthorizedError';
  constructor(message: string) {
    super(message, 401);
  }
}

/** The caller is known but their role or link does not allow this (403). */
export class ForbiddenError extends AppError {
  override name = 'ForbiddenError';
  constructor(message: string) {
    super(message, 403);
  }
}

/** The request conflicts with the current state, e.g. setup already done (409). */
export class ConflictError extends AppError {
  override name = 'ConflictError';
  constructor(message: string) {
    super(message, 409);
  }
}

/** Too many attempts; try again later (429). */
export class RateLimitError extends AppError {
  override name = 'RateLimitError';
  constructor(message: string) {
    super(message, 429);
  }
}

/** Thrown when a write would leave a timeline document invalid; the message is fit for users. */
export class ModelError extends ValidationError {
  override name = 'ModelError';
}

/**
 * The message to show a person for an error caught around a model write: a ModelError's own
 * message (written for users), anything else as its string form.
 */
export function describeError(err: unknown): string {
  return err instanceof ModelError ? err.message : String(err);
}

/** An error message as a sentence for display: capitalised, ending with a full stop. */
export function toSentence(message: string): string {
  const text = message.trim();
  if (!text) return text;
  const capitalised = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}
