/**
 * Credentials for tests, obtained the way a person would: first-run setup (or sign-in after a
 * restart) creates the admin's session, and the admin creates an API token through the REST API.
 * `api()` and `connectClient()` use the token of the server a URL belongs to unless told otherwise.
 */
export const TEST_ADMIN = {
  email: 'admin@chronoboard.test',
  name: 'Test Admin',
  password: 'correct horse battery staple',
};

export interface AdminCredentials {
  /** `cb_session=…`, for requests that need a browser session. */
  cookie: string;
  /** An API token (`cbt_…`) of the admin. */
  token: string;
}

const byOrigin = new Map<string, AdminCredentials>();

/** The admin credentials registered for the server a URL (http or ws) belongs to. */
export function credentialsFor(url: string): AdminCredentials | undefined {
  const parsed = new URL(url.replace(/^ws/, 'http'));
  return byOrigin.get(parsed.origin);
}

/** Reads the session cookie a sign-in or setup response sets. */
export function sessionCookieOf(response: Response): string {
  const header = response.headers.getSetCookie().find((c) => c.startsWith('cb_session='));
  if (!header) throw new Error(`no session cookie in the response (status ${response.status})`);
  return header.split(';')[0]!;
}

/** Sets up the admin of a fresh server (or signs in on a set-up one) and creates an API token. */
export async function signInAdmin(baseUrl: string): Promise<AdminCredentials> {
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  let response = await post('/api/setup', TEST_ADMIN);
  if (response.status === 409) {
    response = await post('/api/auth/login', {
      email: TEST_ADMIN.email,
      password: TEST_ADMIN.password,
    });
  }
  if (!response.ok) {
    throw new Error(
      `signing in the test admin failed: ${response.status} ${await response.text()}`,
    );
  }
  const cookie = sessionCookieOf(response);
  const tokenResponse = await post('/api/tokens', { name: 'tests' }, { cookie });
  if (tokenResponse.status !== 201) {
    throw new Error(`creating an API token failed: ${tokenResponse.status}`);
  }
  const { token } = (await tokenResponse.json()) as { token: string };
  const credentials = { cookie, token };
  byOrigin.set(new URL(baseUrl).origin, credentials);
  return credentials;
}

/**
 * Adds a person the way an admin would: an invite with a role, accepted with a name and password.
 * Returns the new account's session cookie (`cb_session=…`).
 */
export async function inviteMember(
  baseUrl: string,
  adminToken: string,
  member: { email: string; name: string; role: 'admin' | 'editor' | 'viewer'; password?: string },
): Promise<string> {
  const invite = await fetch(`${baseUrl}/api/invites`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({ role: member.role }),
  });
  if (invite.status !== 201) throw new Error(`creating an invite failed: ${invite.status}`);
  const { token } = (await invite.json()) as { token: string };
  const accepted = await fetch(`${baseUrl}/api/invites/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      token,
      email: member.email,
      name: member.name,
      password: member.password ?? TEST_ADMIN.password,
    }),
  });
  if (accepted.status !== 201) {
    throw new Error(`accepting an invite failed: ${accepted.status} ${await accepted.text()}`);
  }
  return sessionCookieOf(accepted);
}

/** Creates an API token for the account a session cookie belongs to. */
export async function createApiToken(baseUrl: string, cookie: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ name: 'tests' }),
  });
  if (response.status !== 201) throw new Error(`creating an API token failed: ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}
