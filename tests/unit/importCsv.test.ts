import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { detectCsvLayout, parseCsv } from '../../lib/import/csv';
import { CSV_COLUMN_NAMES } from '../../lib/import/csvColumns';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/import/${name}`, import.meta.url), 'utf8');

describe('CSV import: Timesketch', () => {
  it('maps Timesketch’s sigma_events.csv: message → title, datetime → start, timestamp_desc → tag, extra columns kept', () => {
    const plan = parseCsv(fixture('timesketch-sigma-events.csv'));
    assert.deepEqual(plan.errors, []);
    assert.equal(plan.events.length, 4);
    const [first, , , apt] = plan.events;
    assert.equal(first!.row, 2);
    assert.equal(first!.event.title, 'A message');
    assert.equal(first!.event.start, '2015-07-24T19:01:01.000Z');
    assert.deepEqual(first!.event.tags, ['Write time']);
    assert.equal(first!.event.description, 'extra_field_1: foo');
    assert.equal(
      apt!.event.title,
      'Install: zmap:amd64 (1.1.0-1) [Commandline: apt-get install zmap]',
    );
    assert.match(apt!.event.description ?? '', /^command: Commandline: apt-get install zmap$/m);
    assert.match(apt!.event.description ?? '', /^parser: apt_history$/m);
  });

  it('reads the datetime spellings of validate_timestamp_conversion.csv (+0000, a space for T)', () => {
    const plan = parseCsv(fixture('timesketch-timestamp-conversion.csv'));
    assert.deepEqual(plan.errors, []);
    assert.deepEqual(
      plan.events.map((event) => event.event.start),
      ['2012-03-14T04:17:38.000Z', '2022-07-24T19:01:01.000Z', '2015-07-25T02:01:01.000Z'],
    );
  });

  it('reads timestamps in seconds, milliseconds and microseconds when there is no datetime', () => {
    const plan = parseCsv(fixture('timesketch-timestamp-no-datetime.csv'));
    assert.deepEqual(plan.errors, []);
    assert.deepEqual(
      plan.events.map((event) => event.event.start),
      ['2022-07-24T19:01:01.000Z', '2022-07-24T19:01:01.123Z', '2022-07-24T19:01:01.123Z'],
    );
  });

  it('names the row and column of a bad datetime and of a missing message', () => {
    const plan = parseCsv(
      'message,datetime,timestamp_desc\nfine,2020-01-01T00:00:00Z,x\n,2020-01-01T00:00:00Z,x\nbad,2020-13-45 10:00:00,x\n',
    );
    assert.equal(plan.events.length, 1);
    assert.deepEqual(
      plan.errors.map((error) => [error.row, error.field]),
      [
        [3, 'message'],
        [4, 'datetime'],
      ],
    );
  });
});

describe('CSV import: the TimelineJS spreadsheet template', () => {
  it('maps Knight Lab’s my-own-timeline.csv: title row, ranges, HTML stripped, links as sources', () => {
    const plan = parseCsv(fixture('timelinejs-my-own-timeline.csv'));
    assert.deepEqual(plan.errors, []);
    assert.equal(plan.events.length, 10);
    assert.match(plan.timelineDescription ?? '', /^MY OWN CSV\nIn this sample timeline/);
    const ada = plan.events.find((event) => event.event.title === 'Ada Lovelace')!;
    assert.equal(ada.row, 3);
    assert.equal(ada.event.kind, 'range');
    assert.equal(ada.event.start, '1815-12-10T00:00:00.000Z');
    assert.equal(ada.event.end, '1852-11-27T00:00:00.000Z');
    assert.doesNotMatch(ada.event.description ?? '', /</);
    const urls = (ada.event.sources ?? []).map((source) => source.url);
    assert.ok(urls.includes('https://en.wikipedia.org/wiki/Ada_Lovelace'));
    assert.equal(ada.event.sources?.[0]?.publisher, 'Wikimedia Commons');
    const eniac = plan.events.find(
      (event) => event.event.title === '...And the women who made it work',
    )!;
    assert.equal(eniac.event.precision, 'month');
  });

  it('names the template column at fault', () => {
    const plan = parseCsv(
      'Year,Month,Day,Time,End Year,Headline,Text,Group\n2019,2,18,9:30 PM,,Good,,Ops\n2019,14,,,,Bad month,,\n2019,,,,,,,\n2019,1,1,25:99,,Bad time,,\n',
    );
    assert.equal(plan.events.length, 1);
    assert.equal(plan.events[0]!.event.start, '2019-02-18T21:30:00.000Z');
    assert.equal(plan.events[0]!.laneTitle, 'Ops');
    assert.deepEqual(
      plan.errors.map((error) => [error.row, error.field]),
      [
        [3, 'Month'],
        [4, 'Headline'],
        [5, 'Time'],
      ],
    );
  });
});

describe('CSV import: Chronoboard’s own columns', () => {
  it('reads every documented column', () => {
    const header = CSV_COLUMN_NAMES.join(',');
    const row = [
      'ev1',
      'Convoy crosses',
      '2019-02-18',
      '2019-02-19T06:00:00Z',
      '',
      'Ground',
      'reported',
      '',
      '2019-02-17',
      '2019-02-18',
      '',
      '',
      'convoy; border',
      'Checkpoint 4',
      '48.5',
      '35.1',
      'Seen from the ridge',
      '"[{""title"":""Reuters wire"",""url"":""https://example.org/r"",""publisher"":""Reuters"",""reliability"":""B"",""credibility"":2}]"',
      'related:ev2',
    ].join(',');
    const plan = parseCsv(`${header}\n${row}\n`);
    assert.deepEqual(plan.errors, []);
    const [planned] = plan.events;
    assert.equal(planned!.id, 'ev1');
    assert.equal(planned!.laneTitle, 'Ground');
    const event = planned!.event;
    assert.equal(event.kind, 'range');
    assert.equal(event.confidence, 'moderate');
    assert.deepEqual(event.tags, ['convoy', 'border']);
    assert.deepEqual(event.location, { name: 'Checkpoint 4', lat: 48.5, lon: 35.1 });
    assert.equal(event.startEarliest, '2019-02-17T00:00:00.000Z');
    assert.equal(event.sources?.[0]?.reliability, 'B');
    assert.equal(event.sources?.[0]?.credibility, 2);
    assert.deepEqual(event.links, [{ eventId: 'ev2', relation: 'related' }]);
  });

  it('names the row and column of each bad cell and keeps the good rows', () => {
    const plan = parseCsv(
      'title,start,end,confidence,sources\nGood,2019-02-18,,,\nBad date,2019-02-30,,,\n,2019-02-18,,,\nBackwards,2019-02-18,2019-01-01,,\nOdd,2019-02-18,,sure,\nJunk,2019-02-18,,,not json\n',
    );
    assert.equal(plan.events.length, 1);
    // Said as the file writes dates, with a two-digit month.
    assert.equal(plan.errors[0]!.message, '"2019-02-30": 2019-02 has no day 30');
    assert.deepEqual(
      plan.errors.map((error) => [error.row, error.field]),
      [
        [3, 'start'],
        [4, 'title'],
        [5, 'end'],
        [6, 'confidence'],
        [7, 'sources'],
      ],
    );
  });

  it('refuses a file whose columns it does not know, and reports broken quoting with its line', () => {
    assert.equal(detectCsvLayout(['when', 'what']), undefined);
    const unknown = parseCsv('when,what\n2019,x\n');
    assert.equal(unknown.errors[0]!.row, 0);
    assert.match(unknown.errors[0]!.message, /unrecognised columns/);
    const broken = parseCsv('title,start\n"unclosed,2019-01-01\n');
    assert.equal(broken.events.length, 0);
    assert.ok(broken.errors.length > 0);
  });

  it('reads a year or a month alone with that precision', () => {
    const plan = parseCsv('title,start\nA,1969\nB,1969-07\nC,-0500\n');
    assert.deepEqual(plan.errors, []);
    assert.deepEqual(
      plan.events.map((event) => [event.event.start, event.event.precision]),
      [
        ['1969-01-01T00:00:00.000Z', 'year'],
        ['1969-07-01T00:00:00.000Z', 'month'],
        ['-000500-01-01T00:00:00.000Z', 'year'],
      ],
    );
  });
});

describe('the README', () => {
  it('documents every CSV column', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const name of CSV_COLUMN_NAMES) {
      assert.match(readme, new RegExp(`\\| \`${name}\` +\\|`), name);
    }
  });
});
