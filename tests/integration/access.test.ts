/**
 * Access control through the real server (child process): who may call which REST endpoint (a
 * table of every route × every kind of caller, on PGlite and on PostgreSQL), share links end to
 * end, the collaboration websocket's refusals and read-only mode, revocation closing live
 * connections, the sign-in rules, activity attribution and the admin command line.
 *
 * Every account is made the way people make them: the admin by first-run setup, the others by
 * an admin's invite and its acceptance, each then creating an API token with its session cookie.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { CreatedSecret, ShareLinkSummary, UserSummary, Viewer } from '../../lib/access';
import { CloseCode } from '../../lib/limits';
import { createEvent, readEvents, readLanes } from '../../lib/timeline/model';
import type { ActivitySummary, TimelineSummary } from '../../lib/timeline/schemas';
import type { TimelineExport } from '../../server/services/timelines';
import { TEST_ADMIN } from './helpers/auth';
import { type Backend, createBackend } from './helpers/backends';
import { connectClient, type TestClient, waitFor, waitForSync } from './helpers/clients';
import { call, type Reply } from './helpers/http';
import { ROOT, type ServerProcess, startServerProcess } from './helpers/serverProcess';

// -- HTTP ------------------------------------------------------------------------------------------

function cookieOf(reply: Reply<unknown>): string {
  const header = reply.headers.getSetCookie().find((value) => value.startsWith('cb_session='));
  assert.ok(header, `a session cookie in the response (status ${reply.status})`);
  return header.split(';')[0]!;
}

/** Asserts a refusal: the status, and a JSON `error` that says something. */
function assertRefused(reply: Reply<unknown>, status: 401 | 403 | 409 | 429 | 400 | 404) {
  assert.equal(reply.status, status, JSON.stringify(reply.body));
  const error = (reply.body as { error?: unknown }).error;
  assert.equal(typeof error, 'string');
  assert.ok((error as string).length > 5, `a message: ${error}`);
  return error as string;
}

// -- accounts and fixtures -------------------------------------------------------------------------

interface Account {
  id: string;
  email: string;
  name: string;
  password: string;
  role: UserSummary['role'];
  /** `cb_session=…` from accepting the invite (or setup). */
  cookie: string;
  /** An API token the account created for itself with its cookie. */
  token: string;
  tokenId: string;
}

let accountCounter = 0;

async function createInvite(server: ServerProcess, role: UserSummary['role']) {
  const reply = await call<CreatedSecret>(server, 'POST', '/api/invites', {
    bearer: server.admin!.token,
    body: { role },
  });
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  return reply.body;
}

/** An account made through the real flow: invite (admin), accept, then an API token. */
async function createAccount(
  server: ServerProcess,
  role: UserSummary['role'],
  label: string,
): Promise<Account> {
  const invite = await createInvite(server, role);
  const n = ++accountCounter;
  const email = `${label}-${n}@access.test`;
  const name = `${label[0]!.toUpperCase()}${label.slice(1)} ${n}`;
  const password = `password of ${label} ${n}`;
  const accepted = await call<{ user: UserSummary }>(server, 'POST', '/api/invites/accept', {
    body: { token: invite.token, email, name, password },
  });
  assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
  assert.equal(accepted.body.user.role, role);
  const cookie = cookieOf(accepted);
  const created = await call<CreatedSecret>(server, 'POST', '/api/tokens', {
    cookie,
    body: { name: `${label} token` },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.match(created.body.token, /^cbt_/);
  return {
    id: accepted.body.user.id,
    email,
    name,
    password,
    role,
    cookie,
    token: created.body.token,
    tokenId: created.body.id,
  };
}

async function createTimelineAs(server: ServerProcess, bearer: string, title: string) {
  const reply = await call<TimelineSummary>(server, 'POST', '/api/timelines', {
    bearer,
    body: { title },
  });
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  return reply.body;
}

async function createLink(
  server: ServerProcess,
  timelineId: string,
  body: { role: 'view' | 'edit'; expiresAt?: string; label?: string },
) {
  const reply = await call<CreatedSecret>(server, 'POST', `/api/timelines/${timelineId}/links`, {
    bearer: server.admin!.token,
    body,
  });
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  return reply.body as Required<CreatedSecret>;
}

async function exportOf(server: ServerProcess, timelineId: string): Promise<TimelineExport> {
  const reply = await call<TimelineExport>(server, 'GET', `/api/timelines/${timelineId}/export`, {
    bearer: server.admin!.token,
  });
  assert.equal(reply.status, 200);
  return reply.body;
}

// -- websocket -------------------------------------------------------------------------------------

interface RawClient {
  ws: WebSocket;
  /** Every message received, from the start. */
  messages: Uint8Array[];
  closed: Promise<{ code: number; reason: string }>;
}

/** A hand-made websocket client that records everything it receives and how it was closed. */
function openRaw(url: string, headers?: Record<string, string>): RawClient {
  const ws = new WebSocket(url, { headers });
  const messages: Uint8Array[] = [];
  ws.on('message', (data: Buffer) => messages.push(new Uint8Array(data)));
  ws.on('error', () => {});
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  return { ws, messages, closed };
}

/** How the server closed the connection; fails if it is still open after `ms`. */
function whenClosed(client: RawClient, ms = 10_000): Promise<{ code: number; reason: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still open after ${ms} ms`)), ms);
  });
  return Promise.race([client.closed, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves once the server has sent the first message (sync step 1): the connection is in. */
async function admitted(client: RawClient): Promise<void> {
  await Promise.race([
    waitFor(() => client.messages.length > 0, 'the first message from the server'),
    client.closed.then(({ code, reason }) => {
      throw new Error(`closed with ${code} (${reason}) instead of being admitted`);
    }),
  ]);
  // y-websocket: message type 0 (sync), sync step 1 (0).
  assert.deepEqual([...client.messages[0]!.subarray(0, 2)], [0, 0]);
}

/** Asserts a refusal: closed with `code` before the server sent a single byte of the document. */
async function assertRefusedWs(client: RawClient, code: number): Promise<string> {
  const closed = await whenClosed(client);
  assert.equal(closed.code, code, `close reason: ${closed.reason}`);
  assert.equal(client.messages.length, 0, 'no message before the close');
  assert.ok(closed.reason.length > 0, 'a close reason');
  return closed.reason;
}

function syncUpdateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

/**
 * Sends sync step 1 and waits for the server's step 2: the server handles a connection's messages
 * in order, so everything sent before has been handled when this resolves.
 */
async function roundTrip(client: RawClient): Promise<void> {
  const from = client.messages.length;
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  syncProtocol.writeSyncStep1(encoder, new Y.Doc());
  client.ws.send(encoding.toUint8Array(encoder));
  await waitFor(
    () => client.messages.slice(from).some((m) => m[0] === 0 && m[1] === 1),
    'sync step 2 from the server',
  );
}

/** An update that adds one event to a timeline whose state `base` holds (for raw clients). */
function eventUpdate(base: Y.Doc, title: string): { id: string; update: Uint8Array } {
  const scratch = new Y.Doc();
  Y.applyUpdate(scratch, Y.encodeStateAsUpdate(base));
  const updates: Uint8Array[] = [];
  scratch.on('update', (update: Uint8Array) => updates.push(update));
  const id = createEvent(scratch, {
    title,
    kind: 'point',
    start: '2020-01-01',
    lane: readLanes(scratch)[0]!.id,
  });
  scratch.destroy();
  return { id, update: Y.mergeUpdates(updates) };
}

/** Close codes a y-websocket client has been closed with. */
function closeCodes(client: TestClient): number[] {
  const codes: number[] = [];
  client.provider.on('connection-close', (event) => {
    if (event) codes.push(event.code);
  });
  return codes;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// -- the REST matrix -------------------------------------------------------------------------------

const CALLERS = [
  'anonymous',
  'viewer',
  'editor',
  'admin',
  'viewLink',
  'editLink',
  'otherLink',
] as const;
type Caller = (typeof CALLERS)[number];

/**
 * Who gets what, per endpoint. Callers: no credentials; a viewer's, an editor's and an admin's API
 * token; a view and an edit share link of timeline :id, and a view link of another timeline — all
 * as `Authorization: Bearer`. Allowed calls are made with valid bodies and ids, so they succeed;
 * 409 for setup (already done) is the allowed answer.
 */
const MATRIX = `
  endpoint                                                anonymous viewer editor admin viewLink editLink otherLink
  GET    /api/health                                          200     200    200    200    200      200      200
  POST   /api/setup                                           409     409    409    409    409      409      409
  POST   /api/auth/login                                      200     200    200    200    200      200      200
  POST   /api/auth/logout                                     200     200    200    200    200      200      200
  GET    /api/auth/me                                         200     200    200    200    200      200      200
  POST   /api/auth/password                                   401     403    403    403    403      403      403
  GET    /api/users                                           401     403    403    200    403      403      403
  PATCH  /api/users/:userId                                   401     403    403    200    403      403      403
  DELETE /api/users/:userId                                   401     403    403    200    403      403      403
  GET    /api/invites                                         401     403    403    200    403      403      403
  POST   /api/invites                                         401     403    403    201    403      403      403
  DELETE /api/invites/:inviteId                               401     403    403    200    403      403      403
  POST   /api/invites/accept                                  201     201    201    201    201      201      201
  GET    /api/tokens                                          401     200    200    200    403      403      403
  POST   /api/tokens                                          401     201    201    201    403      403      403
  DELETE /api/tokens/:tokenId                                 401     200    200    200    403      403      403
  GET    /api/timelines                                       401     200    200    200    403      403      403
  POST   /api/timelines                                       401     403    201    201    403      403      403
  GET    /api/timelines/:id                                   401     200    200    200    200      200      403
  DELETE /api/timelines/:id                                   401     403    403    200    403      403      403
  POST   /api/timelines/:id/duplicate                         401     403    201    201    403      403      403
  POST   /api/timelines/:id/import                            401     403    200    200    403      200      403
  GET    /api/timelines/:id/export                            401     200    200    200    200      200      403
  GET    /api/timelines/:id/activity                          401     200    200    200    200      200      403
  GET    /api/timelines/:id/visit                             401     200    200    200    403      403      403
  POST   /api/timelines/:id/visit                             401     200    200    200    403      403      403
  GET    /api/timelines/:id/snapshots                         401     200    200    200    200      200      403
  POST   /api/timelines/:id/snapshots                         401     403    201    201    403      201      403
  GET    /api/timelines/:id/snapshots/:snapshotId             401     200    200    200    200      200      403
  GET    /api/timelines/:id/snapshots/:snapshotId/diff        401     200    200    200    200      200      403
  POST   /api/timelines/:id/snapshots/:snapshotId/restore     401     403    200    200    403      200      403
  GET    /api/timelines/:id/links                             401     403    200    200    403      403      403
  POST   /api/timelines/:id/links                             401     403    201    201    403      403      403
  DELETE /api/timelines/:id/links/:linkId                     401     403    200    200    403      403      403
  GET    /api/timelines/:id/comments                          401     200    200    200    200      200      403
  POST   /api/timelines/:id/comments                          401     201    201    201    403      403      403
  GET    /api/timelines/:id/comments/counts                   401     200    200    200    200      200      403
  PATCH  /api/timelines/:id/comments/:commentId               401     200    200    200    403      403      403
  DELETE /api/timelines/:id/comments/:commentId               401     200    200    200    403      403      403
`;

interface MatrixRow {
  endpoint: string;
  expected: Record<Caller, number>;
}

function parseMatrix(table: string): MatrixRow[] {
  const [header, ...lines] = table
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/));
  assert.deepEqual(header!.slice(1), [...CALLERS]);
  return lines.map(([method, route, ...codes]) => {
    assert.equal(codes.length, CALLERS.length, `${method} ${route}`);
    const expected = Object.fromEntries(CALLERS.map((caller, i) => [caller, Number(codes[i])]));
    return { endpoint: `${method} ${route}`, expected: expected as Record<Caller, number> };
  });
}

/** Every `METHOD /api/path` the app exports, from app/api/**\/route.ts. */
function listRoutes(): string[] {
  const routes: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const relative = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(relative);
      else if (entry.name === 'route.ts') {
        const source = readFileSync(path.join(ROOT, relative), 'utf8');
        const urlPath = `/${path.posix.dirname(relative).replace(/^app\//, '')}`.replace(
          /\[(\w+)\]/g,
          ':$1',
        );
        for (const match of source.matchAll(/export const (GET|POST|PUT|PATCH|DELETE|HEAD)\b/g)) {
          routes.push(`${match[1]} ${urlPath}`);
        }
      }
    }
  };
  walk('app/api');
  return routes.sort();
}

/** What the matrix runs against: accounts, two timelines, a snapshot and share links. */
interface World {
  server: ServerProcess;
  admin: { id: string; token: string; cookie: string };
  viewer: Account;
  editor: Account;
  /** A viewer that is signed in to and whose role is set (to the same) by the matrix. */
  bystander: Account;
  timeline: TimelineSummary;
  other: TimelineSummary;
  snapshotId: string;
  /** An event of `timeline`, for comments. */
  eventId: string;
  viewLink: Required<CreatedSecret>;
  editLink: Required<CreatedSecret>;
  otherLink: Required<CreatedSecret>;
}

async function buildWorld(server: ServerProcess): Promise<World> {
  const me = await call<Viewer>(server, 'GET', '/api/auth/me', { bearer: server.admin!.token });
  assert.equal(me.body.kind, 'user');
  const admin = {
    id: (me.body as Extract<Viewer, { kind: 'user' }>).user.id,
    token: server.admin!.token,
    cookie: server.admin!.cookie,
  };
  const [viewer, editor, bystander] = [
    await createAccount(server, 'viewer', 'viewer'),
    await createAccount(server, 'editor', 'editor'),
    await createAccount(server, 'viewer', 'bystander'),
  ];
  const timeline = await createTimelineAs(server, admin.token, 'Matrix');
  const other = await createTimelineAs(server, admin.token, 'Matrix (other)');
  // Before the snapshot, so that the matrix's restores keep it.
  const eventId = await addEvent(server, timeline.id);
  const snapshot = await call<{ id: string }>(
    server,
    'POST',
    `/api/timelines/${timeline.id}/snapshots`,
    { bearer: admin.token, body: { label: 'matrix baseline' } },
  );
  assert.equal(snapshot.status, 201);
  return {
    server,
    admin,
    viewer,
    editor,
    bystander,
    timeline,
    other,
    snapshotId: snapshot.body.id,
    eventId,
    viewLink: await createLink(server, timeline.id, { role: 'view' }),
    editLink: await createLink(server, timeline.id, { role: 'edit' }),
    otherLink: await createLink(server, other.id, { role: 'view' }),
  };
}

/** Adds an event to a timeline over the websocket (as the admin); resolves once the server has it. */
async function addEvent(server: ServerProcess, timelineId: string): Promise<string> {
  const client = connectClient(server.wsUrl, timelineId, new Y.Doc(), {
    token: server.admin!.token,
  });
  try {
    await waitForSync(client);
    const id = createEvent(client.doc, {
      title: 'Commented on',
      kind: 'point',
      start: '2020-01-01',
      lane: readLanes(client.doc)[0]!.id,
    });
    await waitFor(
      async () => (await exportOf(server, timelineId)).events.some((event) => event.id === id),
      'the server to have the event',
    );
    return id;
  } finally {
    client.destroy();
  }
}

/** A comment on the world's event by the caller if it has an account, else by the admin. */
async function commentFor(w: World, caller: Caller): Promise<string> {
  const author = ['viewer', 'editor', 'admin'].includes(caller)
    ? bearerOf(w, caller)!
    : w.admin.token;
  const created = await call<{ id: string }>(
    w.server,
    'POST',
    `/api/timelines/${w.timeline.id}/comments`,
    { bearer: author, body: { eventId: w.eventId, body: `by ${caller}` } },
  );
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body.id;
}

function bearerOf(world: World, caller: Caller): string | undefined {
  switch (caller) {
    case 'anonymous':
      return undefined;
    case 'viewer':
      return world.viewer.token;
    case 'editor':
      return world.editor.token;
    case 'admin':
      return world.admin.token;
    case 'viewLink':
      return world.viewLink.token;
    case 'editLink':
      return world.editLink.token;
    case 'otherLink':
      return world.otherLink.token;
  }
}

type RequestSpec = { path: string; body?: unknown };

/**
 * How each endpoint is called. Resources a call consumes (an invite, a token, a link, an account
 * to remove) are made fresh for every caller, so one caller's success cannot change another's
 * outcome.
 */
const REQUESTS: Record<string, (world: World, caller: Caller) => Promise<RequestSpec>> = {
  'GET /api/health': async () => ({ path: '/api/health' }),
  'POST /api/setup': async () => ({
    path: '/api/setup',
    body: { email: 'second-admin@access.test', name: 'Usurper', password: 'usurper password' },
  }),
  'POST /api/auth/login': async (w) => ({
    path: '/api/auth/login',
    body: { email: w.bystander.email, password: w.bystander.password },
  }),
  'POST /api/auth/logout': async () => ({ path: '/api/auth/logout' }),
  'GET /api/auth/me': async () => ({ path: '/api/auth/me' }),
  // Bearer tokens may not change passwords (browser sessions only: see 'rules for accounts').
  'POST /api/auth/password': async () => ({
    path: '/api/auth/password',
    body: { currentPassword: 'whatever it is', newPassword: 'a new long password' },
  }),
  'GET /api/users': async () => ({ path: '/api/users' }),
  'PATCH /api/users/:userId': async (w) => ({
    path: `/api/users/${w.bystander.id}`,
    body: { role: 'viewer' },
  }),
  'DELETE /api/users/:userId': async (w) => ({
    path: `/api/users/${(await createAccount(w.server, 'viewer', 'removable')).id}`,
  }),
  'GET /api/invites': async () => ({ path: '/api/invites' }),
  'POST /api/invites': async () => ({ path: '/api/invites', body: { role: 'viewer' } }),
  'DELETE /api/invites/:inviteId': async (w) => ({
    path: `/api/invites/${(await createInvite(w.server, 'viewer')).id}`,
  }),
  'POST /api/invites/accept': async (w, caller) => ({
    path: '/api/invites/accept',
    body: {
      token: (await createInvite(w.server, 'viewer')).token,
      email: `accepted-by-${caller.toLowerCase()}-${++accountCounter}@access.test`,
      name: `Accepted ${caller}`,
      password: 'a long enough password',
    },
  }),
  'GET /api/tokens': async () => ({ path: '/api/tokens' }),
  'POST /api/tokens': async () => ({ path: '/api/tokens', body: { name: 'matrix' } }),
  'DELETE /api/tokens/:tokenId': async (w, caller) => {
    // The caller's own token if it has an account (one may only revoke one's own), else the
    // admin's.
    const owner = ['viewer', 'editor', 'admin'].includes(caller)
      ? bearerOf(w, caller)!
      : w.admin.token;
    const created = await call<CreatedSecret>(w.server, 'POST', '/api/tokens', {
      bearer: owner,
      body: { name: 'to revoke' },
    });
    assert.equal(created.status, 201);
    return { path: `/api/tokens/${created.body.id}` };
  },
  'GET /api/timelines': async () => ({ path: '/api/timelines' }),
  'POST /api/timelines': async () => ({ path: '/api/timelines', body: { title: 'By matrix' } }),
  'GET /api/timelines/:id': async (w) => ({ path: `/api/timelines/${w.timeline.id}` }),
  // A timeline of its own, so the allowed call does not delete the one the other rows use.
  'DELETE /api/timelines/:id': async (w) => ({
    path: `/api/timelines/${(await createTimelineAs(w.server, w.admin.token, 'To delete')).id}`,
  }),
  'POST /api/timelines/:id/duplicate': async (w) => ({
    path: `/api/timelines/${w.timeline.id}/duplicate`,
  }),
  // A dry run of our own JSON format: the allowed calls succeed and write nothing.
  'POST /api/timelines/:id/import': async (w) => ({
    path: `/api/timelines/${w.timeline.id}/import?format=json&dryRun=true`,
    body: {
      lanes: [{ id: 'lane1', title: 'Matrix', color: '#3b82f6', order: 0 }],
      events: [{ title: 'Matrix event', start: '2019-02-18', kind: 'point', lane: 'lane1' }],
    },
  }),
  'GET /api/timelines/:id/export': async (w) => ({
    path: `/api/timelines/${w.timeline.id}/export?format=json`,
  }),
  'GET /api/timelines/:id/activity': async (w) => ({
    path: `/api/timelines/${w.timeline.id}/activity`,
  }),
  'GET /api/timelines/:id/visit': async (w) => ({ path: `/api/timelines/${w.timeline.id}/visit` }),
  'POST /api/timelines/:id/visit': async (w) => ({ path: `/api/timelines/${w.timeline.id}/visit` }),
  'GET /api/timelines/:id/snapshots': async (w) => ({
    path: `/api/timelines/${w.timeline.id}/snapshots`,
  }),
  'POST /api/timelines/:id/snapshots': async (w) => ({
    path: `/api/timelines/${w.timeline.id}/snapshots`,
    body: { label: 'by matrix' },
  }),
  'GET /api/timelines/:id/snapshots/:snapshotId': async (w) => ({
    path: `/api/timelines/${w.timeline.id}/snapshots/${w.snapshotId}`,
  }),
  'GET /api/timelines/:id/snapshots/:snapshotId/diff': async (w) => ({
    path: `/api/timelines/${w.timeline.id}/snapshots/${w.snapshotId}/diff?against=now`,
  }),
  'POST /api/timelines/:id/snapshots/:snapshotId/restore': async (w) => ({
    path: `/api/timelines/${w.timeline.id}/snapshots/${w.snapshotId}/restore`,
    body: {},
  }),
  'GET /api/timelines/:id/links': async (w) => ({ path: `/api/timelines/${w.timeline.id}/links` }),
  'POST /api/timelines/:id/links': async (w) => ({
    path: `/api/timelines/${w.timeline.id}/links`,
    body: { role: 'view' },
  }),
  'DELETE /api/timelines/:id/links/:linkId': async (w) => ({
    path: `/api/timelines/${w.timeline.id}/links/${(await createLink(w.server, w.timeline.id, { role: 'view' })).id}`,
  }),
  'GET /api/timelines/:id/comments': async (w) => ({
    path: `/api/timelines/${w.timeline.id}/comments`,
  }),
  'POST /api/timelines/:id/comments': async (w) => ({
    path: `/api/timelines/${w.timeline.id}/comments`,
    body: { eventId: w.eventId, body: 'by matrix' },
  }),
  'GET /api/timelines/:id/comments/counts': async (w) => ({
    path: `/api/timelines/${w.timeline.id}/comments/counts`,
  }),
  // Each caller's own comment (accounts may only edit and delete theirs; see comments.test.ts).
  'PATCH /api/timelines/:id/comments/:commentId': async (w, caller) => ({
    path: `/api/timelines/${w.timeline.id}/comments/${await commentFor(w, caller)}`,
    body: { body: 'edited by matrix' },
  }),
  'DELETE /api/timelines/:id/comments/:commentId': async (w, caller) => ({
    path: `/api/timelines/${w.timeline.id}/comments/${await commentFor(w, caller)}`,
  }),
};

/** Runs the whole matrix and asserts it, listing every cell that differs at once. */
async function checkMatrix(world: World): Promise<void> {
  const rows = parseMatrix(MATRIX);
  assert.deepEqual(
    rows.map((row) => row.endpoint).sort(),
    listRoutes(),
    'the matrix lists every route the app exports, and only those',
  );
  assert.deepEqual(Object.keys(REQUESTS).sort(), listRoutes());
  const mismatches: string[] = [];
  for (const row of rows) {
    const method = row.endpoint.split(' ')[0]!;
    for (const caller of CALLERS) {
      const spec = await REQUESTS[row.endpoint]!(world, caller);
      const reply = await call(world.server, method, spec.path, {
        bearer: bearerOf(world, caller),
        body: spec.body,
      });
      const expected = row.expected[caller];
      const error = (reply.body as { error?: unknown }).error;
      if (reply.status !== expected) {
        mismatches.push(
          `${row.endpoint} as ${caller}: ${reply.status} (expected ${expected}) ${JSON.stringify(reply.body).slice(0, 200)}`,
        );
      } else if (
        (expected === 401 || expected === 403) &&
        !(typeof error === 'string' && error.length > 5)
      ) {
        mismatches.push(`${row.endpoint} as ${caller}: ${expected} without an error message`);
      }
    }
  }
  assert.deepEqual(mismatches, []);
}

// -- PGlite: the matrix and everything else --------------------------------------------------------

describe('access control (PGlite server)', () => {
  let backend: Backend;
  let server: ServerProcess;
  let world: World;
  const clients: TestClient[] = [];
  const raws: RawClient[] = [];
  const wsUrl = (timelineId: string, query = '') => `${server.wsUrl}/${timelineId}${query}`;
  const raw = (timelineId: string, query = '', headers?: Record<string, string>) => {
    const client = openRaw(wsUrl(timelineId, query), headers);
    raws.push(client);
    return client;
  };
  const client = (timelineId: string, token: string, name?: string) => {
    const connected = connectClient(server.wsUrl, timelineId, new Y.Doc(), { token });
    if (name) connected.provider.awareness.setLocalStateField('user', { name });
    clients.push(connected);
    return connected;
  };

  before(async () => {
    backend = await createBackend('pglite');
    server = await startServerProcess(backend.storage);
    world = await buildWorld(server);
  });

  after(async () => {
    for (const c of clients) c.destroy();
    for (const r of raws) r.ws.terminate();
    await server?.stop();
    await backend?.cleanup();
  });

  it('answers every endpoint × caller as the matrix says', async () => {
    await checkMatrix(world);
  });

  describe('REST credentials', () => {
    it('reports who is calling in /api/auth/me', async () => {
      const anonymous = await call<Viewer>(server, 'GET', '/api/auth/me');
      assert.deepEqual(anonymous.body, { kind: 'anonymous', setupRequired: false });
      const viewer = await call<Viewer>(server, 'GET', '/api/auth/me', {
        bearer: world.viewer.token,
      });
      assert.equal(viewer.body.kind, 'user');
      const user = (viewer.body as Extract<Viewer, { kind: 'user' }>).user;
      assert.deepEqual(
        { id: user.id, email: user.email, name: user.name, role: user.role },
        {
          id: world.viewer.id,
          email: world.viewer.email,
          name: world.viewer.name,
          role: 'viewer',
        },
      );
      const link = await call<Viewer>(server, 'GET', '/api/auth/me', {
        bearer: world.viewLink.token,
      });
      assert.deepEqual(link.body, {
        kind: 'link',
        link: { id: world.viewLink.id, timelineId: world.timeline.id, role: 'view' },
        setupRequired: false,
      });
    });

    it('refuses invalid bearer tokens with 401 and a reason, even on reads', async () => {
      const path = `/api/timelines/${world.timeline.id}`;
      const unknown = await call(server, 'GET', path, { bearer: 'cbt_not-a-real-token' });
      assert.match(assertRefused(unknown, 401), /not valid/);
      const unknownLink = await call(server, 'GET', path, { bearer: 'cbl_not-a-real-link' });
      assert.match(assertRefused(unknownLink, 401), /not valid/);
      // Session tokens only count in the cookie, never in headers or URLs.
      const session = world.viewer.cookie.slice('cb_session='.length);
      assert.match(session, /^cbs_/);
      const asBearer = await call(server, 'GET', path, { bearer: session });
      assert.match(assertRefused(asBearer, 401), /API token|share link/);
      assertRefused(await call(server, 'GET', path, { bearer: 'garbage' }), 401);
      // Anonymous callers are told how to sign in.
      assert.match(assertRefused(await call(server, 'GET', path), 401), /sign in/);
    });

    it('accepts a session cookie, but refuses a cross-site POST before reading it (403)', async () => {
      const post = (headers: Record<string, string>) =>
        call<CreatedSecret>(server, 'POST', '/api/tokens', {
          cookie: world.viewer.cookie,
          headers,
          body: { name: 'via cookie' },
        });
      assert.equal((await post({})).status, 201, 'no Origin (a script)');
      assert.equal((await post({ origin: server.url })).status, 201, 'same origin');
      // Every state-changing request checks Origin first (app/api/_lib/http.ts), so a forged
      // cross-site POST is refused whatever credentials it carries.
      assert.match(assertRefused(await post({ origin: 'http://evil.example' }), 403), /cross-site/);
      assert.match(
        assertRefused(await post({ origin: server.url.replace('127.0.0.1', 'localhost') }), 403),
        /cross-site/,
      );
      // The same cookie on a plain read works.
      const list = await call(server, 'GET', '/api/tokens', { cookie: world.viewer.cookie });
      assert.equal(list.status, 200);
    });

    it('accepts ?token= with a share link on REST reads of its timeline only', async () => {
      const own = await call<TimelineSummary>(
        server,
        'GET',
        `/api/timelines/${world.timeline.id}?token=${encodeURIComponent(world.viewLink.token)}`,
      );
      assert.equal(own.status, 200);
      assert.equal(own.body.id, world.timeline.id);
      const exported = await call<TimelineExport>(
        server,
        'GET',
        `/api/timelines/${world.timeline.id}/export?format=json&token=${world.viewLink.token}`,
      );
      assert.equal(exported.status, 200);
      assert.equal(exported.body.timeline.id, world.timeline.id);
      assertRefused(
        await call(server, 'GET', `/api/timelines/${world.other.id}?token=${world.viewLink.token}`),
        403,
      );
      // A view link cannot write even through the URL.
      assertRefused(
        await call(
          server,
          'POST',
          `/api/timelines/${world.timeline.id}/snapshots?token=${world.viewLink.token}`,
          { body: { label: 'no' } },
        ),
        403,
      );
    });

    it('refuses API tokens and session tokens in ?token= on REST (they would leak in logs)', async () => {
      const apiToken = await call(
        server,
        'GET',
        `/api/timelines/${world.timeline.id}?token=${world.admin.token}`,
      );
      assert.match(assertRefused(apiToken, 401), /not accepted in the URL/);
      const session = world.viewer.cookie.slice('cb_session='.length);
      assertRefused(
        await call(server, 'GET', `/api/timelines?token=${encodeURIComponent(session)}`),
        401,
      );
    });

    it('lets accounts revoke only their own API tokens', async () => {
      const mine = await call<CreatedSecret>(server, 'POST', '/api/tokens', {
        bearer: world.editor.token,
        body: { name: 'editor spare' },
      });
      assert.equal(mine.status, 201);
      const listed = await call<{ tokens: { id: string; name: string }[] }>(
        server,
        'GET',
        '/api/tokens',
        { bearer: world.editor.token },
      );
      assert.ok(listed.body.tokens.some((token) => token.id === mine.body.id));
      assert.ok(!JSON.stringify(listed.body).includes(mine.body.token), 'secrets never listed');
      // Not even an admin revokes someone else's token through /api/tokens.
      assertRefused(
        await call(server, 'DELETE', `/api/tokens/${mine.body.id}`, { bearer: world.admin.token }),
        404,
      );
      const works = await call(server, 'GET', '/api/auth/me', { bearer: mine.body.token });
      assert.equal((works.body as Viewer).kind, 'user');
      const revoked = await call(server, 'DELETE', `/api/tokens/${mine.body.id}`, {
        bearer: world.editor.token,
      });
      assert.equal(revoked.status, 200);
      assertRefused(await call(server, 'GET', '/api/tokens', { bearer: mine.body.token }), 401);
    });
  });

  describe('share links', () => {
    it('creates a link whose URL opens the timeline, and lists it without its secret', async () => {
      const created = await call<CreatedSecret>(
        server,
        'POST',
        `/api/timelines/${world.timeline.id}/links`,
        { bearer: world.editor.token, body: { role: 'view', label: 'for the press' } },
      );
      assert.equal(created.status, 201);
      const { id, token, url } = created.body;
      assert.match(token, /^cbl_[A-Za-z0-9_-]{43}$/);
      assert.ok(url!.includes(`/t/${world.timeline.id}?token=`), url);
      assert.equal(new URL(url!).searchParams.get('token'), token);
      assert.equal(new URL(url!).origin, server.url);

      const listed = await call<{ links: ShareLinkSummary[] }>(
        server,
        'GET',
        `/api/timelines/${world.timeline.id}/links`,
        { bearer: world.editor.token },
      );
      assert.equal(listed.status, 200);
      const entry = listed.body.links.find((link) => link.id === id);
      assert.ok(entry);
      assert.equal(entry.status, 'active');
      assert.equal(entry.role, 'view');
      assert.equal(entry.label, 'for the press');
      assert.equal(entry.timelineId, world.timeline.id);
      assert.equal(entry.revokedAt, null);
      assert.equal(entry.expiresAt, null);
      assert.ok(!JSON.stringify(listed.body).includes(token), 'the token is never listed');
      for (const link of listed.body.links) {
        assert.ok(!('token' in link) && !('tokenHash' in link));
      }
      // Links of one timeline are not listed under another.
      const otherList = await call<{ links: ShareLinkSummary[] }>(
        server,
        'GET',
        `/api/timelines/${world.other.id}/links`,
        { bearer: world.editor.token },
      );
      assert.ok(!otherList.body.links.some((link) => link.id === id));
      // Nor revoked through another timeline's path.
      assertRefused(
        await call(server, 'DELETE', `/api/timelines/${world.other.id}/links/${id}`, {
          bearer: world.editor.token,
        }),
        404,
      );
      assert.equal(
        (await call(server, 'GET', `/api/timelines/${world.timeline.id}`, { bearer: token }))
          .status,
        200,
      );
    });

    it('refuses an expiry in the past and unknown roles with 400', async () => {
      const post = (body: unknown) =>
        call(server, 'POST', `/api/timelines/${world.timeline.id}/links`, {
          bearer: world.admin.token,
          body,
        });
      const past = new Date(Date.now() - 60_000).toISOString();
      assert.match(assertRefused(await post({ role: 'view', expiresAt: past }), 400), /future/);
      assertRefused(await post({ role: 'admin' }), 400);
      assertRefused(await post({}), 400);
      assertRefused(
        await call(server, 'POST', '/api/timelines/nope/links', {
          bearer: world.admin.token,
          body: { role: 'view' },
        }),
        404,
      );
    });

    it('stops working when it expires: 401 on REST, 4401 on the websocket, open connections closed', async () => {
      const expiresAt = new Date(Date.now() + 3_000);
      const link = await createLink(server, world.timeline.id, {
        role: 'view',
        expiresAt: expiresAt.toISOString(),
      });
      const path = `/api/timelines/${world.timeline.id}`;
      assert.equal((await call(server, 'GET', path, { bearer: link.token })).status, 200);
      const before = raw(world.timeline.id, `?token=${link.token}`);
      await admitted(before);

      // The connection opened before the expiry is closed at the expiry.
      const closedAtExpiry = await whenClosed(before, 10_000);
      assert.equal(closedAtExpiry.code, 4401);
      assert.match(closedAtExpiry.reason, /expired/);
      assert.ok(Date.now() >= expiresAt.getTime() - 50, 'not closed before the expiry');

      await sleep(Math.max(0, expiresAt.getTime() - Date.now()) + 200);
      assert.match(
        assertRefused(await call(server, 'GET', path, { bearer: link.token }), 401),
        /expired/,
      );
      assert.match(
        await assertRefusedWs(raw(world.timeline.id, `?token=${link.token}`), 4401),
        /expired/,
      );
      const listed = await call<{ links: ShareLinkSummary[] }>(server, 'GET', `${path}/links`, {
        bearer: world.admin.token,
      });
      const entry = listed.body.links.find((l) => l.id === link.id)!;
      assert.equal(entry.status, 'expired');
      assert.equal(entry.expiresAt, expiresAt.toISOString());
    });
  });

  describe('collaboration websocket', () => {
    let timeline: TimelineSummary;
    let viewLink: Required<CreatedSecret>;

    before(async () => {
      timeline = await createTimelineAs(server, world.admin.token, 'Websocket access');
      viewLink = await createLink(server, timeline.id, { role: 'view', label: 'ws viewer' });
    });

    it('refuses a connection without credentials with 4401 before any document byte', async () => {
      assert.match(await assertRefusedWs(raw(timeline.id), CloseCode.unauthorized), /sign in/);
    });

    it('refuses garbage, unknown and session tokens in the URL with 4401', async () => {
      const session = world.viewer.cookie.slice('cb_session='.length);
      for (const token of ['garbage', 'cbt_unknown', 'cbl_unknown', session]) {
        await assertRefusedWs(
          raw(timeline.id, `?token=${encodeURIComponent(token)}`),
          CloseCode.unauthorized,
        );
      }
    });

    it('refuses a share link of another timeline with 4403', async () => {
      const reason = await assertRefusedWs(
        raw(world.other.id, `?token=${viewLink.token}`),
        CloseCode.forbidden,
      );
      assert.match(reason, /another timeline/);
      // The same link is fine on its own timeline.
      await admitted(raw(timeline.id, `?token=${viewLink.token}`));
    });

    it('closes a connection whose API token is revoked (4401), and refuses the token after', async () => {
      const spare = await call<CreatedSecret>(server, 'POST', '/api/tokens', {
        bearer: world.editor.token,
        body: { name: 'ws spare' },
      });
      const live = raw(timeline.id, `?token=${spare.body.token}`);
      await admitted(live);
      const revoked = await call(server, 'DELETE', `/api/tokens/${spare.body.id}`, {
        bearer: world.editor.token,
      });
      assert.equal(revoked.status, 200);
      assert.equal((await whenClosed(live)).code, CloseCode.unauthorized);
      await assertRefusedWs(raw(timeline.id, `?token=${spare.body.token}`), CloseCode.unauthorized);
    });

    it('lets a view link sync and be seen, but never write (dropped, then 4403)', async () => {
      const editor = client(timeline.id, world.editor.token, world.editor.name);
      await waitForSync(editor);
      createEvent(editor.doc, {
        title: 'Visible to viewers',
        kind: 'point',
        start: '2020-02-01',
        lane: readLanes(editor.doc)[0]!.id,
      });
      await waitFor(
        async () => (await exportOf(server, timeline.id)).events.length === 1,
        'the editor’s event in the export',
      );

      // A y-websocket client on the view link receives the document and its presence is relayed.
      const viewer = client(timeline.id, viewLink.token, 'Guest viewer');
      await waitForSync(viewer);
      assert.deepEqual(
        readEvents(viewer.doc).map((event) => event.title),
        ['Visible to viewers'],
      );
      await waitFor(
        () =>
          [...editor.provider.awareness.getStates().values()].some(
            (state) => (state as { user?: { name?: string } }).user?.name === 'Guest viewer',
          ),
        'the viewer’s presence at the editor',
      );

      // A hand-made client on the view link sends real updates: none is applied or relayed.
      const exportBefore = await exportOf(server, timeline.id);
      const received: Uint8Array[] = [];
      editor.doc.on('update', (update: Uint8Array) => received.push(update));
      const forger = raw(timeline.id, `?token=${viewLink.token}`);
      await admitted(forger);
      const forged = eventUpdate(editor.doc, 'Forged by a view link');
      forger.ws.send(syncUpdateMessage(forged.update));
      await roundTrip(forger);
      assert.equal(forger.ws.readyState, WebSocket.OPEN, 'one stale write is tolerated');
      const deletion = new Y.Doc();
      Y.applyUpdate(deletion, Y.encodeStateAsUpdate(editor.doc));
      const deletes: Uint8Array[] = [];
      deletion.on('update', (update: Uint8Array) => deletes.push(update));
      deletion.getMap('events').clear();
      forger.ws.send(syncUpdateMessage(Y.mergeUpdates(deletes)));
      forger.ws.send(syncUpdateMessage(forged.update));
      assert.equal((await whenClosed(forger)).code, CloseCode.forbidden);

      await sleep(200);
      assert.equal(received.length, 0, 'nothing relayed to the editor');
      assert.deepEqual(
        readEvents(editor.doc).map((event) => event.title),
        ['Visible to viewers'],
      );
      assert.deepEqual(await exportOf(server, timeline.id), exportBefore);

      // Local edits of the y-websocket viewer stay local too.
      createEvent(viewer.doc, {
        title: 'Viewer scribble',
        kind: 'point',
        start: '2020-02-02',
        lane: readLanes(viewer.doc)[0]!.id,
      });
      await sleep(300);
      assert.ok(!readEvents(editor.doc).some((event) => event.title === 'Viewer scribble'));
      assert.deepEqual(await exportOf(server, timeline.id), exportBefore);
    });

    it('lets an edit link edit: seen by others and persisted', async () => {
      const editLink = await createLink(server, timeline.id, { role: 'edit' });
      const guest = client(timeline.id, editLink.token, 'Guest editor');
      const admin = client(timeline.id, world.admin.token);
      await Promise.all([waitForSync(guest), waitForSync(admin)]);
      const id = createEvent(guest.doc, {
        title: 'Added through an edit link',
        kind: 'point',
        start: '2020-03-01',
        lane: readLanes(guest.doc)[0]!.id,
      });
      await waitFor(
        () => readEvents(admin.doc).some((event) => event.id === id),
        'the admin to see the guest’s event',
      );
      await waitFor(
        async () =>
          (await exportOf(server, timeline.id)).events.some(
            (event) => event.id === id && event.title === 'Added through an edit link',
          ),
        'the event in the export',
      );
    });

    it('closes a revoked link’s connections (4401) and nobody else’s', async () => {
      const link = await createLink(server, timeline.id, { role: 'view' });
      const admin = client(timeline.id, world.admin.token);
      const editor = client(timeline.id, world.editor.token);
      const adminCloses = closeCodes(admin);
      await Promise.all([waitForSync(admin), waitForSync(editor)]);
      const guest = raw(timeline.id, `?token=${link.token}`);
      await admitted(guest);

      const revoked = await call<{ closed: number }>(
        server,
        'DELETE',
        `/api/timelines/${timeline.id}/links/${link.id}`,
        { bearer: world.editor.token },
      );
      assert.equal(revoked.status, 200);
      assert.ok(revoked.body.closed >= 1, `closed ${revoked.body.closed}`);
      const closed = await whenClosed(guest);
      assert.equal(closed.code, CloseCode.unauthorized);
      assert.match(closed.reason, /revoked/);

      // The admin in the same room stays connected and keeps syncing.
      const id = createEvent(admin.doc, {
        title: 'After the revocation',
        kind: 'point',
        start: '2020-04-01',
        lane: readLanes(admin.doc)[0]!.id,
      });
      await waitFor(
        () => readEvents(editor.doc).some((event) => event.id === id),
        'the editor to see the admin’s event',
      );
      assert.deepEqual(adminCloses, []);
      assert.equal(admin.provider.wsconnected, true);

      await assertRefusedWs(raw(timeline.id, `?token=${link.token}`), CloseCode.unauthorized);
      assert.match(
        assertRefused(
          await call(server, 'GET', `/api/timelines/${timeline.id}`, { bearer: link.token }),
          401,
        ),
        /revoked/,
      );
      const listed = await call<{ links: ShareLinkSummary[] }>(
        server,
        'GET',
        `/api/timelines/${timeline.id}/links`,
        { bearer: world.admin.token },
      );
      const entry = listed.body.links.find((l) => l.id === link.id)!;
      assert.equal(entry.status, 'revoked');
      assert.ok(entry.revokedAt);
    });

    it('accepts a session cookie without Origin or from the same origin, refuses a foreign Origin (4403)', async () => {
      const cookie = world.viewer.cookie;
      const reason = await assertRefusedWs(
        raw(timeline.id, '', { cookie, origin: 'http://evil.example' }),
        CloseCode.forbidden,
      );
      assert.match(reason, /cross-site/);
      await admitted(raw(timeline.id, '', { cookie }));
      await admitted(raw(timeline.id, '', { cookie, origin: server.url }));
      // Without the cookie, the same-origin request is just anonymous.
      await assertRefusedWs(raw(timeline.id, '', { origin: server.url }), CloseCode.unauthorized);
    });

    it('closes a user’s connection with 4409 when their role changes; they reconnect read-only', async () => {
      const person = await createAccount(server, 'editor', 'demoted');
      const observer = client(timeline.id, world.admin.token);
      await waitForSync(observer);

      const live = raw(timeline.id, `?token=${person.token}`);
      await admitted(live);
      const allowed = eventUpdate(observer.doc, 'Before the demotion');
      live.ws.send(syncUpdateMessage(allowed.update));
      await waitFor(
        () => readEvents(observer.doc).some((event) => event.id === allowed.id),
        'the editor’s edit to arrive while still an editor',
      );

      const patched = await call<UserSummary>(server, 'PATCH', `/api/users/${person.id}`, {
        bearer: world.admin.token,
        body: { role: 'viewer' },
      });
      assert.equal(patched.status, 200);
      assert.equal(patched.body.role, 'viewer');
      const closed = await whenClosed(live);
      assert.equal(closed.code, CloseCode.accessChanged);
      assert.match(closed.reason, /role/);

      // The same token reconnects as a viewer: its edits are dropped.
      const exportBefore = await exportOf(server, timeline.id);
      const received: Uint8Array[] = [];
      observer.doc.on('update', (update: Uint8Array) => received.push(update));
      const again = raw(timeline.id, `?token=${person.token}`);
      await admitted(again);
      const dropped = eventUpdate(observer.doc, 'After the demotion');
      again.ws.send(syncUpdateMessage(dropped.update));
      await roundTrip(again);
      await sleep(200);
      assert.equal(received.length, 0);
      assert.deepEqual(await exportOf(server, timeline.id), exportBefore);
      again.ws.send(syncUpdateMessage(dropped.update));
      again.ws.send(syncUpdateMessage(dropped.update));
      assert.equal((await whenClosed(again)).code, CloseCode.forbidden);
      // And REST agrees at once.
      assertRefused(
        await call(server, 'POST', '/api/timelines', {
          bearer: person.token,
          body: { title: 'no longer' },
        }),
        403,
      );
    });

    it('closes a removed user’s connection with 4401 and their token stops working', async () => {
      const person = await createAccount(server, 'editor', 'removed');
      const live = raw(timeline.id, `?token=${person.token}`);
      await admitted(live);
      const removed = await call(server, 'DELETE', `/api/users/${person.id}`, {
        bearer: world.admin.token,
      });
      assert.equal(removed.status, 200);
      assert.equal((await whenClosed(live)).code, CloseCode.unauthorized);
      assertRefused(await call(server, 'GET', '/api/tokens', { bearer: person.token }), 401);
      assertRefused(await call(server, 'GET', '/api/tokens', { cookie: person.cookie }), 401);
      await assertRefusedWs(raw(timeline.id, `?token=${person.token}`), CloseCode.unauthorized);
      const login = await call(server, 'POST', '/api/auth/login', {
        body: { email: person.email, password: person.password },
      });
      assertRefused(login, 401);
      const users = await call<{ users: UserSummary[] }>(server, 'GET', '/api/users', {
        bearer: world.admin.token,
      });
      assert.ok(!users.body.users.some((user) => user.id === person.id));
    });

    it('ends the session on logout: its connections close (4401) and the cookie gets 401', async () => {
      const person = await createAccount(server, 'editor', 'leaving');
      const login = await call(server, 'POST', '/api/auth/login', {
        body: { email: person.email, password: person.password },
      });
      assert.equal(login.status, 200);
      const cookie = cookieOf(login);
      assert.equal((await call(server, 'GET', '/api/tokens', { cookie })).status, 200);
      const live = raw(timeline.id, '', { cookie });
      await admitted(live);

      const logout = await call(server, 'POST', '/api/auth/logout', { cookie });
      assert.equal(logout.status, 200);
      const cleared = logout.headers.getSetCookie().find((c) => c.startsWith('cb_session='));
      assert.ok(cleared, 'a Set-Cookie that clears the session');
      assert.ok(cleared.startsWith('cb_session=;'), cleared);
      assert.match(cleared, /Max-Age=0/);
      assert.equal((await whenClosed(live)).code, CloseCode.unauthorized);

      assert.match(
        assertRefused(await call(server, 'GET', '/api/tokens', { cookie }), 401),
        /session/,
      );
      const me = await call<Viewer>(server, 'GET', '/api/auth/me', { cookie });
      assert.equal(me.body.kind, 'anonymous');
      await assertRefusedWs(raw(timeline.id, '', { cookie }), CloseCode.unauthorized);
      // Other sessions and tokens of the same person are untouched.
      assert.equal(
        (await call(server, 'GET', '/api/tokens', { cookie: person.cookie })).status,
        200,
      );
      assert.equal(
        (await call(server, 'GET', '/api/tokens', { bearer: person.token })).status,
        200,
      );
    });
  });

  describe('rules for accounts', () => {
    it('changes a password with the current one; other sessions end, this one and API tokens stay', async () => {
      const person = await createAccount(server, 'editor', 'changer');
      const login = await call(server, 'POST', '/api/auth/login', {
        body: { email: person.email, password: person.password },
      });
      const otherBrowser = cookieOf(login);
      const otherSocket = raw(world.timeline.id, '', { cookie: otherBrowser });
      await admitted(otherSocket);
      const change = (currentPassword: string) =>
        call(server, 'POST', '/api/auth/password', {
          cookie: person.cookie,
          body: { currentPassword, newPassword: 'a brand new passphrase' },
        });

      assert.match(assertRefused(await change('not my password'), 403), /current password/);
      assert.equal((await change(person.password)).status, 200);

      // The other browser is signed out at once, its live connection included.
      const closed = await whenClosed(otherSocket);
      assert.equal(closed.code, 4401);
      assertRefused(await call(server, 'GET', '/api/tokens', { cookie: otherBrowser }), 401);
      // This browser and the API token keep working.
      assert.equal(
        (await call(server, 'GET', '/api/tokens', { cookie: person.cookie })).status,
        200,
      );
      assert.equal(
        (await call(server, 'GET', '/api/tokens', { bearer: person.token })).status,
        200,
      );
      // The old password no longer signs in; the new one does.
      const signIn = (password: string) =>
        call(server, 'POST', '/api/auth/login', { body: { email: person.email, password } });
      assertRefused(await signIn(person.password), 401);
      assert.equal((await signIn('a brand new passphrase')).status, 200);
      // An API token cannot change the password (it could be a script's, not the person's).
      const byToken = await call(server, 'POST', '/api/auth/password', {
        bearer: person.token,
        body: { currentPassword: 'a brand new passphrase', newPassword: 'yet another passphrase' },
      });
      assert.match(assertRefused(byToken, 403), /browser/);
    });

    it('refuses a second setup with 409', async () => {
      const again = await call(server, 'POST', '/api/setup', { body: TEST_ADMIN });
      assert.match(assertRefused(again, 409), /already set up/);
      assert.equal(again.headers.getSetCookie().length, 0, 'no session handed out');
    });

    it('keeps at least one admin, and admins cannot remove themselves', async () => {
      const demote = await call(server, 'PATCH', `/api/users/${world.admin.id}`, {
        bearer: world.admin.token,
        body: { role: 'editor' },
      });
      assert.match(assertRefused(demote, 409), /admin/);
      const remove = await call(server, 'DELETE', `/api/users/${world.admin.id}`, {
        bearer: world.admin.token,
      });
      assert.match(assertRefused(remove, 409), /your own account/);
      const me = await call<Viewer>(server, 'GET', '/api/auth/me', { bearer: world.admin.token });
      assert.equal((me.body as Extract<Viewer, { kind: 'user' }>).user.role, 'admin');

      // With a second admin, one of them may be demoted again.
      const second = await createAccount(server, 'editor', 'promoted');
      const promote = await call<UserSummary>(server, 'PATCH', `/api/users/${second.id}`, {
        bearer: world.admin.token,
        body: { role: 'admin' },
      });
      assert.equal(promote.status, 200);
      assert.equal(promote.body.role, 'admin');
      assert.equal((await call(server, 'GET', '/api/users', { bearer: second.token })).status, 200);
      const back = await call<UserSummary>(server, 'PATCH', `/api/users/${second.id}`, {
        bearer: world.admin.token,
        body: { role: 'editor' },
      });
      assert.equal(back.status, 200);
      assertRefused(await call(server, 'GET', '/api/users', { bearer: second.token }), 403);
      assertRefused(
        await call(server, 'PATCH', '/api/users/nobody', {
          bearer: world.admin.token,
          body: { role: 'viewer' },
        }),
        404,
      );
      assertRefused(
        await call(server, 'PATCH', `/api/users/${second.id}`, {
          bearer: world.admin.token,
          body: { role: 'owner' },
        }),
        400,
      );
    });

    it('uses an invite once, for the role it names', async () => {
      const invite = await createInvite(server, 'editor');
      assert.match(invite.token, /^cbi_/);
      assert.ok(invite.url!.includes(`/invite/${invite.token}`), invite.url);
      const accept = (email: string) =>
        call<{ user: UserSummary }>(server, 'POST', '/api/invites/accept', {
          body: { token: invite.token, email, name: 'Invited', password: 'invited password' },
        });
      // An address that already has an account is refused without using up the invite.
      assert.match(assertRefused(await accept(world.viewer.email), 409), /already exists/);
      const first = await accept('invited-once@access.test');
      assert.equal(first.status, 201);
      assert.equal(first.body.user.role, 'editor');
      assert.match(
        assertRefused(await accept('invited-twice@access.test'), 409),
        /already been used/,
      );
      const invites = await call<{ invites: { id: string; usedAt: string | null }[] }>(
        server,
        'GET',
        '/api/invites',
        { bearer: world.admin.token },
      );
      assert.ok(invites.body.invites.find((i) => i.id === invite.id)?.usedAt);
      assert.ok(!JSON.stringify(invites.body).includes(invite.token), 'secrets never listed');
      // A used invite cannot be withdrawn; a withdrawn one cannot be used.
      assertRefused(
        await call(server, 'DELETE', `/api/invites/${invite.id}`, { bearer: world.admin.token }),
        404,
      );
      const withdrawn = await createInvite(server, 'admin');
      const deleted = await call(server, 'DELETE', `/api/invites/${withdrawn.id}`, {
        bearer: world.admin.token,
      });
      assert.equal(deleted.status, 200);
      assertRefused(
        await call(server, 'POST', '/api/invites/accept', {
          body: {
            token: withdrawn.token,
            email: 'too-late@access.test',
            name: 'Too late',
            password: 'too late password',
          },
        }),
        404,
      );
    });

    it('answers a wrong password and an unknown address alike (401)', async () => {
      const wrong = await call(server, 'POST', '/api/auth/login', {
        body: { email: world.bystander.email, password: 'not the password' },
      });
      const unknown = await call(server, 'POST', '/api/auth/login', {
        body: { email: 'nobody-here@access.test', password: 'not the password' },
      });
      assert.equal(assertRefused(wrong, 401), assertRefused(unknown, 401));
      assert.equal(wrong.headers.getSetCookie().length, 0);
      // Addresses are case-insensitive.
      const right = await call<{ user: UserSummary }>(server, 'POST', '/api/auth/login', {
        body: { email: world.bystander.email.toUpperCase(), password: world.bystander.password },
      });
      assert.equal(right.status, 200);
      assert.equal(right.body.user.id, world.bystander.id);
      cookieOf(right);
    });

    it('refuses sign-in for an address after 10 failures (429), even with the right password', async () => {
      const person = await createAccount(server, 'viewer', 'throttled');
      const attempt = (password: string) =>
        call(server, 'POST', '/api/auth/login', { body: { email: person.email, password } });
      for (let i = 1; i <= 10; i++) {
        assert.equal((await attempt(`wrong ${i}`)).status, 401, `attempt ${i}`);
      }
      assert.match(assertRefused(await attempt('wrong 11'), 429), /too many/);
      assertRefused(await attempt(person.password), 429);
      // Other addresses are not locked out, and the account's token still works.
      const other = await call(server, 'POST', '/api/auth/login', {
        body: { email: world.bystander.email, password: world.bystander.password },
      });
      assert.equal(other.status, 200);
      assert.equal(
        (await call(server, 'GET', '/api/tokens', { bearer: person.token })).status,
        200,
      );
    });
  });

  describe('secrets and throttling', () => {
    it('never sends password hashes: accounts appear as { id, email, name, role, createdAt }', async () => {
      const summaryKeys = ['createdAt', 'email', 'id', 'name', 'role'];
      const me = await call<Extract<Viewer, { kind: 'user' }>>(server, 'GET', '/api/auth/me', {
        bearer: world.viewer.token,
      });
      const users = await call<{ users: UserSummary[] }>(server, 'GET', '/api/users', {
        bearer: world.admin.token,
      });
      const patched = await call<UserSummary>(server, 'PATCH', `/api/users/${world.bystander.id}`, {
        bearer: world.admin.token,
        body: { role: 'viewer' },
      });
      const login = await call<{ user: UserSummary }>(server, 'POST', '/api/auth/login', {
        body: { email: world.bystander.email, password: world.bystander.password },
      });
      const page = await fetch(`${server.url}/`, { headers: { cookie: world.viewer.cookie } });
      const html = await page.text();
      const leaks = {
        me: JSON.stringify(me.body).includes('argon2'),
        users: JSON.stringify(users.body).includes('argon2'),
        patch: JSON.stringify(patched.body).includes('argon2'),
        login: JSON.stringify(login.body).includes('argon2'),
        homePage: html.includes('argon2') || html.includes('passwordHash'),
      };
      assert.deepEqual(leaks, {
        me: false,
        users: false,
        patch: false,
        login: false,
        homePage: false,
      });
      assert.deepEqual(Object.keys(me.body.user).sort(), summaryKeys);
      for (const user of users.body.users) assert.deepEqual(Object.keys(user).sort(), summaryKeys);
    });

    it('does not reset the sign-in limit for a forged X-Forwarded-For header', async () => {
      const person = await createAccount(server, 'viewer', 'forwarded');
      const attempt = (password: string, forwardedFor?: string) =>
        call(server, 'POST', '/api/auth/login', {
          body: { email: person.email, password },
          headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
        });
      for (let i = 1; i <= 10; i++) await attempt(`wrong ${i}`);
      assert.equal((await attempt('wrong 11')).status, 429);
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await attempt('wrong', `203.0.113.${i}`)).status);
      statuses.push((await attempt(person.password, '203.0.113.99')).status);
      assert.deepEqual(statuses, [429, 429, 429, 429]);
    });
  });

  describe('activity attribution', () => {
    it('records an account’s edits under its account name, not the name it announces', async () => {
      const timeline = await createTimelineAs(server, world.admin.token, 'Attribution');
      const editLink = await createLink(server, timeline.id, { role: 'edit' });
      const editor = client(timeline.id, world.editor.token, 'Spoofed');
      const guest = client(timeline.id, editLink.token, 'Guest Gina');
      const observer = client(timeline.id, world.admin.token);
      await Promise.all([waitForSync(editor), waitForSync(guest), waitForSync(observer)]);
      const names = () =>
        [...observer.provider.awareness.getStates().values()].map(
          (state) => (state as { user?: { name?: string } }).user?.name,
        );
      // Others see an account's name, whatever its client announces (issue #9).
      await waitFor(
        () => names().includes(world.editor.name) && names().includes('Guest Gina'),
        'both presences at the server',
      );
      assert.ok(!names().includes('Spoofed'));

      const lane = readLanes(editor.doc)[0]!.id;
      const byEditor = createEvent(editor.doc, {
        title: 'Edited by the editor',
        kind: 'point',
        start: '2020-05-01',
        lane,
      });
      const byGuest = createEvent(guest.doc, {
        title: 'Edited by a guest',
        kind: 'point',
        start: '2020-05-02',
        lane,
      });
      const entries = await waitFor(async () => {
        const reply = await call<{ entries: ActivitySummary[] }>(
          server,
          'GET',
          `/api/timelines/${timeline.id}/activity`,
          { bearer: world.viewer.token },
        );
        const { entries } = reply.body;
        return entries.some((e) => e.eventId === byEditor) &&
          entries.some((e) => e.eventId === byGuest)
          ? entries
          : null;
      }, 'both edits in the activity log');
      const editorEntry = entries.find((e) => e.eventId === byEditor)!;
      assert.equal(editorEntry.action, 'created');
      assert.equal(editorEntry.actor, world.editor.name);
      assert.ok(!entries.some((e) => e.actor === 'Spoofed'));
      // Share-link visitors have no account: their announced name is all there is.
      assert.equal(entries.find((e) => e.eventId === byGuest)!.actor, 'Guest Gina');
    });

    it('records REST changes under the account name, not the author the body claims', async () => {
      const snapshot = await call<{ author: string | null }>(
        server,
        'POST',
        `/api/timelines/${world.timeline.id}/snapshots`,
        { bearer: world.editor.token, body: { label: 'claimed', author: 'Somebody Else' } },
      );
      assert.equal(snapshot.status, 201);
      assert.equal(snapshot.body.author, world.editor.name);
    });
  });

  describe('admin command line on PGlite', () => {
    it('refuses to open the data directory of a running server (exit 2, "in use")', async () => {
      const result = await runCli(['create-user', 'cli@access.test', '--role', 'editor'], {
        DATA_DIR: backend.storage.dataDir,
      });
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /in use/);
      assert.equal(result.stdout, '');
    });
  });
});

// -- PostgreSQL: the matrix again, and the command line --------------------------------------------

async function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/admin.ts', ...args], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stdout, stderr };
}

describe('access control (PostgreSQL server)', () => {
  let backend: Backend;
  let server: ServerProcess;
  let world: World;

  before(async () => {
    backend = await createBackend('postgresql');
    server = await startServerProcess(backend.storage);
    world = await buildWorld(server);
  });

  after(async () => {
    await server?.stop();
    await backend?.cleanup();
  });

  it('answers every endpoint × caller as the matrix says', async () => {
    await checkMatrix(world);
  });

  describe('admin command line', () => {
    const env = () => ({ DATABASE_URL: backend.storage.databaseUrl! });

    it('creates an account and prints a password that signs in with that role', async () => {
      const result = await runCli(
        ['create-user', 'Cli.Editor@access.test', '--role', 'editor'],
        env(),
      );
      assert.equal(result.code, 0, result.stderr);
      const password = result.stdout.trim();
      assert.equal(result.stdout, `${password}\n`, 'only the password on stdout');
      assert.ok(password.length >= 16, password);
      assert.match(result.stderr, /created editor cli\.editor@access\.test/);

      const login = await call<{ user: UserSummary }>(server, 'POST', '/api/auth/login', {
        body: { email: 'cli.editor@access.test', password },
      });
      assert.equal(login.status, 200, JSON.stringify(login.body));
      assert.equal(login.body.user.role, 'editor');
      assert.equal(login.body.user.name, 'cli.editor');
      const cookie = cookieOf(login);
      assert.equal(
        (await call(server, 'POST', '/api/timelines', { cookie, body: { title: 'From the CLI' } }))
          .status,
        201,
      );
      assertRefused(await call(server, 'GET', '/api/users', { cookie }), 403);

      const again = await runCli(
        ['create-user', 'cli.editor@access.test', '--role', 'viewer'],
        env(),
      );
      assert.equal(again.code, 2);
      assert.match(again.stderr, /already exists/);
      assert.equal(again.stdout, '');
    });

    it('creates an API token that works as a bearer token', async () => {
      await runCli(
        ['create-user', 'cli.viewer@access.test', '--role', 'viewer', '--name', 'Cli Viewer'],
        env(),
      );
      const result = await runCli(['create-token', 'cli.viewer@access.test'], env());
      assert.equal(result.code, 0, result.stderr);
      const token = result.stdout.trim();
      assert.match(token, /^cbt_[A-Za-z0-9_-]{43}$/);
      assert.equal(result.stdout, `${token}\n`);
      const me = await call<Viewer>(server, 'GET', '/api/auth/me', { bearer: token });
      assert.equal(me.status, 200);
      const user = (me.body as Extract<Viewer, { kind: 'user' }>).user;
      assert.deepEqual(
        [user.email, user.name, user.role],
        ['cli.viewer@access.test', 'Cli Viewer', 'viewer'],
      );
      assertRefused(
        await call(server, 'POST', '/api/timelines', { bearer: token, body: { title: 'no' } }),
        403,
      );
      const unknown = await runCli(['create-token', 'nobody@access.test'], env());
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /no account/);
      assert.equal(unknown.stdout, '');
    });

    it('exits 2 with a message on bad arguments, creating nothing', async () => {
      const badRole = await runCli(
        ['create-user', 'cli.bad@access.test', '--role', 'owner'],
        env(),
      );
      assert.equal(badRole.code, 2);
      assert.match(badRole.stderr, /--role must be admin, editor or viewer/);
      assert.equal(badRole.stdout, '');
      const noRole = await runCli(['create-user', 'cli.bad@access.test'], env());
      assert.equal(noRole.code, 2);
      assert.match(noRole.stderr, /--role/);
      const badEmail = await runCli(['create-user', 'not-an-email', '--role', 'editor'], env());
      assert.equal(badEmail.code, 2);
      assert.match(badEmail.stderr, /invalid email/);
      const unknownCommand = await runCli(['delete-everything', 'cli.bad@access.test'], env());
      assert.equal(unknownCommand.code, 2);
      assert.match(unknownCommand.stderr, /unknown command/);
      const users = await call<{ users: UserSummary[] }>(server, 'GET', '/api/users', {
        bearer: world.admin.token,
      });
      assert.ok(!users.body.users.some((user) => user.email === 'cli.bad@access.test'));
    });
  });
});
