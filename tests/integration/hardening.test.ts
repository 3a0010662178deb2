/**
 * Attacks on the HTTP surface, carried out against a real server (child process, PGlite): forged
 * cross-site requests, bodies of the wrong type or size, and open redirects after sign-in.
 * Websocket floods and access-review attacks live in their own files.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TEST_ADMIN } from './helpers/auth';
import { type Backend, createBackend } from './helpers/backends';
import { type ServerProcess, startServerProcess } from './helpers/serverProcess';

const EVIL_ORIGIN = 'http://evil.example';

describe('HTTP hardening', () => {
  let backend: Backend;
  let server: ServerProcess;

  before(async () => {
    backend = await createBackend('pglite');
    server = await startServerProcess({ ...backend.storage, env: { SEED_DEMO: 'false' } });
  });

  after(async () => {
    await server?.stop();
    await backend?.cleanup();
  });

  const loginBody = JSON.stringify({ email: TEST_ADMIN.email, password: TEST_ADMIN.password });

  it('refuses a cross-site text/plain sign-in (login CSRF) before checking the password', async () => {
    const response = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8', origin: EVIL_ORIGIN },
      body: loginBody,
    });
    assert.equal(response.status, 403);
    assert.match(((await response.json()) as { error: string }).error, /cross-site/);
    assert.equal(response.headers.getSetCookie().length, 0, 'no session cookie is set');
  });

  it('refuses a cross-site sign-out: the session keeps working', async () => {
    const cookie = server.admin!.cookie;
    const forged = await fetch(`${server.url}/api/auth/logout`, {
      method: 'POST',
      headers: { origin: EVIL_ORIGIN, cookie },
    });
    assert.equal(forged.status, 403);
    const me = await fetch(`${server.url}/api/auth/me`, { headers: { cookie } });
    assert.equal(me.status, 200);
  });

  it('refuses a cross-site setup attempt with 403 rather than revealing its state', async () => {
    const response = await fetch(`${server.url}/api/setup`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: EVIL_ORIGIN },
      body: JSON.stringify({ email: 'x@evil.example', name: 'X', password: 'long enough pass' }),
    });
    assert.equal(response.status, 403);
  });

  it('answers 415 to a JSON route sent as another content type, from our own origin too', async () => {
    for (const type of ['text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', '']) {
      const response = await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { ...(type ? { 'content-type': type } : {}), origin: server.url },
        body: loginBody,
      });
      assert.equal(response.status, 415, `content type "${type}"`);
      assert.match(((await response.json()) as { error: string }).error, /application\/json/);
    }
    // The same body as JSON signs in.
    const ok = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: loginBody,
    });
    assert.equal(ok.status, 200);
  });

  it('follows only same-site destinations after sign-in', async () => {
    const cookie = server.admin!.cookie;
    const destinations: Array<[string, string]> = [
      ['/%09/evil.com', '/'],
      ['//evil.com', '/'],
      ['/%5C%5Cevil.com', '/'],
      ['https://evil.com/', '/'],
      ['/settings', '/settings'],
    ];
    for (const [next, expected] of destinations) {
      const response = await fetch(`${server.url}/login?next=${encodeURIComponent(next)}`, {
        headers: { cookie },
        redirect: 'manual',
      });
      assert.ok(
        [303, 307, 308].includes(response.status),
        `status for ${next}: ${response.status}`,
      );
      const location = new URL(response.headers.get('location')!, server.url);
      assert.equal(location.origin, new URL(server.url).origin, `origin for ${next}`);
      assert.equal(location.pathname, expected, `path for ${next}`);
    }
  });
  it('refuses oversized bodies on public routes with 413, declared or streamed', async () => {
    const huge = JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(1024 * 1024) });
    const declared = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: huge,
    });
    assert.equal(declared.status, 413);
    // Streamed (chunked, no Content-Length): refused once the limit is passed.
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
        for (let i = 0; i < 16; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const streamed = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    assert.equal(streamed.status, 413);
  });
});
