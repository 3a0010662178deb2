import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  initialsOf,
  MAX_PRESENCE_SELECTION,
  readPresenceActivity,
  readPresenceUser,
  stampPresenceIdentity,
} from '../../lib/presence';

const user = { name: 'Ana Lim', color: '#2563eb', mode: 'edit' };

describe('readPresenceActivity', () => {
  it('reads a well-formed state', () => {
    assert.deepEqual(
      readPresenceActivity({
        user,
        selection: ['evt_1', 'evt_2'],
        pointer: '2021-03-04T05:06:07.000Z',
        editing: 'evt_1',
        range: { start: '2021-01-01T00:00:00.000Z', end: '2021-12-31T00:00:00.000Z' },
      }),
      {
        selection: ['evt_1', 'evt_2'],
        pointer: '2021-03-04T05:06:07.000Z',
        editing: 'evt_1',
        range: { start: '2021-01-01T00:00:00.000Z', end: '2021-12-31T00:00:00.000Z' },
      },
    );
  });

  it('reads nothing from a state without activity, or no state at all', () => {
    const none = { selection: [], pointer: null, editing: null, range: null };
    assert.deepEqual(readPresenceActivity({ user }), none);
    assert.deepEqual(readPresenceActivity(null), none);
    assert.deepEqual(readPresenceActivity('hello'), none);
    assert.deepEqual(readPresenceActivity([1, 2]), none);
  });

  it('bounds the selection: at most 200 ids, each a short string, no duplicates', () => {
    const many = Array.from({ length: 5_000 }, (_, i) => `evt_${i}`);
    const { selection } = readPresenceActivity({ selection: many });
    assert.equal(selection.length, MAX_PRESENCE_SELECTION);
    assert.equal(selection[0], 'evt_0');
    assert.deepEqual(
      readPresenceActivity({
        selection: ['ok', 'x'.repeat(65), 42, null, { id: 'a' }, '', 'ok', 'y'.repeat(64)],
      }).selection,
      ['ok', 'y'.repeat(64)],
    );
    assert.deepEqual(readPresenceActivity({ selection: 'evt_1' }).selection, []);
    assert.deepEqual(readPresenceActivity({ selection: { 0: 'evt_1' } }).selection, []);
  });

  it('reads a bad pointer as none', () => {
    for (const pointer of [
      'yesterday',
      '2021-13-45T00:00:00.000Z',
      '2021-01-01',
      1_600_000_000_000,
      { time: '2021-01-01T00:00:00.000Z' },
      '<img src=x onerror=alert(1)>',
      undefined,
    ]) {
      assert.equal(readPresenceActivity({ pointer }).pointer, null, String(pointer));
    }
    assert.equal(
      readPresenceActivity({ pointer: '2021-01-01T10:00:00+02:00' }).pointer,
      '2021-01-01T10:00:00+02:00',
    );
  });

  it('reads a bad visible range or panel as none', () => {
    const start = '2021-01-01T00:00:00.000Z';
    const end = '2021-02-01T00:00:00.000Z';
    assert.equal(readPresenceActivity({ range: { start: end, end: start } }).range, null);
    assert.equal(readPresenceActivity({ range: { start, end: 'later' } }).range, null);
    assert.equal(readPresenceActivity({ range: [start, end] }).range, null);
    assert.equal(readPresenceActivity({ editing: 'x'.repeat(65) }).editing, null);
    assert.equal(readPresenceActivity({ editing: 7 }).editing, null);
  });
});

describe('readPresenceUser', () => {
  it('keeps a role the server stamped and ignores one it does not know', () => {
    assert.deepEqual(readPresenceUser({ user: { ...user, role: 'link-view' } }), {
      ...user,
      role: 'link-view',
    });
    assert.deepEqual(readPresenceUser({ user: { ...user, role: 'owner' } }), user);
  });
});

describe('stampPresenceIdentity', () => {
  it('replaces a claimed role with the granted one', () => {
    const claimed = { user: { ...user, mode: 'edit', role: 'admin' }, selection: ['a'] };
    assert.deepEqual(stampPresenceIdentity(claimed, { mode: 'view', role: 'link-view' }), {
      user: { ...user, mode: 'view', role: 'link-view' },
      selection: ['a'],
    });
  });

  it('without a granted role, the role follows the mode', () => {
    const claimed = { user: { ...user, role: 'admin' } };
    assert.equal(
      (stampPresenceIdentity(claimed, { mode: 'view' }) as typeof claimed).user.role,
      'viewer',
    );
    assert.equal(
      (stampPresenceIdentity(claimed, { mode: 'edit' }) as typeof claimed).user.role,
      'editor',
    );
  });
});

describe('initialsOf', () => {
  it('takes two characters that tell people apart', () => {
    assert.equal(initialsOf('Ana Lim'), 'AL');
    assert.equal(initialsOf('Analyst 878'), 'A8');
    assert.equal(initialsOf('bo'), 'BO');
    assert.equal(initialsOf('   '), '?');
  });
});
