/** The one fetch wrapper of the browser: JSON in and out, errors that carry their HTTP status. */

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** True when the API answered 404: decided by the status, never by the wording of the message. */
export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

const SIGN_IN_URLS = ['/api/auth/login', '/api/setup', '/api/invites/accept'];

/**
 * Calls a same-site API route. `shareToken` is the share-link token of a page opened with
 * `?token=`: sent as a bearer token, since such a page has no session.
 */
export async function request<T>(
  url: string,
  init?: RequestInit,
  shareToken: string | null = null,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      ...init,
      headers: {
        'content-type': 'application/json',
        ...(shareToken ? { authorization: `Bearer ${shareToken}` } : {}),
        ...init?.headers,
      },
    });
  } catch {
    throw new ApiError('The server cannot be reached. Check your connection and try again.', 0);
  }
  const body = (await response.json().catch(() => ({}))) as { error?: string };
  if (!response.ok) {
    let message = body.error ?? `Request failed (${response.status})`;
    // Outside the sign-in forms, a 401 means the session ended while the page was open.
    if (response.status === 401 && !SIGN_IN_URLS.includes(url)) {
      message = `${message}. Reload the page to sign in again.`;
    }
    throw new ApiError(message, response.status);
  }
  return body as T;
}

/** Appends a share-link token to a same-site URL that the browser fetches by itself (downloads). */
export function withShareToken(url: string, shareToken: string | null): string {
  if (!shareToken) return url;
  return `${url}${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(shareToken)}`;
}
