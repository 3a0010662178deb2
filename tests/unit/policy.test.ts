/**
 * The access policy as a table: every permission against every kind of caller (nobody, each
 * workspace role, share links for this timeline and for another), and the credential helpers it
 * rests on (token kinds and hashes, cookies, same-origin checks).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { TokenPrefix } from '../../lib/access';
import { ForbiddenError, UnauthorizedError } from '../../lib/errors';
import {
  generatePassword,
  generateToken,
  hashPassword,
  hashToken,
  isSameOrigin,
  readCookie,
  readCredentials,
  readSessionCookie,
  SESSION_TTL_MS,
  sessionCookie,
  type TokenKind,
  tokenKind,
  verifyPassword,
} from '../../server/access/credentials';
import {
  actorName,
  collabMode,
  type Permission,
  type Principal,
  requirePermission,
} from '../../server/access/policy';

const T = 'timeline0000000t';
const OTHER = 'timeline000other';

function user(role: 'admin' | 'editor' | 'viewer'): Principal {
  return {
    kind: 'user',
    user: {
      id: `user-${role}`,
      email: `${role}@example.test`,
      name: `The ${role}`,
      role,
      createdAt: new Date('2024-01-01T00:00:00Z'),
    },
    via: { kind: 'token', tokenId: `token-${role}` },
  };
}

function link(role: 'view' | 'edit', timelineId: string): Principal {
  return { kind: 'link', link: { id: `link-${role}-${timelineId}`, timelineId, role } };
}

const PRINCIPALS = {
  anonymous: null,
  viewer: user('viewer'),
  editor: user('editor'),
  admin: user('admin'),
  viewLink: link('view', T),
  editLink: link('edit', T),
  otherViewLink: link('view', OTHER),
  otherEditLink: link('edit', OTHER),
} satisfies Record<string, Principal | null>;
type Who = keyof typeof PRINCIPALS;

type Outcome = 'allow' | 401 | 403;

/**
 * The policy, written out: what each caller gets for each permission (asked about timeline T).
 * Typed as a Record over Permission, so a permission added to the policy without a row here does
 * not compile.
 */
const MATRIX: Record<Permission, Record<Who, Outcome>> = {
  'timeline.delete': {
    anonymous: 401,
    viewer: 403,
    editor: 403,
    admin: 'allow',
    viewLink: 403,
    editLink: 403,
    otherViewLink: 403,
    otherEditLink: 403,
  },
  public: {
    anonymous: 'allow',
    viewer: 'allow',
    editor: 'allow',
    admin: 'allow',
    viewLink: 'allow',
    editLink: 'allow',
    otherViewLink: 'allow',
    otherEditLink: 'allow',
  },
  account: {
    anonymous: 401,
    viewer: 'allow',
    editor: 'allow',
    admin: 'allow',
    viewLink: 403,
    editLink: 403,
    otherViewLink: 403,
    otherEditLink: 403,
  },
  'timeline.create': {
    anonymous: 401,
    viewer: 403,
    editor: 'allow',
    admin: 'allow',
    viewLink: 403,
    editLink: 403,
    otherViewLink: 403,
    otherEditLink: 403,
  },
  'timeline.read': {
    anonymous: 401,
    viewer: 'allow',
    editor: 'allow',
    admin: 'allow',
    viewLink: 'allow',
    editLink: 'allow',
    otherViewLink: 403,
    otherEditLink: 403,
  },
  'timeline.write': {
    anonymous: 401,
    viewer: 403,
    editor: 'allow',
    admin: 'allow',
    viewLink: 403,
    editLink: 'allow',
    otherViewLink: 403,
    otherEditLink: 403,
  },
  // Discussing evidence is not editing it: every account comments; share links only read.
  'timeline.comment': {
    anonymous: 401,
    viewer: 'allow',
    editor: 'allow',
    admin: 'allow',
    viewLink: 403,
    editLink: 403,
    otherViewLink: 403,
    otherEditLink: 403,
  },
  'timeline.share': {
    anonymous: 401,
    viewer: 403,
    editor: 'allow',
    admin: 'allow',
    viewLink: 403,
    editLink: 403,
    otherViewLink: 403,
    otherEditLink: 403,
  },
  'workspace.admin': {
    anonymous: 401,
    viewer: 403,
    editor: 403,
    admin: 'allow',
    viewLink: 403,
    editLink: 403,
    otherViewLink: 403,
    otherEditLink: 403,
  },
};

/** What requirePermission did: allowed, or the status and message of what it threw. */
function outcomeOf(
  principal: Principal | null,
  permission: Permission,
  timelineId: string | undefined,
): { outcome: Outcome; message?: string } {
  try {
    requirePermission(principal, permission, timelineId);
    return { outcome: 'allow' };
  } catch (error) {
    if (error instanceof UnauthorizedError) {
      assert.equal(error.status, 401);
      return { outcome: 401, message: error.message };
    }
    if (error instanceof ForbiddenError) {
      assert.equal(error.status, 403);
      return { outcome: 403, message: error.message };
    }
    throw error;
  }
}

describe('requirePermission', () => {
  for (const [permission, row] of Object.entries(MATRIX) as [Permission, Record<Who, Outcome>][]) {
    for (const [who, expected] of Object.entries(row) as [Who, Outcome][]) {
      it(`${permission} × ${who} → ${expected}`, () => {
        const { outcome, message } = outcomeOf(PRINCIPALS[who], permission, T);
        assert.equal(outcome, expected);
        if (outcome !== 'allow') {
          assert.ok(message && message.trim().length > 10, `a message that says why: ${message}`);
        }
      });
    }
  }

  it('treats a link as being for another timeline when no timeline is named', () => {
    for (const permission of ['timeline.read', 'timeline.write'] as const) {
      const result = outcomeOf(PRINCIPALS.editLink, permission, undefined);
      assert.equal(result.outcome, 403, permission);
      assert.match(result.message!, /another timeline/);
    }
  });

  it('says why, in words the caller can act on', () => {
    assert.match(outcomeOf(null, 'timeline.read', T).message!, /sign in/);
    assert.match(outcomeOf(PRINCIPALS.viewer, 'timeline.write', T).message!, /viewer/);
    assert.match(outcomeOf(PRINCIPALS.editor, 'workspace.admin', T).message!, /only admins/);
    assert.match(outcomeOf(PRINCIPALS.viewLink, 'timeline.write', T).message!, /viewing/);
    assert.match(
      outcomeOf(PRINCIPALS.editLink, 'timeline.comment', T).message!,
      /read comments.*sign in/,
    );
    assert.match(outcomeOf(PRINCIPALS.editLink, 'timeline.share', T).message!, /editing/);
    assert.match(outcomeOf(PRINCIPALS.otherViewLink, 'timeline.read', T).message!, /another/);
  });

  it('allows user principals the same whether they came by session or API token', () => {
    const viaSession: Principal = {
      ...(PRINCIPALS.viewer as Extract<Principal, { kind: 'user' }>),
      via: { kind: 'session', sessionId: 's1' },
    };
    for (const [permission, row] of Object.entries(MATRIX) as [
      Permission,
      Record<Who, Outcome>,
    ][]) {
      assert.equal(outcomeOf(viaSession, permission, T).outcome, row.viewer, permission);
    }
  });
});

describe('collabMode', () => {
  const EXPECTED: Record<Exclude<Who, 'anonymous'>, 'edit' | 'view' | null> = {
    viewer: 'view',
    editor: 'edit',
    admin: 'edit',
    viewLink: 'view',
    editLink: 'edit',
    otherViewLink: null,
    otherEditLink: null,
  };
  for (const [who, expected] of Object.entries(EXPECTED) as [
    Exclude<Who, 'anonymous'>,
    'edit' | 'view' | null,
  ][]) {
    it(`${who} → ${expected}`, () => {
      assert.equal(collabMode(PRINCIPALS[who], T), expected);
    });
  }

  it('gives accounts the same mode in every timeline, links only in theirs', () => {
    assert.equal(collabMode(PRINCIPALS.editor, OTHER), 'edit');
    assert.equal(collabMode(PRINCIPALS.viewer, OTHER), 'view');
    assert.equal(collabMode(PRINCIPALS.editLink, OTHER), null);
    assert.equal(collabMode(PRINCIPALS.otherEditLink, OTHER), 'edit');
    assert.equal(collabMode(PRINCIPALS.otherViewLink, OTHER), 'view');
  });

  it('agrees with requirePermission: edit mode exactly where timeline.write is allowed', () => {
    for (const who of Object.keys(EXPECTED) as Exclude<Who, 'anonymous'>[]) {
      const principal = PRINCIPALS[who];
      const mode = collabMode(principal, T);
      assert.equal(mode === 'edit', MATRIX['timeline.write'][who] === 'allow', who);
      assert.equal(mode !== null, MATRIX['timeline.read'][who] === 'allow', who);
    }
  });
});

describe('actorName', () => {
  it('names accounts by their account name and leaves links to their awareness name', () => {
    assert.equal(actorName(PRINCIPALS.editor), 'The editor');
    assert.equal(actorName(PRINCIPALS.editLink), undefined);
  });
});

describe('tokenKind', () => {
  it('recognises each prefix', () => {
    assert.equal(tokenKind('cbs_abc'), 'session');
    assert.equal(tokenKind('cbt_abc'), 'apiToken');
    assert.equal(tokenKind('cbl_abc'), 'shareLink');
    assert.equal(tokenKind('cbi_abc'), 'invite');
  });

  it('refuses bare prefixes, other strings and other cases', () => {
    for (const token of ['', 'cbt_', 'cbl_', 'cbs', 'abc', 'CBT_abc', ' cbt_abc', 'xcbt_abc']) {
      assert.equal(tokenKind(token), null, JSON.stringify(token));
    }
  });
});

describe('generateToken', () => {
  const KINDS = Object.keys(TokenPrefix) as TokenKind[];

  it('prefixes each kind and carries 256 random bits in base64url', () => {
    for (const kind of KINDS) {
      const token = generateToken(kind);
      assert.ok(token.startsWith(TokenPrefix[kind]), token);
      const secret = token.slice(TokenPrefix[kind].length);
      assert.match(secret, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(Buffer.from(secret, 'base64url').length, 32);
      assert.equal(tokenKind(token), kind);
    }
  });

  it('never repeats', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1_000; i++) seen.add(generateToken('apiToken'));
    assert.equal(seen.size, 1_000);
  });
});

describe('hashToken', () => {
  it('is SHA-256 in hex: deterministic, and different for different tokens', () => {
    assert.equal(
      hashToken('abc'),
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    const token = generateToken('shareLink');
    assert.equal(hashToken(token), hashToken(token));
    assert.equal(hashToken(token), createHash('sha256').update(token).digest('hex'));
    assert.notEqual(hashToken(token), hashToken(`${token}x`));
    assert.notEqual(hashToken(token), token);
    assert.match(hashToken(token), /^[0-9a-f]{64}$/);
  });
});

describe('readCookie', () => {
  it('finds one cookie among several', () => {
    assert.equal(readCookie('a=1; cb_session=cbs_xyz; b=2', 'cb_session'), 'cbs_xyz');
    assert.equal(readCookie('cb_session=first', 'cb_session'), 'first');
    assert.equal(readCookie('  cb_session =  spaced  ;x=1', 'cb_session'), 'spaced');
    assert.equal(readCookie('a=1;b=2', 'b'), '2');
  });

  it('matches the whole name, not a prefix or suffix', () => {
    assert.equal(readCookie('xcb_session=1; cb_session_old=2', 'cb_session'), undefined);
  });

  it('keeps = inside values and decodes percent-escapes', () => {
    assert.equal(readCookie('cb_session=a=b', 'cb_session'), 'a=b');
    assert.equal(readCookie('cb_session=a%20b%3B', 'cb_session'), 'a b;');
  });

  it('takes the first of duplicate cookies', () => {
    assert.equal(readCookie('cb_session=one; cb_session=two', 'cb_session'), 'one');
  });

  it('returns undefined for no header, no such cookie, or a malformed escape', () => {
    assert.equal(readCookie(null, 'cb_session'), undefined);
    assert.equal(readCookie(undefined, 'cb_session'), undefined);
    assert.equal(readCookie('', 'cb_session'), undefined);
    assert.equal(readCookie('a=1; b=2', 'cb_session'), undefined);
    assert.equal(readCookie('cb_session', 'cb_session'), undefined);
    assert.equal(readCookie('cb_session=%E0%A4%A', 'cb_session'), undefined);
  });
});

describe('readCredentials', () => {
  const headers = (values: Record<string, string>) => ({
    get: (name: string) => values[name] ?? null,
  });

  it('reads a bearer token, the session cookie and ?token= without judging them', () => {
    const credentials = readCredentials(
      headers({ authorization: 'Bearer cbt_abc', cookie: 'x=1; cb_session=cbs_def' }),
      new URL('http://host/api/x?token=cbl_ghi'),
    );
    assert.deepEqual(credentials, {
      bearer: 'cbt_abc',
      session: 'cbs_def',
      queryToken: 'cbl_ghi',
    });
  });

  it('accepts any case of "Bearer" and surrounding spaces, and nothing but Bearer', () => {
    assert.equal(
      readCredentials(headers({ authorization: 'bearer  cbt_a ' }), null).bearer,
      'cbt_a',
    );
    assert.equal(
      readCredentials(headers({ authorization: 'Basic dXNlcjpw' }), null).bearer,
      undefined,
    );
    assert.equal(readCredentials(headers({ authorization: 'Bearer a b' }), null).bearer, undefined);
    assert.deepEqual(readCredentials(headers({}), null), {
      bearer: undefined,
      session: undefined,
      queryToken: undefined,
    });
  });
});

describe('isSameOrigin', () => {
  it('accepts requests without Origin (scripts, which carry no victim cookie)', () => {
    assert.equal(isSameOrigin(null, 'app.test'), true);
    assert.equal(isSameOrigin(undefined, 'app.test'), true);
    assert.equal(isSameOrigin('', 'app.test'), true);
  });

  it('accepts an Origin naming the host the request was sent to', () => {
    assert.equal(isSameOrigin('http://app.test', 'app.test'), true);
    assert.equal(isSameOrigin('https://app.test:8443', 'app.test:8443'), true);
    assert.equal(isSameOrigin('http://127.0.0.1:3000', '127.0.0.1:3000'), true);
  });

  it('refuses other hosts, other ports, missing Host and malformed or opaque origins', () => {
    assert.equal(isSameOrigin('http://evil.example', 'app.test'), false);
    assert.equal(isSameOrigin('http://app.test.evil.example', 'app.test'), false);
    assert.equal(isSameOrigin('http://app.test:3001', 'app.test:3000'), false);
    assert.equal(isSameOrigin('http://app.test', null), false);
    assert.equal(isSameOrigin('http://app.test', undefined), false);
    assert.equal(isSameOrigin('null', 'app.test'), false);
    assert.equal(isSameOrigin('not a url', 'app.test'), false);
  });
});

describe('sessionCookie', () => {
  it('is httpOnly, SameSite=Lax, for the whole site, Secure only over https', () => {
    const cookie = sessionCookie('cbs_abc', { secure: false });
    const parts = cookie.split('; ');
    assert.equal(parts[0], 'cb_session=cbs_abc');
    for (const part of ['Path=/', 'HttpOnly', 'SameSite=Lax']) assert.ok(parts.includes(part));
    // The cookie outlives the server's 30-day sliding session, so an active session is never cut.
    const maxAge = Number(parts.find((part) => part.startsWith('Max-Age='))?.slice(8));
    assert.ok(maxAge >= SESSION_TTL_MS / 1000, `Max-Age ${maxAge}`);
    assert.ok(!parts.includes('Secure'));
    assert.ok(sessionCookie('cbs_abc', { secure: true }).split('; ').includes('Secure'));
  });

  it('clears the cookie with null', () => {
    const parts = sessionCookie(null, { secure: false }).split('; ');
    assert.equal(parts[0], 'cb_session=');
    assert.ok(parts.includes('Max-Age=0'));
  });

  it('uses the __Host- prefix when Secure, with Path=/ and no Domain as the prefix requires', () => {
    const parts = sessionCookie('cbs_abc', { secure: true }).split('; ');
    assert.equal(parts[0], '__Host-cb_session=cbs_abc');
    assert.ok(parts.includes('Path=/') && parts.includes('Secure'));
    assert.ok(!parts.some((part) => part.toLowerCase().startsWith('domain=')));
    assert.equal(sessionCookie(null, { secure: true }).split('; ')[0], '__Host-cb_session=');
  });

  it('is read under either name, the __Host- one first', () => {
    assert.equal(readSessionCookie('__Host-cb_session=cbs_a'), 'cbs_a');
    assert.equal(readSessionCookie('cb_session=cbs_b'), 'cbs_b');
    assert.equal(readSessionCookie('cb_session=cbs_b; __Host-cb_session=cbs_a'), 'cbs_a');
    assert.equal(readSessionCookie('x=1'), undefined);
  });
});

describe('passwords', () => {
  it('generates distinct readable passwords that verify against their hash only', async () => {
    const password = generatePassword();
    assert.match(password, /^[A-Za-z0-9_-]{5}(-[A-Za-z0-9_-]{5}){3}$/);
    assert.notEqual(generatePassword(), password);
    const hashed = await hashPassword(password);
    assert.ok(!hashed.includes(password));
    assert.equal(await verifyPassword(hashed, password), true);
    assert.equal(await verifyPassword(hashed, `${password}x`), false);
    assert.equal(await verifyPassword('not a hash', password), false);
  });
});
