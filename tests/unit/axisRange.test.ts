import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  centreOn,
  fitEvents,
  pickAddDate,
  snapDragged,
  surroundToday,
} from '../../components/timeline/axisRange';
import { groupPeople } from '../../components/timeline/PresenceList';

const DAY = 24 * 3600 * 1000;
const at = (iso: string) => new Date(iso);

describe('axis range', () => {
  it('opens an empty timeline on today ±1 month', () => {
    const now = at('2026-03-15T10:00:00Z');
    assert.deepEqual(fitEvents([], now), surroundToday(now));
    assert.equal(surroundToday(now).start.toISOString(), '2026-02-15T10:00:00.000Z');
    assert.equal(surroundToday(now).end.toISOString(), '2026-04-15T10:00:00.000Z');
  });

  it('fits every event with room around it, and never to a one-hour window', () => {
    const window = fitEvents([
      { start: '2019-02-15T00:00:00.000Z' },
      { start: '2019-02-18T00:00:00.000Z', end: '2019-03-11T00:00:00.000Z' },
    ]);
    assert.ok(window.start < at('2019-02-15T00:00:00Z'));
    assert.ok(window.end > at('2019-03-11T00:00:00Z'));
    const single = fitEvents([{ start: '2019-02-15T09:30:00.000Z' }]);
    assert.ok(single.end.getTime() - single.start.getTime() >= 14 * DAY);
    assert.ok(single.start < at('2019-02-15T09:30:00Z') && single.end > at('2019-02-15T09:30:00Z'));
  });

  it('adds events inside the visible window, on a whole day when days are shown', () => {
    const days = { start: at('2019-02-01T00:00:00Z'), end: at('2019-03-01T00:00:00Z') };
    assert.equal(pickAddDate(days).toISOString(), '2019-02-15T00:00:00.000Z');
    // Zoomed in to a few hours late in a day: midnight would be outside the window.
    const hours = { start: at('2019-02-15T18:00:00Z'), end: at('2019-02-15T22:00:00Z') };
    const added = pickAddDate(hours);
    assert.equal(added.toISOString(), '2019-02-15T20:00:00.000Z');
  });

  it('moves to an event only when it is not already in view, keeping the span', () => {
    const window = { start: at('2019-02-01T00:00:00Z'), end: at('2019-03-01T00:00:00Z') };
    assert.equal(centreOn({ start: '2019-02-10T00:00:00.000Z' }, window), null);
    assert.equal(
      centreOn({ start: '2020-01-10T00:00:00.000Z' }, window)?.toISOString(),
      '2020-01-10T00:00:00.000Z',
    );
    // Longer than the window: shown from its start.
    const long = centreOn(
      { start: '2021-01-01T00:00:00.000Z', end: '2021-12-31T00:00:00.000Z' },
      window,
    );
    assert.ok(long && long > at('2021-01-01T00:00:00Z') && long < at('2021-01-31T00:00:00Z'));
  });
});

describe('presence grouping', () => {
  it('shows the same person in two tabs once', () => {
    const person = { color: '#123456', viewing: false, self: false, selection: [], editing: null };
    const grouped = groupPeople([
      { ...person, clientId: 1, name: 'Ana Lim', self: true },
      { ...person, clientId: 2, name: 'Ana Lim' },
      { ...person, clientId: 3, name: 'Ben Ode', viewing: true },
    ]);
    assert.deepEqual(
      grouped.map((p) => [p.name, p.tabs, p.self, p.viewing]),
      [
        ['Ana Lim', 2, true, false],
        ['Ben Ode', 1, false, true],
      ],
    );
  });
});

describe('where a dragged event lands', () => {
  const at = (iso: string) => new Date(iso);
  const iso = (ms: number) => new Date(ms).toISOString();

  it('lands on the nearest UTC day when the axis shows months, not on the first of a month', () => {
    // An event on 1 December dragged a week to the right at the opening zoom (a month scale):
    // vis's own rounding put it back on 1 December.
    assert.equal(iso(snapDragged(at('2026-12-08T09:30:00Z'), 'month')), '2026-12-08T00:00:00.000Z');
    assert.equal(iso(snapDragged(at('2026-12-08T14:00:00Z'), 'month')), '2026-12-09T00:00:00.000Z');
    assert.equal(iso(snapDragged(at('2019-02-27T23:59:00Z'), 'year')), '2019-02-28T00:00:00.000Z');
    assert.equal(iso(snapDragged(at('2019-02-27T05:00:00Z'), 'week')), '2019-02-27T00:00:00.000Z');
  });

  it('lands finer when the axis shows days, hours or minutes', () => {
    assert.equal(iso(snapDragged(at('2019-02-27T05:00:00Z'), 'day')), '2019-02-27T00:00:00.000Z');
    assert.equal(iso(snapDragged(at('2019-02-27T07:00:00Z'), 'day')), '2019-02-27T12:00:00.000Z');
    assert.equal(iso(snapDragged(at('2019-02-27T07:20:00Z'), 'hour')), '2019-02-27T07:30:00.000Z');
    assert.equal(
      iso(snapDragged(at('2019-02-27T07:20:31Z'), 'minute')),
      '2019-02-27T07:21:00.000Z',
    );
  });
});
