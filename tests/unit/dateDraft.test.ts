import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readDateTimeDraft, toDateTimeDraft } from '../../components/timeline/panel/dateDraft';

const draft = (date: string, time = '', unreadable: { date?: boolean; time?: boolean } = {}) => ({
  date,
  time,
  dateUnreadable: unreadable.date ?? false,
  timeUnreadable: unreadable.time ?? false,
});

describe('date field drafts', () => {
  it('show a stored date as its UTC day, with the time unless it is midnight', () => {
    assert.deepEqual(toDateTimeDraft('2019-02-18T00:00:00.000Z'), { date: '2019-02-18', time: '' });
    assert.deepEqual(toDateTimeDraft('2019-02-18T09:30:00.000Z'), {
      date: '2019-02-18',
      time: '09:30',
    });
    assert.deepEqual(toDateTimeDraft('2019-02-18T09:30:15.000Z'), {
      date: '2019-02-18',
      time: '09:30:15',
    });
    assert.deepEqual(toDateTimeDraft(undefined), { date: '', time: '' });
  });

  it('read a complete date, with the time optional, as UTC', () => {
    assert.deepEqual(readDateTimeDraft(draft('2019-02-28')), {
      ok: true,
      iso: '2019-02-28T00:00:00.000Z',
    });
    assert.deepEqual(readDateTimeDraft(draft('2019-02-28', '09:30')), {
      ok: true,
      iso: '2019-02-28T09:30:00.000Z',
    });
    assert.deepEqual(readDateTimeDraft(draft('2019-02-28', '09:30:15')), {
      ok: true,
      iso: '2019-02-28T09:30:15.000Z',
    });
  });

  it('round-trip a stored value unchanged', () => {
    for (const iso of ['2019-02-18T00:00:00.000Z', '2019-02-18T23:59:59.000Z']) {
      const shown = toDateTimeDraft(iso);
      assert.deepEqual(readDateTimeDraft(draft(shown.date, shown.time)), { ok: true, iso });
    }
  });

  it('refuse dates that are not on the calendar instead of rolling them over', () => {
    const reading = readDateTimeDraft(draft('2019-02-30'));
    assert.equal(reading.ok, false);
    assert.match((reading as { message: string }).message, /2019-02-30 does not exist/);
    assert.equal(readDateTimeDraft(draft('2019-13-01')).ok, false);
    assert.equal(readDateTimeDraft(draft('2019-02-28', '24:00')).ok, false);
  });

  it('refuse what the browser could not read, and text that is not a date', () => {
    const incomplete = readDateTimeDraft(draft('', '', { date: true }));
    assert.equal(incomplete.ok, false);
    assert.match((incomplete as { message: string }).message, /Not a real date/);
    assert.equal(readDateTimeDraft(draft('2019-02-28', '', { time: true })).ok, false);
    assert.equal(readDateTimeDraft(draft('28/02/2019')).ok, false);
    assert.equal(readDateTimeDraft(draft('2019-02-28', '9h30')).ok, false);
    assert.equal(readDateTimeDraft(draft('', '09:30')).ok, false);
  });

  it('read an emptied field as no date, for the caller to accept or refuse', () => {
    assert.deepEqual(readDateTimeDraft(draft('')), { ok: true, iso: null });
  });
});
