/**
 * The pure parts of comments: API bodies (400 messages name the field), threads grouped from a
 * flat list, the notice message on the wire (client subscription decoded by the server, notices
 * read leniently by clients), and the relative times shown beside comments.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import {
  type CommentSummary,
  CreateCommentBody,
  groupThreads,
  MAX_COMMENT_CHARS,
  UpdateCommentBody,
} from '../../lib/comments';
import { formatRelative } from '../../lib/format';
import {
  encodeNotice,
  encodeNoticeSubscribe,
  NOTICE_MESSAGE_TYPE,
  readNotice,
} from '../../lib/noticeMessage';
import { formatZodError } from '../../lib/timeline/schemas';
import { decodeClientMessage, MessageType, ProtocolError } from '../../server/collab/protocol';

function problem(schema: typeof CreateCommentBody | typeof UpdateCommentBody, body: unknown) {
  const result = schema.safeParse(body);
  assert.equal(result.success, false, `expected ${JSON.stringify(body)} to be refused`);
  return formatZodError(result.error!);
}

describe('comment bodies', () => {
  it('accepts a new thread and a reply, trimming the text', () => {
    assert.deepEqual(CreateCommentBody.parse({ eventId: 'e1', body: '  Source?  ' }), {
      eventId: 'e1',
      body: 'Source?',
    });
    assert.deepEqual(CreateCommentBody.parse({ parentId: 'c1', body: 'Yes' }), {
      parentId: 'c1',
      body: 'Yes',
    });
  });

  it('names the field that is wrong', () => {
    assert.match(problem(CreateCommentBody, { body: 'orphan' }), /^eventId: /);
    assert.match(
      problem(CreateCommentBody, { eventId: 'e1', body: '   ' }),
      /^body: must not be empty/,
    );
    assert.match(problem(CreateCommentBody, { eventId: 'e1' }), /^body: /);
    assert.match(
      problem(CreateCommentBody, { eventId: 'e 1', body: 'x' }),
      /^eventId: must be a valid id/,
    );
    assert.match(
      problem(CreateCommentBody, { eventId: 'e1', body: 'x'.repeat(MAX_COMMENT_CHARS + 1) }),
      /^body: must be at most 10,000 characters/,
    );
    // The author is the signed-in account; a body cannot claim one.
    assert.match(
      problem(CreateCommentBody, { eventId: 'e1', body: 'x', authorId: 'someone' }),
      /authorId/,
    );
    assert.match(problem(UpdateCommentBody, {}), /^body: give body or resolved/);
    assert.match(
      problem(UpdateCommentBody, { resolved: 'yes' }),
      /^resolved: must be true or false/,
    );
  });

  it('keeps a body of exactly the limit', () => {
    const body = 'x'.repeat(MAX_COMMENT_CHARS);
    assert.equal(CreateCommentBody.parse({ eventId: 'e1', body }).body.length, MAX_COMMENT_CHARS);
  });
});

describe('groupThreads', () => {
  const at = (minute: number) => `2026-11-30T12:${String(minute).padStart(2, '0')}:00.000Z`;
  const comment = (id: string, minute: number, parentId: string | null = null): CommentSummary => ({
    id,
    eventId: 'e1',
    parentId,
    author: { id: 'u1', name: 'Ana' },
    body: id,
    createdAt: at(minute),
    editedAt: null,
    resolvedAt: null,
    resolvedBy: null,
  });

  it('puts replies under their root, oldest first, whatever the input order', () => {
    const threads = groupThreads([
      comment('r2', 5, 'b'),
      comment('b', 3),
      comment('r1', 4, 'a'),
      comment('a', 1),
      comment('r0', 2, 'a'),
    ]);
    assert.deepEqual(
      threads.map((t) => [t.root.id, t.replies.map((r) => r.id)]),
      [
        ['a', ['r0', 'r1']],
        ['b', ['r2']],
      ],
    );
  });

  it('drops replies whose root is gone (deleted between two reads)', () => {
    assert.deepEqual(groupThreads([comment('r', 2, 'missing')]), []);
  });
});

describe('notice messages', () => {
  it('decodes the subscription [5] and refuses anything after it', () => {
    assert.deepEqual(encodeNoticeSubscribe(), Uint8Array.of(NOTICE_MESSAGE_TYPE));
    assert.equal(MessageType.notice, NOTICE_MESSAGE_TYPE);
    assert.deepEqual(decodeClientMessage(encodeNoticeSubscribe()), { type: 'noticeSubscribe' });
    // A client may not send notices: the server's own message form is trailing bytes from a client.
    assert.throws(
      () => decodeClientMessage(encodeNotice({ kind: 'comments', eventId: 'e1' })),
      (error) => error instanceof ProtocolError && /trailing bytes/.test(error.message),
    );
  });

  it('still refuses message types nobody defined', () => {
    for (const type of [6, 7, 100]) {
      assert.throws(
        () => decodeClientMessage(Uint8Array.of(type)),
        (error) => error instanceof ProtocolError && /unknown message type/.test(error.message),
      );
    }
  });

  it('round-trips a notice and reads damaged or unknown ones as null', () => {
    const read = (data: Uint8Array) => {
      const decoder = decoding.createDecoder(data);
      assert.equal(decoding.readVarUint(decoder), NOTICE_MESSAGE_TYPE);
      return readNotice(decoder);
    };
    assert.deepEqual(read(encodeNotice({ kind: 'comments', eventId: 'e1' })), {
      kind: 'comments',
      eventId: 'e1',
    });
    const raw = (payload: string) => {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, NOTICE_MESSAGE_TYPE);
      encoding.writeVarString(encoder, payload);
      return encoding.toUint8Array(encoder);
    };
    assert.equal(read(raw('{not json')), null);
    assert.equal(read(raw('{"kind":"weather","eventId":"e1"}')), null);
    assert.equal(read(Uint8Array.of(NOTICE_MESSAGE_TYPE)), null);
  });
});

describe('formatRelative', () => {
  const now = new Date('2026-11-30T12:00:00.000Z');
  const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString();

  it('reads as people say it, then as a day', () => {
    assert.equal(formatRelative(ago(5), now), 'just now');
    assert.equal(formatRelative(ago(-20), now), 'just now');
    assert.equal(formatRelative(ago(5 * 60), now), '5 min ago');
    assert.equal(formatRelative(ago(3 * 3600), now), '3 h ago');
    assert.equal(formatRelative(ago(26 * 3600), now), 'yesterday');
    assert.equal(formatRelative(ago(4 * 86400), now), '4 days ago');
    assert.equal(formatRelative(ago(30 * 86400), now), '31 Oct 2026');
  });
});
