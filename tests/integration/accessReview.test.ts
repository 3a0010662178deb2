/**
 * The access review's findings (issue #9), each carried out as an attack against a real server
 * process on port 0, asserting the defence: a parallel sign-in burst, unknown emails, the
 * change-password form, a forged X-Forwarded-For, the `__Host-` cookie, a demoted editor's edit
 * link, a removed person's view link, setup from a non-loopback host, and a session that expires
 * while its websocket is open. The share-link migration runs on PostgreSQL too.
 * (A link revoked while it is being checked: tests/unit/credentialRace.test.ts.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import type { CreatedSecret, ShareLinkSummary, UserSummary, Viewer } from '../../lib/access';
import { CloseCode } from '../../lib/limits';
import type { TimelineSummary } from '../../lib/timeline/schemas';
import { type Backend, createBackend } from './helpers/backends';
import { waitFor } from './helpers/clients';
import { call, errorOf } from './helpers/http';
import { type ServerProcess, startServerProcess } from './helpers/serverProcess';

// -- HTTP ------------------------------------------------------------------------------------------

interface Account {
  id: string;
  email: string;
  name: string;
  password: string;
  /** `cb_session=…` */
  cookie: string;
  token: string;
}

let accountCounter = 0;

/** An account made the way people make them: an admin's invite, accepted; then an API token. */
async function createAccount(
  server: ServerProcess,
  role: UserSummary['role'],
  label: string,
): Promise<Account> {
  const invite = await call<CreatedSecret>(server, 'POST', '/api/invites', {
    bearer: server.admin!.token,
    body: { role },
  });
  assert.equal(invite.status, 201, JSON.stringify(invite.body));
  const n = ++accountCounter;
  const email = `${label}-${n}@review.test`;
  const name = `${label} ${n}`;
  const password = `password of ${label} ${n}`;
  const accepted = await call<{ user: UserSummary }>(server, 'POST', '/api/invites/accept', {
    body: { token: invite.body.token, email, name, password },
  });
  assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
  const setCookie = accepted.headers.getSetCookie().find((c) => c.startsWith('cb_session='));
  assert.ok(setCookie);
  const cookie = setCookie.split(';')[0]!;
  const token = await call<CreatedSecret>(server, 'POST', '/api/tokens', {
    cookie,
    body: { name: 'review' },
  });
  assert.equal(token.status, 201);
  return { id: accepted.body.user.id, email, name, password, cookie, token: token.body.token };
}

async function createTimeline(server: ServerProcess, title: string): Promise<TimelineSummary> {
  const reply = await call<TimelineSummary>(server, 'POST', '/api/timelines', {
    bearer: server.admin!.token,
    body: { title },
  });
  assert.equal(reply.status, 201);
  return reply.body;
}

async function createLinkAs(
  server: ServerProcess,
  bearer: string,
  timelineId: string,
  role: 'view' | 'edit',
) {
  const reply = await call<CreatedSecret>(server, 'POST', `/api/timelines/${timelineId}/links`, {
    bearer,
    body: { role },
  });
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  return reply.body as Required<CreatedSecret>;
}

async function linksOf(server: ServerProcess, timelineId: string) {
  const reply = await call<{ links: ShareLinkSummary[] }>(
    server,
    'GET',
    `/api/timelines/${timelineId}/links`,
    { bearer: server.admin!.token },
  );
  assert.equal(reply.status, 200);
  return new Map(reply.body.links.map((link) => [link.id, link]));
}

// -- websocket -------------------------------------------------------------------------------------

interface RawClient {
  messages: number;
  closed: Promise<{ code: number; reason: string }>;
}

function openRaw(url: string, headers?: Record<string, string>): RawClient {
  const ws = new WebSocket(url, { headers });
  const client: RawClient = {
    messages: 0,
    closed: new Promise((resolve) =>
      ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    ),
  };
  ws.on('message', () => client.messages++);
  ws.on('error', () => {});
  return client;
}

async function admitted(client: RawClient): Promise<void> {
  await Promise.race([
    waitFor(() => client.messages > 0, 'the first message from the server'),
    client.closed.then(({ code, reason }) => {
      throw new Error(`closed with ${code} (${reason}) instead of being admitted`);
    }),
  ]);
}

function whenClosed(client: RawClient, ms = 10_000): Promise<{ code: number; reason: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still open after ${ms} ms`)), ms);
  });
  return Promise.race([client.closed, timeout]).finally(() => clearTimeout(timer));
}

function linkSocket(server: ServerProcess, timelineId: string, token: string): RawClient {
  return openRaw(`${server.wsUrl}/${timelineId}?token=${encodeURIComponent(token)}`);
}

// -- the attacks -----------------------------------------------------------------------------------

describe('access review: attacks on a PGlite server behind one proxy hop', () => {
  let backend: Backend;
  let server: ServerProcess;

  before(async () => {
    backend = await createBackend('pglite');
    server = await startServerProcess({ ...backend.storage, env: { TRUST_PROXY: 'true' } });
  });

  after(async () => {
    await server?.stop();
    await backend?.cleanup();
  });

  const login = (email: string, password: string, headers?: Record<string, string>) =>
    call(server, 'POST', '/api/auth/login', { body: { email, password }, headers });

  it('gives a parallel burst of 30 wrong passwords no more guesses than a serial run (10)', async () => {
    const person = await createAccount(server, 'viewer', 'burst');
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, i) => login(person.email, `wrong ${i}`)),
    );
    const statuses = replies.map((reply) => reply.status);
    const guesses = statuses.filter((status) => status === 401).length;
    assert.ok(guesses <= 10, `${guesses} passwords were checked: ${statuses.join(' ')}`);
    assert.equal(guesses + statuses.filter((status) => status === 429).length, 30);
    // Still paused, even for the right password.
    assert.equal((await login(person.email, person.password)).status, 429);
  });

  it('counts sign-ins for unknown emails the same way', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await login('nobody@review.test', 'x')).status);
    assert.deepEqual(statuses, [...Array(10).fill(401), 429]);
  });

  it('throttles the change-password form per account, against a parallel burst too', async () => {
    const person = await createAccount(server, 'viewer', 'oracle');
    const change = (currentPassword: string) =>
      call(server, 'POST', '/api/auth/password', {
        cookie: person.cookie,
        body: { currentPassword, newPassword: 'a brand new password' },
      });
    const replies = await Promise.all(Array.from({ length: 30 }, (_, i) => change(`guess ${i}`)));
    const guesses = replies.filter((reply) => reply.status === 403).length;
    assert.ok(guesses <= 10, `${guesses} current passwords were checked`);
    assert.equal(replies.filter((reply) => reply.status === 429).length, 30 - guesses);
    const right = await change(person.password);
    assert.equal(right.status, 429, errorOf(right));
    assert.match(errorOf(right), /too many/);
    // Another account's form is not paused.
    const other = await createAccount(server, 'viewer', 'bystander');
    const theirs = await call(server, 'POST', '/api/auth/password', {
      cookie: other.cookie,
      body: { currentPassword: 'wrong', newPassword: 'a brand new password' },
    });
    assert.equal(theirs.status, 403);
  });

  it('takes the right-most X-Forwarded-For entry: a forged left part does not reset the limit', async () => {
    const person = await createAccount(server, 'viewer', 'forwarded');
    const proxied = (password: string, forwardedFor: string) =>
      login(person.email, password, { 'x-forwarded-for': forwardedFor });
    for (let i = 0; i < 10; i++) {
      assert.equal((await proxied(`wrong ${i}`, '198.51.100.1')).status, 401);
    }
    assert.equal((await proxied('wrong', '198.51.100.1')).status, 429);
    // The attacker writes anything to the left of what our proxy appended.
    assert.equal((await proxied('wrong', '203.0.113.9, 198.51.100.1')).status, 429);
    assert.equal((await proxied('wrong', '198.51.100.1, 10.9.9.9, 198.51.100.1')).status, 429);
    // Another client (as our proxy reports it) is not paused.
    assert.equal((await proxied(person.password, '198.51.100.2')).status, 200);
  });

  it('names the session cookie __Host-cb_session when it is Secure, and reads it back', async () => {
    const person = await createAccount(server, 'viewer', 'secure');
    const reply = await login(person.email, person.password, { 'x-forwarded-proto': 'https' });
    assert.equal(reply.status, 200);
    const header = reply.headers.getSetCookie().find((c) => c.startsWith('__Host-cb_session='));
    assert.ok(header, reply.headers.getSetCookie().join(' | '));
    const attributes = header.split('; ').slice(1);
    assert.ok(attributes.includes('Secure') && attributes.includes('Path=/'), header);
    assert.ok(!attributes.some((part) => /^domain=/i.test(part)), header);
    const me = await call<Viewer>(server, 'GET', '/api/auth/me', {
      cookie: header.split(';')[0],
    });
    assert.equal(me.body.kind, 'user');
    // Plain HTTP keeps the plain name.
    const plain = await login(person.email, person.password);
    assert.ok(plain.headers.getSetCookie().some((c) => c.startsWith('cb_session=')));
  });

  it('suspends a demoted editor’s edit link and closes its live connection (4401)', async () => {
    const editor = await createAccount(server, 'editor', 'demoted');
    const timeline = await createTimeline(server, 'Demotion');
    const editLink = await createLinkAs(server, editor.token, timeline.id, 'edit');
    const viewLink = await createLinkAs(server, editor.token, timeline.id, 'view');
    const adminLink = await createLinkAs(server, server.admin!.token, timeline.id, 'edit');
    const live = linkSocket(server, timeline.id, editLink.token);
    await admitted(live);

    const demoted = await call(server, 'PATCH', `/api/users/${editor.id}`, {
      bearer: server.admin!.token,
      body: { role: 'viewer' },
    });
    assert.equal(demoted.status, 200);
    const closed = await whenClosed(live);
    assert.equal(closed.code, CloseCode.unauthorized);
    assert.match(closed.reason, /suspended/);

    // The link is refused from now on, over REST and the websocket.
    const rest = await call(server, 'GET', `/api/timelines/${timeline.id}`, {
      bearer: editLink.token,
    });
    assert.equal(rest.status, 401);
    assert.match(errorOf(rest), /suspended/);
    const again = await whenClosed(linkSocket(server, timeline.id, editLink.token));
    assert.equal(again.code, CloseCode.unauthorized);
    // A view link needs only a viewer: it keeps working, as do links others made.
    for (const token of [viewLink.token, adminLink.token]) {
      const ok = await call(server, 'GET', `/api/timelines/${timeline.id}`, { bearer: token });
      assert.equal(ok.status, 200);
    }

    // The share panel's data: maker and state. Promoting again does not restore the link.
    await call(server, 'PATCH', `/api/users/${editor.id}`, {
      bearer: server.admin!.token,
      body: { role: 'editor' },
    });
    const links = await linksOf(server, timeline.id);
    const suspended = links.get(editLink.id)!;
    assert.equal(suspended.status, 'suspended');
    assert.ok(suspended.suspendedAt);
    assert.match(suspended.suspendedReason ?? '', /viewer/);
    assert.deepEqual(suspended.createdBy, { id: editor.id, name: editor.name });
    assert.equal(links.get(viewLink.id)!.status, 'active');
    assert.equal(links.get(adminLink.id)!.createdBy?.name, 'Test Admin');
  });

  it('refuses a removed person’s view link and closes its connection; the list names the maker as removed', async () => {
    const editor = await createAccount(server, 'editor', 'removed');
    const timeline = await createTimeline(server, 'Removal');
    const viewLink = await createLinkAs(server, editor.token, timeline.id, 'view');
    const live = linkSocket(server, timeline.id, viewLink.token);
    await admitted(live);

    const removed = await call(server, 'DELETE', `/api/users/${editor.id}`, {
      bearer: server.admin!.token,
    });
    assert.equal(removed.status, 200, JSON.stringify(removed.body));
    const closed = await whenClosed(live);
    assert.equal(closed.code, CloseCode.unauthorized);
    assert.match(closed.reason, /suspended/);
    const rest = await call(server, 'GET', `/api/timelines/${timeline.id}`, {
      bearer: viewLink.token,
    });
    assert.equal(rest.status, 401);

    const link = (await linksOf(server, timeline.id)).get(viewLink.id)!;
    assert.equal(link.status, 'suspended');
    assert.deepEqual(link.createdBy, { id: editor.id, name: null });
    // An admin can still revoke it for good.
    const revoked = await call(
      server,
      'DELETE',
      `/api/timelines/${timeline.id}/links/${viewLink.id}`,
      { bearer: server.admin!.token },
    );
    assert.equal(revoked.status, 200);
    assert.equal((await linksOf(server, timeline.id)).get(viewLink.id)!.status, 'revoked');
  });
});

describe('access review: setup of a fresh instance listening on 0.0.0.0', () => {
  let backend: Backend;
  let server: ServerProcess;

  before(async () => {
    backend = await createBackend('pglite');
    server = await startServerProcess({
      ...backend.storage,
      admin: false,
      env: { HOST: '0.0.0.0', LOG_LEVEL: 'warn', SEED_DEMO: 'false' },
    });
  });

  after(async () => {
    await server?.stop();
    await backend?.cleanup();
  });

  const admin = { email: 'first@review.test', name: 'First', password: 'a long enough password' };

  it('refuses setup without the code from the start-up log, and accepts it with the code, once', async () => {
    const code = await waitFor(
      () => /"setupCode":"([A-Z0-9-]+)"/.exec(server.log())?.[1],
      'the setup code in the start-up log',
    );
    const me = await call<Viewer>(server, 'GET', '/api/auth/me');
    assert.deepEqual(me.body, { kind: 'anonymous', setupRequired: true, setupCodeRequired: true });
    const page = await fetch(`${server.url}/setup`);
    assert.match(await page.text(), /Setup code/);

    const without = await call(server, 'POST', '/api/setup', { body: admin });
    assert.equal(without.status, 403);
    assert.match(errorOf(without), /setup code/);
    const wrong = await call(server, 'POST', '/api/setup', {
      body: { ...admin, setupCode: 'AAAA-BBBB-CCCC' },
    });
    assert.equal(wrong.status, 403);
    // Nothing was created by the refused attempts.
    assert.equal((await call<Viewer>(server, 'GET', '/api/auth/me')).body.setupRequired, true);

    const right = await call<{ user: UserSummary }>(server, 'POST', '/api/setup', {
      body: { ...admin, setupCode: code.toLowerCase() },
    });
    assert.equal(right.status, 201, JSON.stringify(right.body));
    assert.equal(right.body.user.role, 'admin');
    const twice = await call(server, 'POST', '/api/setup', {
      body: { ...admin, email: 'second@review.test', setupCode: code },
    });
    assert.equal(twice.status, 409);
  });
});

describe('access review: PostgreSQL, sessions of a few seconds', () => {
  let backend: Backend;
  let server: ServerProcess;
  const SESSION_TTL_MS = 4_000;

  before(async () => {
    backend = await createBackend('postgresql');
    server = await startServerProcess({
      ...backend.storage,
      env: { SESSION_TTL_MS: String(SESSION_TTL_MS) },
    });
  });

  after(async () => {
    await server?.stop();
    await backend?.cleanup();
  });

  it('applies the share-link migration: a demoted editor’s link is suspended here too', async () => {
    const editor = await createAccount(server, 'editor', 'pg-demoted');
    const timeline = await createTimeline(server, 'Demotion on PostgreSQL');
    const editLink = await createLinkAs(server, editor.token, timeline.id, 'edit');
    await call(server, 'PATCH', `/api/users/${editor.id}`, {
      bearer: server.admin!.token,
      body: { role: 'viewer' },
    });
    const rest = await call(server, 'GET', `/api/timelines/${timeline.id}`, {
      bearer: editLink.token,
    });
    assert.equal(rest.status, 401);
    const link = (await linksOf(server, timeline.id)).get(editLink.id)!;
    assert.equal(link.status, 'suspended');
    assert.deepEqual(link.createdBy, { id: editor.id, name: editor.name });
  });

  it('closes a session’s websocket when the session expires, and refuses it afterwards', async () => {
    const person = await createAccount(server, 'editor', 'expiring');
    const timeline = await createTimeline(server, 'Expiry');
    const headers = { cookie: person.cookie, origin: server.url };
    const opened = Date.now();
    const live = openRaw(`${server.wsUrl}/${timeline.id}`, headers);
    await admitted(live);
    const closed = await whenClosed(live, SESSION_TTL_MS * 3);
    assert.equal(closed.code, CloseCode.unauthorized);
    assert.ok(Date.now() - opened < SESSION_TTL_MS * 3);
    const again = await whenClosed(openRaw(`${server.wsUrl}/${timeline.id}`, headers));
    assert.equal(again.code, CloseCode.unauthorized);
    assert.match(again.reason, /session/);
  });
});
