/**
 * Comment threads through the real server on both back ends: the REST flow (create, reply, list,
 * counts, edit own, resolve/reopen, delete own or as admin), who may do what (editor, viewer
 * account, other author, share-link visitor, stranger), 400s that name the field, the live
 * notice on the websockets of everyone in the timeline (read-only link visitors included, plain
 * y-websocket clients never), and a thread that outlives its event's deletion and shows again
 * when a restore brings the event back.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as decoding from 'lib0/decoding';
import type { CommentCounts, CommentSummary } from '../../lib/comments';
import { CloseCode } from '../../lib/limits';
import {
  encodeNoticeSubscribe,
  NOTICE_MESSAGE_TYPE,
  type Notice,
  readNotice,
} from '../../lib/noticeMessage';
import { createEvent, deleteEvent, readEvents, readLanes } from '../../lib/timeline/model';
import { createApiToken, inviteMember } from './helpers/auth';
import { BACKENDS, type Backend, createBackend } from './helpers/backends';
import {
  connectClient,
  createTimeline,
  type TestClient,
  waitFor,
  waitForSync,
} from './helpers/clients';
import { openRawSocket, type RawSocket } from './helpers/hostile';
import { type ServerProcess, startServerProcess } from './helpers/serverProcess';

type Who = 'admin' | 'ana' | 'ben' | 'vic' | 'link' | 'stranger' | 'otherLink';

interface Reply<T> {
  status: number;
  body: T;
}

for (const backendName of BACKENDS) {
  describe(`comments on ${backendName}`, () => {
    let backend: Backend;
    let server: ServerProcess;
    /** Bearer tokens: the admin, editors Ana and Ben, viewer Vic, a view link, none, another timeline's link. */
    const tokens: Record<Who, string> = {
      admin: '',
      ana: '',
      ben: '',
      vic: '',
      link: '',
      stranger: '',
      otherLink: '',
    };
    const ids: Partial<Record<Who, string>> = {};
    const clients: TestClient[] = [];
    const sockets: RawSocket[] = [];
    let timelineId = '';
    let eventId = '';

    async function call<T = Record<string, unknown>>(
      who: Who,
      method: string,
      path: string,
      body?: unknown,
    ): Promise<Reply<T>> {
      const headers: Record<string, string> = {};
      if (tokens[who]) headers.authorization = `Bearer ${tokens[who]}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as T };
    }
    const comments = (suffix = '') => `/api/timelines/${timelineId}/comments${suffix}`;
    const post = (who: Who, body: unknown) => call<CommentSummary>(who, 'POST', comments(), body);
    const patch = (who: Who, id: string, body: unknown) =>
      call<CommentSummary>(who, 'PATCH', comments(`/${id}`), body);
    const remove = (who: Who, id: string) =>
      call<{ deleted: number }>(who, 'DELETE', comments(`/${id}`));
    const list = async (eventFilter?: string) => {
      const reply = await call<{ comments: CommentSummary[] }>(
        'ana',
        'GET',
        comments(eventFilter ? `?eventId=${eventFilter}` : ''),
      );
      assert.equal(reply.status, 200);
      return reply.body.comments;
    };
    const counts = async () => {
      const reply = await call<CommentCounts>('vic', 'GET', comments('/counts'));
      assert.equal(reply.status, 200);
      return reply.body.counts;
    };
    const refusal = (reply: Reply<unknown>, status: number, pattern: RegExp) => {
      assert.equal(reply.status, status, JSON.stringify(reply.body));
      assert.match((reply.body as { error: string }).error, pattern);
    };

    /** A raw websocket into the timeline that records the notices it receives. */
    async function listen(who: Who, subscribe: boolean) {
      const socket = await openRawSocket(
        `${server.wsUrl}/${timelineId}?token=${encodeURIComponent(tokens[who])}`,
      );
      sockets.push(socket);
      const notices: { notice: Notice | null; at: number }[] = [];
      const types: number[] = [];
      socket.ws.on('message', (data: Buffer) => {
        const decoder = decoding.createDecoder(new Uint8Array(data));
        const type = decoding.readVarUint(decoder);
        types.push(type);
        if (type === NOTICE_MESSAGE_TYPE) {
          notices.push({ notice: readNotice(decoder), at: performance.now() });
        }
      });
      await socket.admitted;
      if (subscribe) socket.ws.send(encodeNoticeSubscribe());
      // A round trip: the server handles a socket's messages in order, so once the answer to
      // this awareness query is back, the subscription before it is registered.
      const answered = new Promise<void>((resolve) => {
        const handle = (data: Buffer) => {
          if (data[0] !== 1) return;
          socket.ws.off('message', handle);
          resolve();
        };
        socket.ws.on('message', handle);
      });
      socket.ws.send(Uint8Array.of(3));
      await answered;
      return { socket, notices, types };
    }

    before(async () => {
      backend = await createBackend(backendName);
      server = await startServerProcess({
        ...backend.storage,
        env: { ROOM_IDLE_MS: '200', AUTO_SNAPSHOT_MS: '600000', SEED_DEMO: 'false' },
      });
      tokens.admin = server.admin!.token;
      for (const [who, role] of [
        ['ana', 'editor'],
        ['ben', 'editor'],
        ['vic', 'viewer'],
      ] as const) {
        const cookie = await inviteMember(server.url, tokens.admin, {
          email: `${who}@comments.test`,
          name: who[0]!.toUpperCase() + who.slice(1),
          role,
        });
        tokens[who] = await createApiToken(server.url, cookie);
      }
      for (const who of ['admin', 'ana', 'ben', 'vic'] as const) {
        const me = await call<{ user: { id: string } }>(who, 'GET', '/api/auth/me');
        ids[who] = me.body.user.id;
      }
      timelineId = (await createTimeline(server.url, 'Comments')).id;
      const other = await createTimeline(server.url, 'Elsewhere');
      const link = await call<{ token: string }>(
        'admin',
        'POST',
        `/api/timelines/${timelineId}/links`,
        {
          role: 'edit',
        },
      );
      assert.equal(link.status, 201);
      tokens.link = link.body.token;
      const otherLink = await call<{ token: string }>(
        'admin',
        'POST',
        `/api/timelines/${other.id}/links`,
        { role: 'view' },
      );
      tokens.otherLink = otherLink.body.token;

      const writer = connectClient(server.wsUrl, timelineId);
      clients.push(writer);
      await waitForSync(writer);
      eventId = createEvent(writer.doc, {
        title: 'Bridge closed',
        kind: 'point',
        start: '2024-03-01',
        lane: readLanes(writer.doc)[0]!.id,
      });
      // The server has the event once a thread can be started on it.
      await waitFor(
        async () =>
          (await post('ana', { eventId, body: 'Who reported this first?' })).status === 201,
        'the server to know the event',
      );
    });

    after(async () => {
      for (const socket of sockets) socket.ws.terminate();
      for (const client of clients) client.destroy();
      await server?.stop();
      await backend?.cleanup();
    });

    it('threads: reply, list, count, edit own, resolve and reopen, delete', async () => {
      const [root] = await list(eventId);
      assert.ok(root);
      assert.equal(root.parentId, null);
      assert.deepEqual(root.author, { id: ids.ana, name: 'Ana' });
      assert.equal(root.editedAt, null);

      // A viewer account comments too; a reply to a reply joins the thread (one level deep).
      const reply = await post('vic', { parentId: root.id, body: 'The port authority, 06:10.' });
      assert.equal(reply.status, 201);
      assert.equal(reply.body.eventId, eventId);
      assert.equal(reply.body.parentId, root.id);
      const nested = await post('ben', { parentId: reply.body.id, body: 'Confirmed by AP.' });
      assert.equal(nested.status, 201);
      assert.equal(nested.body.parentId, root.id);
      assert.deepEqual(
        (await list(eventId)).map((c) => [c.author.name, c.parentId]),
        [
          ['Ana', null],
          ['Vic', root.id],
          ['Ben', root.id],
        ],
      );
      assert.equal((await list()).length, 3);
      assert.deepEqual((await counts())[eventId], { open: 1, total: 3 });

      // Edit own: the text changes and is marked edited; nobody else may edit it.
      const edited = await patch('ana', root.id, { body: 'Who reported the closure first?' });
      assert.equal(edited.status, 200);
      assert.equal(edited.body.body, 'Who reported the closure first?');
      assert.ok(edited.body.editedAt);
      refusal(await patch('ben', root.id, { body: 'Rewritten by Ben' }), 403, /only its author/);
      refusal(
        await patch('admin', root.id, { body: 'Rewritten by admin' }),
        403,
        /only its author/,
      );
      assert.equal((await list(eventId))[0]!.body, 'Who reported the closure first?');

      // Anyone who may comment resolves and reopens a thread; replies are not resolved.
      const resolved = await patch('vic', root.id, { resolved: true });
      assert.equal(resolved.status, 200);
      assert.deepEqual(resolved.body.resolvedBy, { id: ids.vic, name: 'Vic' });
      assert.ok(resolved.body.resolvedAt);
      assert.equal(resolved.body.editedAt, edited.body.editedAt, 'resolving is not editing');
      assert.deepEqual((await counts())[eventId], { open: 0, total: 3 });
      refusal(await patch('ana', reply.body.id, { resolved: true }), 400, /^resolved: /);
      const reopened = await patch('ana', root.id, { resolved: false });
      assert.equal(reopened.body.resolvedAt, null);
      assert.equal(reopened.body.resolvedBy, null);
      assert.deepEqual((await counts())[eventId], { open: 1, total: 3 });

      // Delete own; others' only as admin; a root takes its replies.
      refusal(await remove('ben', reply.body.id), 403, /author or an admin/);
      refusal(await remove('vic', nested.body.id), 403, /author or an admin/);
      assert.deepEqual((await remove('admin', nested.body.id)).body, { deleted: 1 });
      assert.deepEqual((await remove('vic', reply.body.id)).body, { deleted: 1 });
      const another = await post('ben', { parentId: root.id, body: 'Reply to be swept away' });
      assert.equal(another.status, 201);
      assert.deepEqual((await remove('ana', root.id)).body, { deleted: 2 });
      assert.deepEqual(await list(eventId), []);
      assert.equal((await counts())[eventId], undefined);
      refusal(await patch('ana', root.id, { body: 'gone' }), 404, /not found/);
    });

    it('authorizes: link visitors read, strangers and other timelines are refused', async () => {
      const root = await post('ben', { eventId, body: 'Check the ferry schedule.' });
      assert.equal(root.status, 201);
      // The share link (an edit link, even) reads comments and counts but writes none.
      const read = await call<{ comments: CommentSummary[] }>('link', 'GET', comments());
      assert.equal(read.status, 200);
      assert.ok(read.body.comments.some((c) => c.id === root.body.id));
      assert.equal((await call('link', 'GET', comments('/counts'))).status, 200);
      refusal(await post('link', { eventId, body: 'Anonymous tip' }), 403, /sign in/);
      refusal(await patch('link', root.body.id, { resolved: true }), 403, /sign in/);
      refusal(await remove('link', root.body.id), 403, /sign in/);
      // No credentials, or a link to another timeline.
      refusal(await call('stranger', 'GET', comments()), 401, /sign in/);
      refusal(await post('stranger', { eventId, body: 'x' }), 401, /sign in/);
      refusal(await call('otherLink', 'GET', comments()), 403, /another timeline/);
      refusal(await call('otherLink', 'GET', comments('/counts')), 403, /another timeline/);
      // A timeline that does not exist; a comment id of another timeline.
      refusal(await call('ana', 'GET', '/api/timelines/nope/comments'), 404, /not found/);
      refusal(
        await call('ana', 'POST', '/api/timelines/nope/comments', { eventId, body: 'x' }),
        404,
        /not found/,
      );
      const elsewhere = await createTimeline(server.url, 'Third');
      refusal(
        await call('admin', 'DELETE', `/api/timelines/${elsewhere.id}/comments/${root.body.id}`),
        404,
        /not found/,
      );
      // The author is the caller, whatever the body says.
      refusal(await post('ana', { eventId, body: 'x', authorId: ids.ben }), 400, /authorId/);
      assert.equal((await remove('ben', root.body.id)).status, 200);
    });

    it('answers 400 naming the field', async () => {
      refusal(await post('ana', { body: 'no event' }), 400, /^eventId: /);
      refusal(await post('ana', { eventId, body: '   ' }), 400, /^body: must not be empty/);
      refusal(await post('ana', { eventId, body: 'x'.repeat(10_001) }), 400, /^body: .*10,000/);
      refusal(await post('ana', { eventId: 'not-an-event', body: 'x' }), 400, /^eventId: no event/);
      refusal(await post('ana', { parentId: 'nocomment', body: 'x' }), 400, /^parentId: /);
      refusal(await call('ana', 'GET', comments('?eventId=bad%20id')), 400, /^eventId: /);
      const root = await post('ana', { eventId, body: 'Temporary' });
      refusal(await patch('ana', root.body.id, {}), 400, /^body: give body or resolved/);
      refusal(await patch('ana', root.body.id, { resolved: 'yes' }), 400, /^resolved: /);
      const wrongType = await fetch(`${server.url}${comments()}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.ana}`, 'content-type': 'text/plain' },
        body: JSON.stringify({ eventId, body: 'x' }),
      });
      assert.equal(wrongType.status, 415);
      assert.equal((await remove('ana', root.body.id)).status, 200);
    });

    it('tells everyone in the timeline within a second; plain clients get nothing', async () => {
      const editor = await listen('ben', true);
      const visitor = await listen('link', true);
      const plain = await listen('vic', false);
      const started = performance.now();
      const created = await post('ana', { eventId, body: 'Live?' });
      assert.equal(created.status, 201);
      await waitFor(
        () => editor.notices.length > 0 && visitor.notices.length > 0,
        'both subscribers to be told',
        1_000,
      );
      for (const { notices } of [editor, visitor]) {
        assert.deepEqual(notices[0]!.notice, { kind: 'comments', eventId });
        assert.ok(notices[0]!.at - started < 1_000, `${notices[0]!.at - started} ms`);
      }
      const latency = Math.max(editor.notices[0]!.at, visitor.notices[0]!.at) - started;
      console.log(`# ${backendName}: comment → notice on two sockets in ${latency.toFixed(1)} ms`);

      // Every kind of change is announced: edit, resolve, delete.
      await patch('ana', created.body.id, { body: 'Live!' });
      await patch('vic', created.body.id, { resolved: true });
      await remove('ana', created.body.id);
      await waitFor(() => visitor.notices.length >= 4, 'a notice per change', 2_000);
      assert.equal(plain.types.includes(NOTICE_MESSAGE_TYPE), false);
      // The sockets are still open: subscribing is part of the protocol, not a refused message.
      for (const { socket } of [editor, visitor, plain]) {
        assert.equal(socket.ws.readyState, socket.ws.OPEN);
      }
      // What clients may not send is still refused: a notice (the server's form, with a
      // payload), or a message type nobody defined.
      for (const bytes of [[NOTICE_MESSAGE_TYPE, 0], [6], [NOTICE_MESSAGE_TYPE + 1, 0]]) {
        const { socket } = await listen('ben', false);
        socket.ws.send(Uint8Array.from(bytes));
        assert.equal(await socket.closed, CloseCode.invalidMessage, `bytes ${bytes}`);
      }
      assert.equal(editor.socket.ws.readyState, editor.socket.ws.OPEN);
    });

    it('keeps a deleted event’s thread and shows it again when a restore brings the event back', async () => {
      const writer = clients[0]!;
      const thread = await post('ana', { eventId, body: 'Keep this discussion.' });
      assert.equal(thread.status, 201);
      const snapshot = await call<{ id: string }>(
        'ana',
        'POST',
        `/api/timelines/${timelineId}/snapshots`,
        { label: 'Before deleting' },
      );
      assert.equal(snapshot.status, 201);

      deleteEvent(writer.doc, eventId);
      await waitFor(async () => {
        const exported = await call<{ events: { id: string }[] }>(
          'ana',
          'GET',
          `/api/timelines/${timelineId}/export?format=json`,
        );
        return !exported.body.events.some((e) => e.id === eventId);
      }, 'the deletion to reach the server');
      refusal(await post('ana', { eventId, body: 'new thread' }), 400, /^eventId: no event/);
      // The thread is still there, and can still be answered.
      assert.deepEqual(
        (await list(eventId)).map((c) => c.id),
        [thread.body.id],
      );
      assert.deepEqual((await counts())[eventId], { open: 1, total: 1 });
      const reply = await post('vic', { parentId: thread.body.id, body: 'Noted.' });
      assert.equal(reply.status, 201);

      const restored = await call(
        'ana',
        'POST',
        `/api/timelines/${timelineId}/snapshots/${snapshot.body.id}/restore`,
        {},
      );
      assert.equal(restored.status, 200, JSON.stringify(restored.body));
      await waitFor(() => readEvents(writer.doc).some((e) => e.id === eventId), 'the event back');
      assert.deepEqual(
        (await list(eventId)).map((c) => c.id),
        [thread.body.id, reply.body.id],
      );
      assert.equal((await post('ben', { eventId, body: 'Welcome back.' })).status, 201);
    });

    it('says "former member" for a removed author and deletes comments with their timeline', async () => {
      const doomed = await createTimeline(server.url, 'Doomed');
      const writer = connectClient(server.wsUrl, doomed.id);
      clients.push(writer);
      await waitForSync(writer);
      const doomedEvent = createEvent(writer.doc, {
        title: 'Soon gone',
        kind: 'point',
        start: '2024-01-01',
        lane: readLanes(writer.doc)[0]!.id,
      });
      const path = `/api/timelines/${doomed.id}/comments`;
      await waitFor(
        async () =>
          (await call('vic', 'POST', path, { eventId: doomedEvent, body: 'Vic was here' }))
            .status === 201,
        'the server to know the event',
      );
      assert.equal((await call('admin', 'DELETE', `/api/users/${ids.vic}`)).status, 200);
      const listed = await call<{ comments: CommentSummary[] }>('ana', 'GET', path);
      assert.deepEqual(listed.body.comments[0]!.author, { id: ids.vic, name: null });

      assert.equal((await call('admin', 'DELETE', `/api/timelines/${doomed.id}`)).status, 200);
      refusal(await call('ana', 'GET', path), 404, /not found/);
    });
  });
}
